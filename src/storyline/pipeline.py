"""The public pipeline: ingest -> clean -> dedupe -> cluster -> summarize -> compare -> Report."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

import storyline.clean
import storyline.cluster
import storyline.compare
import storyline.dedupe
import storyline.ingest
import storyline.llm
import storyline.summarize  # noqa: F401 (each stage package registers its implementations)
from storyline import stages
from storyline.ingest import Input
from storyline.model import Article, Duplicate, Problem, Report, Story, content_id
from storyline.settings import Settings
from storyline.text import words
from storyline.text.length import word_count_up_to
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
Stage = str | object | None


class Pipeline:
    """read -> clean -> dedupe -> cluster -> (summarize, compare) per story -> :class:`Report`.

    Each stage is a registered name or an object with the stage's method (see
    :mod:`storyline.stages`); unset stages come from ``settings``, and an optional stage that
    is disabled there is its pass-through::

        Pipeline(Settings(words=80), clusterer=MyClusterer(), summarizer="centroid")
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        reader: Stage = None,
        cleaner: Stage = None,
        deduper: Stage = None,
        clusterer: Stage = None,
        summarizer: Stage = None,
        comparer: Stage = None,
    ) -> None:
        self.settings = settings = settings or Settings()
        self.reader = stages.resolve("reader", reader or settings.ingest.method)
        self.cleaner = stages.resolve("cleaner", cleaner or _chosen(settings.clean))
        self.deduper = stages.resolve("deduper", deduper or _chosen(settings.dedupe))
        self.clusterer = stages.resolve("clusterer", clusterer or _chosen(settings.cluster))
        self.summarizer = stages.resolve("summarizer", summarizer or settings.summarizer)
        self.comparer = stages.resolve("comparer", comparer or _chosen(settings.compare))

    def run(self, inputs: Input | Iterable[Input], *, progress: Progress | None = None) -> Report:
        """Read ``inputs`` and return their stories; bad inputs become ``report.problems``."""
        settings = self.settings
        report = Report(generated_at=datetime.now(UTC), version=__version__, query=settings.query)
        if isinstance(inputs, str | bytes | os.PathLike | Article):
            inputs = [inputs]
        ingested = self.reader.read(inputs, settings)
        report.problems.extend(ingested.problems)
        articles, problems = self.prepare(ingested.articles, progress)
        report.problems.extend(problems)
        copies: dict[str, list[Article]] = {}
        if len(articles) > 1:
            articles, copies = record_dedupe(
                report, articles, self.deduper.dedupe(articles, settings)
            )
        if not articles:
            return report
        clustered = self.clusterer.cluster(articles, settings)
        report.problems.extend(clustered.problems)
        for number, group in enumerate(clustered.stories, start=1):
            if progress:
                progress("summarize", number - 1, len(clustered.stories))
            # A near copy travels with the story of the article it was dropped for.
            story, problems = self.story(group, copies)
            report.stories.append(story)
            report.problems.extend(problems)
        if progress:
            progress("summarize", len(clustered.stories), len(clustered.stories))
        return report

    def prepare(
        self, articles: list[Article], progress: Progress | None = None
    ) -> tuple[list[Article], list[Problem]]:
        """Clean each article; an article that fails is reported and skipped, never fatal."""
        limits = self.settings.ingest
        ready: list[Article] = []
        problems: list[Problem] = []
        for number, article in enumerate(articles):
            if progress:
                progress("clean", number, len(articles))
            source = article.source or article.id
            try:
                if len(article.text) > limits.max_article_chars:
                    article = article.model_copy(
                        update={"text": article.text[: limits.max_article_chars]}
                    )
                    problems.append(
                        Problem(
                            source=source,
                            reason=f"text truncated to {limits.max_article_chars:,} characters",
                        )
                    )
                article = self.cleaner.clean(article, self.settings)
            except Exception as error:  # one broken article never aborts the batch
                log.exception("cleaning failed for %s", source)
                problems.append(Problem(source=source, reason=f"could not be cleaned: {error}"))
                continue
            # Characters for Chinese, Japanese, Thai; counted only as far as the limit.
            n_words = word_count_up_to(article.text, limits.min_article_words)
            if n_words < limits.min_article_words:
                problems.append(
                    Problem(
                        source=source, reason=f"too little text ({n_words} words) to be an article"
                    )
                )
                continue
            ready.append(article)
        if progress:
            progress("clean", len(articles), len(articles))
        return ready, problems

    def story(
        self, articles: list[Article], copies: dict[str, list[Article]] | None = None
    ) -> tuple[Story, list[Problem]]:
        """Summarize and compare one group of articles. ``copies`` maps an article id to the
        near copies of it that dedupe dropped: those of this group's articles travel with the
        story (the summarizer reads ``story.articles`` only, the comparer copies too)."""
        story = Story(
            id=content_id("".join(sorted(a.id for a in articles)), prefix="s"), articles=articles
        )
        problems: list[Problem] = []
        for article in articles:
            for copy in (copies or {}).get(article.id, []):
                story.copies.append(copy)
                story.copy_of[copy.id] = article.id
        summarized = self.summarizer.summarize(story, self.settings)
        if isinstance(summarized, stages.Summarized):  # a summarizer with more to report
            story.summary = summarized.summary
            story.summary_method = summarized.method
            story.dropped = summarized.dropped
            story.comparison = summarized.comparison
            problems.extend(summarized.problems)
        else:
            story.summary = summarized
        story.title = _story_title(story)
        try:
            if story.comparison is None:
                story.comparison = self.comparer.compare(story, self.settings)
        except ImportError as error:  # an optional dependency of a third-party comparer
            problems.append(Problem(source=story.id, reason=f"source comparison skipped: {error}"))
        except Exception as error:  # a comparison bug loses this story's comparison only
            log.exception("comparing the sources of %s failed", story.id)
            problems.append(Problem(source=story.id, reason=f"source comparison failed: {error!r}"))
        return story, problems


