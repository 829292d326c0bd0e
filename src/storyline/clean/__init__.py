"""The clean stage: boilerplate removal, glue repair and metadata from plain-text scrapes.

    >>> from storyline.clean import clean_text
    >>> cleaned = clean_text(open("examples/iraq-troops-2016/004_9b928db0b9888cb4.txt").read())
    >>> cleaned.title, cleaned.text.splitlines()[0][:40]

``clean_text`` works on text alone; ``clean_article`` applies it to an :class:`Article` and
fills only the metadata the article lacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from storyline.clean import rules
from storyline.clean.boilerplate import decide, prepare_lines
from storyline.clean.features import _key
from storyline.clean.glue import normalize_spaces
from storyline.clean.model import LineModel, default_model
from storyline.model import Article, content_id
from storyline.settings import Settings
from storyline.stages import register

__all__ = ["CleanedText", "LineModelCleaner", "clean_article", "clean_text"]


@dataclass
class CleanedText:
    text: str
    captions: list[str] = field(default_factory=list)
    title: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    author: str | None = None
    removed: list[tuple[str, str]] = field(default_factory=list)


def clean_text(
    raw: str,
    *,
    has_title_line: bool = True,
    use_model: bool = True,
    model: LineModel | None = None,
) -> CleanedText:
    """Clean a plain-text scrape: one paragraph a line out, boilerplate and metadata lines out.

    ``has_title_line``: the first non-empty line may be the headline (it is taken as the title
    only when it looks like one). ``use_model=False`` applies the rules alone, for text that an
    HTML extractor has already reduced to the article. ``model`` overrides the shipped line
    model (the benchmark's cross-validation passes fold models).
    """
    prepared = prepare_lines(raw, has_title_line=has_title_line)
    title, lines, captions, removed = (
        prepared.title,
        prepared.lines,
        prepared.captions,
        prepared.removed,
    )

    decisions = decide(
        lines,
        title=title,
        model=model if model is not None else default_model(),
        use_model=use_model,
    )
    return CleanedText(
        text="\n".join(decisions.kept),
        captions=captions + decisions.captions,
        title=title or decisions.title,
        outlet=decisions.outlet,
        published=decisions.published,
        author=decisions.author,
        removed=removed + decisions.removed,
    )


def clean_article(article: Article) -> Article:
    """A copy of ``article`` with its text cleaned, captions added and missing metadata filled.

    An id that was derived from the old content is derived again from the new; an id the
    caller chose (a path, a database key) is kept.
    """
    cleaned = clean_text(article.text, has_title_line=True)
    body = cleaned.text
    only_notices = bool(cleaned.removed) and all(
        reason in rules.NOTICE_REASONS for _, reason in cleaned.removed
    )
    if not body.strip() and article.text.strip() and not only_notices:
        # Rules that would leave nothing are wrong about this text; keep it rather than lose it.
        # A page that is one notice (an archive's crawl note) is no article: it stays empty.
        body = "\n".join(
            line.strip() for line in normalize_spaces(article.text).split("\n") if line.strip()
        )
    captions = list(article.captions)
    captions.extend(c for c in cleaned.captions if c not in captions)
    title = article.title
    if title and _is_removed_boilerplate(title, cleaned.removed):
        title = None
    updates = {
        "text": body,
        "captions": captions,
        "title": title or cleaned.title,
        **_inferred_metadata(article, cleaned, title or cleaned.title, captions),
    }
    if article.id == content_id((article.title or "") + "\n" + article.text):
        updates["id"] = content_id((updates["title"] or "") + "\n" + body)
    return article.model_copy(update=updates)


def _inferred_metadata(
    article: Article, cleaned: CleanedText, title: str | None, captions: list[str]
) -> dict[str, object]:
    """Outlet, date and author: the article's metadata, else what its own text says.

    Values read from the text (a byline, a dateline, a self-reference, a dated caption) are
    listed in ``inferred`` with their evidence in ``inferred_from``, so a reader can tell
    them from metadata. The raw text is searched, not the cleaned body: the pitches and
    copyright lines that name the outlet are exactly what cleaning removes.
    """
    from storyline.clean.date_inference import guess_published
    from storyline.clean.outlet_inference import guess_outlet

    inferred = list(article.inferred)
    evidence = dict(article.inferred_from)

    def mark(field_name: str, why: str) -> None:
        if field_name not in inferred:
            inferred.append(field_name)
        evidence[field_name] = why

    outlet, published, author = article.outlet, article.published, article.author
    if not outlet and cleaned.outlet:
        outlet = cleaned.outlet
        mark("outlet", "byline or dateline")
    if not outlet:
        guess = guess_outlet(article.text, url=article.url, title=title)
        if guess is not None:
            outlet = guess.name
            mark("outlet", guess.evidence)
    if published is None and cleaned.published is not None:
        published = cleaned.published
        mark("published", "dateline or date line")
    if published is None:
        dated = guess_published(article.text, url=article.url, title=title, captions=captions)
        if dated is not None:
            published = datetime(dated.day.year, dated.day.month, dated.day.day)
            precision = "" if dated.granularity == "day" else f" ({dated.granularity} only)"
            mark("published", dated.evidence + precision)
    if not author and cleaned.author:
        author = cleaned.author
        mark("author", "byline")
    return {
        "outlet": outlet,
        "published": published,
        "author": author,
        "inferred": inferred,
        "inferred_from": evidence,
    }


# Why a line left the body while still being the article's own: its headline, or the
# metadata that opens its first line ("CARACAS (Reuters) -").
_NOT_BOILERPLATE = frozenset({"title", "repeated headline", "dateline", "byline"})
_MIN_BOILERPLATE_WORDS = 4


def _is_removed_boilerplate(title: str, removed: list[tuple[str, str]]) -> bool:
    """Whether a given title is page chrome the cleaner removed from the body.

    Corpora that fill the title field with the page's first characters give a scrape's
    chrome as its title ("Breaking News Emails Get breaking news alerts and special
    reports."): the title is such a line, cut short, or starts with one.
    """
    key = _key(title.rstrip(" .…"))
    if not key:
        return False
    for line, reason in removed:
        if reason in _NOT_BOILERPLATE:
            continue
        line_key = _key(line)
        if len(line_key.split()) < _MIN_BOILERPLATE_WORDS:
            continue
        if line_key.startswith(key) or key.startswith(line_key):
            return True
    return False


@register("cleaner", "storyline")
class LineModelCleaner:
    """The default cleaner: the learned boilerplate line model, glue repair, metadata lines."""

    def clean(self, article: Article, settings: Settings) -> Article:
        return clean_article(article)
