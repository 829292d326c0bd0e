"""The public pipeline: ingest -> clean -> dedupe -> cluster -> summarize -> compare -> Report."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from storyline.cluster import cluster as cluster_articles
from storyline.dedupe import dedupe as dedupe_articles
from storyline.ingest import Input, read_inputs
from storyline.model import Article, Problem, Report, Story, content_id
from storyline.settings import Settings
from storyline.summarize import summarize
from storyline.text import words
from storyline.text.length import word_count
from storyline.text.sentences import article_sentences
from storyline.version import __version__

log = logging.getLogger(__name__)

TITLE_WORDS = 20  # a headline is rarely longer
FALLBACK_TITLE_WORDS = 25
MIN_FALLBACK_TITLE_WORDS = 3
# Page furniture scraped into a title field: "Story highlights ...", "Image copyright Reuters
# Image caption ...", "AP Photo Pelosi flexes muscle ...".
_PAGE_FURNITURE = re.compile(
    r"(?:story highlights|image copyright|image caption|(?:ap|afp|reuters|getty) photo)\b", re.I
)

Progress = Callable[[str, int, int], None]


def digest(
    inputs: Input | Iterable[Input],
    *,
    words: int = 120,
    cluster: bool = False,
    settings: Settings | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> Report:
    """Read articles and return stories, each with a cited summary and a source comparison.

    ``inputs`` may mix paths (files, directories, globs, ``-`` for stdin), raw article strings and
    :class:`Article` objects. Keyword ``options`` are :class:`Settings` fields (``sentences``,
    ``compare``, ``dedupe``, ``clean``, ``fields``, ...).
    """
    if settings is None:
        settings = Settings(words=words, cluster=cluster, **options)
    report = Report(generated_at=datetime.now(UTC), version=__version__, query=settings.query)

    ingested = read_inputs(inputs, settings)
    report.problems.extend(ingested.problems)
    articles = _prepare(ingested.articles, settings, report.problems, progress)
    if settings.dedupe and len(articles) > 1:
        deduplicated = dedupe_articles(articles)
        articles = deduplicated.articles
        report.duplicates = deduplicated.dropped
    if not articles:
        return report
    groups = cluster_articles(articles) if settings.cluster else [articles]
    for number, group in enumerate(groups, start=1):
        if progress:
            progress("summarize", number - 1, len(groups))
        report.stories.append(build_story(group, settings, report.problems))
    if progress:
        progress("summarize", len(groups), len(groups))
    return report


def _prepare(
    articles: list[Article],
    settings: Settings,
    problems: list[Problem],
    progress: Progress | None,
) -> list[Article]:
    """Clean each article; an article that fails is reported and skipped, never fatal."""
    ready: list[Article] = []
    for number, article in enumerate(articles):
        if progress:
            progress("clean", number, len(articles))
        source = article.source or article.id
        try:
            if len(article.text) > settings.max_article_chars:
                article = article.model_copy(
                    update={"text": article.text[: settings.max_article_chars]}
                )
                problems.append(
                    Problem(
                        source=source,
                        reason=f"text truncated to {settings.max_article_chars:,} characters",
                    )
                )
            if settings.clean:
                article = _clean(article)
        except Exception as error:  # one broken article never aborts the batch
            log.exception("cleaning failed for %s", source)
            problems.append(Problem(source=source, reason=f"could not be cleaned: {error}"))
            continue
        n_words = word_count(article.text)  # characters for Chinese, Japanese, Thai
        if n_words < settings.min_article_words:
            problems.append(
                Problem(source=source, reason=f"too little text ({n_words} words) to be an article")
            )
            continue
        ready.append(article)
    if progress:
        progress("clean", len(articles), len(articles))
    return ready


def _clean(article: Article) -> Article:
    from storyline.clean import clean_article

    return clean_article(article)


def build_story(articles: list[Article], settings: Settings, problems: list[Problem]) -> Story:
    """Summarize and compare one group of articles."""
    story = Story(
        id=content_id("".join(sorted(a.id for a in articles)), prefix="s"), articles=articles
    )
    story.summary = summarize(articles, settings)
    story.title = _story_title(story)
    if settings.compare and len(articles) > 1:
        try:
            from storyline.compare import compare_story

            story.comparison = compare_story(story).model_dump(mode="json")
        except ImportError as error:
            problems.append(
                Problem(
                    source=story.id,
                    reason=f"source comparison skipped: {error} (pip install 'storyline[nlp]')",
                )
            )
        except Exception as error:  # a comparison bug loses this story's comparison only
            log.exception("comparing the sources of %s failed", story.id)
            problems.append(Problem(source=story.id, reason=f"source comparison failed: {error!r}"))
    return story


def _story_title(story: Story) -> str | None:
    """The headline of the article the summary cites most; a title that is no headline (a
    lead cut short, "RENO, Nev. _ Cissy Bennett, a high school ...", or a byline) only when
    no article has one, and then without its wire dateline."""
    cited: dict[str, int] = {}
    for sentence in story.summary:
        for citation in sentence.citations:
            cited[citation.article_id] = cited.get(citation.article_id, 0) + 1
    titled = [a for a in story.articles if a.title and a.title.strip()]
    if not titled:
        return None
    best = max(
        titled,
        key=lambda a: (
            _headline_like(a.title or ""),
            # A prose title with something to say beats a fragment ("1999:") or a byline.
            _prose(a.title or "") and len(words(a.title or "")) >= MIN_FALLBACK_TITLE_WORDS,
            cited.get(a.id, 0),
        ),
    )
    title = (best.title or "").strip()
    if _headline_like(title):
        return title
    # A lead cut short: its first sentence, without the wire dateline, reads as a title
    # ("Tanzania has expelled 14 foreigners ... Embassy here. Immigration Department spokesman
    # Herbert Chilambo said Thu"), and no more than a headline's length of it.
    first = article_sentences(title)[:1]
    if first:
        title = title[first[0][0] : first[0][1]]
    cut = list(re.finditer(r"\S+", title))
    if len(cut) > FALLBACK_TITLE_WORDS:
        title = title[: cut[FALLBACK_TITLE_WORDS - 1].end()].rstrip(",;:") + " …"
    return title


def _prose(title: str) -> bool:
    """Text rather than page furniture or a byline ("*Associated Press Write")."""
    stripped = title.strip()
    return stripped[:1].isalnum() and not _PAGE_FURNITURE.match(stripped)


def _headline_like(title: str) -> bool:
    from storyline.clean.boilerplate import looks_like_headline

    stripped = title.strip()
    return (
        len(words(stripped)) <= TITLE_WORDS
        and _prose(stripped)
        and looks_like_headline(stripped)  # no byline, caption, wire dateline or sentence
    )