def record_dedupe(
    report: Report, articles: list[Article], deduplicated: stages.Deduplicated
) -> tuple[list[Article], dict[str, list[Article]]]:
    """Note a dedupe's drops and problems in ``report``; the articles kept, and the near copies
    (of ``articles``) by the id of the article each travels with."""
    report.duplicates = deduplicated.dropped
    report.problems.extend(deduplicated.problems)
    return deduplicated.articles, near_copies(articles, deduplicated.dropped)


def near_copies(articles: list[Article], dropped: list[Duplicate]) -> dict[str, list[Article]]:
    """The near copies dedupe dropped, by the id of the article each was dropped for. Exact
    duplicates (same id) say nothing new and are left out; a copy of a copy goes to the
    article its chain ends at."""
    by_id = {a.id: a for a in articles}
    kept_for = {d.dropped: d.kept for d in dropped if d.dropped != d.kept}
    found: dict[str, list[Article]] = {}
    for copy_id, kept in kept_for.items():
        seen = {copy_id}
        while kept in kept_for and kept not in seen:  # never loops on a malformed chain
            seen.add(kept)
            kept = kept_for[kept]
        if copy_id in by_id:
            found.setdefault(kept, []).append(by_id[copy_id])
    return found


def _chosen(section: Any) -> str:
    """The method a stage section names, or its pass-through when it is disabled."""
    return section.method if section.enabled else "none"


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

    ``inputs`` may mix paths (files, directories, globs, ``-`` for stdin), raw article strings
    or bytes and :class:`Article` objects. Keyword ``options`` are :class:`Settings` fields
    (``sentences``, ``compare``, ``dedupe``, ``clean``, ``fields``, ``query``, ...) or stage
    objects (``clusterer=MyClusterer()``); an unknown keyword is a ``TypeError``.
    """
    objects = {
        kind: options.pop(kind)
        for kind in stages.KINDS
        if kind in options and not isinstance(options[kind], str)
    }
    if settings is None:
        try:
            settings = Settings(words=words, cluster=cluster, **options)
        except ValidationError as error:
            for problem in error.errors():
                if problem["type"] == "extra_forbidden":
                    name = problem["loc"][0]
                    raise TypeError(
                        f"digest() got an unexpected keyword argument {name!r}"
                    ) from None
            raise
    elif options:
        raise TypeError(
            f"digest() takes settings or keyword options, not both (got {sorted(options)[0]!r})"
        )
    return Pipeline(settings, **objects).run(inputs, progress=progress)


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
