"""What the HTML templates show, computed from a :class:`Story` and its comparison.

The templates only lay out; every decision (which value is disputed, where a timeline dot
goes, which outlet states which fact) is made here in plain Python, so it can be tested
without parsing HTML. Nothing here escapes: the templates autoescape every string, and all
strings here are plain text (article text is untrusted and stays text).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from storyline.report.html_comparison import (
    MAX_UNIQUE,
    conflicts,
    coverage,
    facts,
    framing,
    quotes,
)
from storyline.report.html_timeline import timeline
from storyline.report.outlet_labels import OutletLabels
from storyline.report.segments import Segment
from storyline.report.sources import SourceIndex
from storyline.text.sentences import article_sentences

if TYPE_CHECKING:
    from storyline.compare.schema import Comparison
    from storyline.model import Article, Story

CONTEXT_CHARS = 320  # of the sentences around a cited one, shown with it


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are ever rendered: no javascript:, data:, file: or relative tricks."""
    if not url:
        return None
    url = url.strip()
    scheme, _, rest = url.partition(":")
    if scheme.lower() not in ("http", "https") or not rest.startswith("//") or len(rest) < 3:
        return None
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    return url


def as_comparison(story: Story) -> Comparison | None:
    """``Story.comparison`` is a JSON dict today and a typed ``Comparison`` soon: take either."""
    if story.comparison is None:
        return None
    from storyline.compare.schema import Comparison

    if isinstance(story.comparison, Comparison):
        return story.comparison
    return Comparison.model_validate(story.comparison)


@dataclass
class Cite:
    number: int
    note_id: str
    outlet: str
    date: str
    sentence: str
    before: str
    after: str
    source_anchor: str


@dataclass
class Source:
    number: int
    id: str
    anchor: str
    outlet: str
    title: str | None
    date: str | None
    author: str | None
    url: str | None
    origin: str | None
    copies: list[dict[str, str]]
    labels: list[tuple[str, str]]
    body: list[Segment]


def _date(article: Article) -> str | None:
    return article.published.date().isoformat() if article.published else None


@cache
def _spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(article_sentences(text))


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """The sentence before and after a cited span, cut to a readable length."""
    spans = _spans(text)
    before = max((s for s in spans if s[1] <= start), default=None, key=lambda s: s[1])
    after = min((s for s in spans if s[0] >= end), default=None, key=lambda s: s[0])
    before_text = text[before[0] : before[1]] if before else ""
    after_text = text[after[0] : after[1]] if after else ""
    if len(before_text) > CONTEXT_CHARS:
        before_text = "…" + before_text[-CONTEXT_CHARS:].split(" ", 1)[-1]
    if len(after_text) > CONTEXT_CHARS:
        after_text = after_text[:CONTEXT_CHARS].rsplit(" ", 1)[0] + "…"
    return before_text, after_text


def _body(article: Article, anchor: str, cited: dict[str, list[tuple[int, int]]]) -> list[Segment]:
    """The article text with every sentence the summary cites marked and given an anchor."""
    segments: list[Segment] = []
    position = 0
    for start, end in sorted(set(cited.get(article.id, []))):
        if start < position or end > len(article.text):
            continue  # overlapping or stale spans are shown unmarked rather than garbled
        segments.append(Segment(article.text[position:start]))
        segments.append(Segment(article.text[start:end], "cited", f"{anchor}-{start}"))
        position = end
    segments.append(Segment(article.text[position:]))
    return segments


def _origins(story: Story, duplicates: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """Copies the dedupe stage dropped, under the article that was kept."""
    ids = {a.id for a in story.articles}
    copies: dict[str, list[dict[str, str]]] = {}
    for item in duplicates:
        kept = item.get("kept", "")
        if kept in ids and item.get("dropped") != kept:
            copies.setdefault(kept, []).append(item)
    return copies


def sources(
    story: Story, duplicates: list[dict[str, str]], labels: OutletLabels | None, key: str = ""
) -> list[Source]:
    cited: dict[str, list[tuple[int, int]]] = {}
    for sentence in story.summary:
        for c in sentence.citations:
            cited.setdefault(c.article_id, []).append((c.start, c.end))
    copies = _origins(story, duplicates)
    result = []
    for number, article in enumerate(story.articles, start=1):
        dropped = copies.get(article.id, [])
        result.append(
            Source(
                number=number,
                id=article.id,
                anchor=f"{key}src-{number}",
                outlet=article.outlet or "unknown outlet",
                title=article.title,
                date=_date(article),
                author=article.author,
                url=safe_url(article.url),
                origin=f"one origin with {len(dropped)} copies dropped" if dropped else None,
                copies=dropped,
                labels=labels.for_outlet(article.outlet) if labels else [],
                body=_body(article, f"{key}s{number}", cited),
            )
        )
    return result


def summary(story: Story, key: str) -> list[dict[str, Any]]:
    """Each summary sentence with its citation notes (the cited sentence in its context)."""
    lookup = SourceIndex(story)
    result = []
    for i, sentence in enumerate(story.summary, start=1):
        cites = []
        for c in sorted(sentence.citations, key=lambda c: lookup.number(c.article_id)):
            article = lookup.article(c.article_id)
            number = lookup.number(c.article_id)
            before, after = _context(article.text, c.start, c.end)
            cites.append(
                Cite(
                    number=number,
                    note_id=f"{key}c{i}-{number}",
                    outlet=article.outlet or "unknown outlet",
                    date=_date(article) or "n.d.",
                    sentence=article.text[c.start : c.end],
                    before=before,
                    after=after,
                    source_anchor=f"{key}s{number}-{c.start}",
                )
            )
        result.append({"text": sentence.text, "cites": cites})
    return result


def story_view(
    story: Story,
    *,
    duplicates: list[dict[str, str]] | None = None,
    labels: OutletLabels | None = None,
    key: str = "",
) -> dict[str, Any]:
    """Everything a story's page shows. ``key`` prefixes anchors when a page holds several."""
    comparison = as_comparison(story)
    view: dict[str, Any] = {
        "id": story.id,
        "key": key,
        "title": story.title or "Untitled story",
        "sources": sources(story, duplicates or [], labels, key),
        "summary": summary(story, key),
        "comparison": comparison is not None,
    }
    if comparison is not None:
        view |= {
            "agreed": facts(story, comparison.facts),
            "conflicts": conflicts(story, comparison),
            "unique": facts(story, comparison.unique[:MAX_UNIQUE]),
            "unique_more": max(len(comparison.unique) - MAX_UNIQUE, 0),
            "quotes": quotes(story, comparison),
            "framing": framing(story, comparison),
            "timeline": timeline(story, comparison),
            "coverage": coverage(story, comparison, labels),
        }
    return view
