"""What the HTML templates show, computed from a :class:`Story` and its comparison.

The templates only lay out; every decision (which value is disputed, where a timeline dot
goes, which outlet states which fact) is made here in plain Python, so it can be tested
without parsing HTML. Nothing here escapes: the templates autoescape every string, and all
strings here are plain text (article text is untrusted and stays text).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from storyline.report.html_timeline import timeline
from storyline.report.outlet_labels import OutletLabels
from storyline.text.sentences import article_sentences

if TYPE_CHECKING:
    from storyline.compare.schema import Comparison, Fact
    from storyline.model import Article, Story

MAX_UNIQUE = 30
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
class Segment:
    """A run of text; ``mark`` names why it is highlighted ("" when it is not)."""

    text: str
    mark: str = ""
    anchor: str = ""


def _highlight(text: str, start: int | None, end: int | None, offset: int = 0) -> list[Segment]:
    """``text`` with ``[start, end)`` (positions relative to ``offset``) highlighted."""
    if start is None or end is None:
        return [Segment(text)]
    start, end = max(start - offset, 0), min(end - offset, len(text))
    if not 0 <= start < end <= len(text):
        return [Segment(text)]
    return [Segment(text[:start]), Segment(text[start:end], "figure"), Segment(text[end:])]


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
    result = []
    for i, sentence in enumerate(story.summary, start=1):
        cites = []
        for c in sorted(sentence.citations, key=lambda c: story.source_number(c.article_id)):
            article = story.article(c.article_id)
            number = story.source_number(c.article_id)
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


def _numbers(story: Story, article_ids: list[str]) -> list[int]:
    known = {a.id for a in story.articles}
    return sorted({story.source_number(a) for a in article_ids if a in known})


def facts(story: Story, items: list[Fact]) -> list[dict[str, Any]]:
    result = []
    for fact in items:
        ev = fact.evidence[0] if fact.evidence else None
        result.append(
            {
                "id": fact.id,
                "kind": fact.kind,
                "value": fact.value,
                "subject": fact.subject,
                "phrase": fact.text,
                "sources": fact.sources,
                "of": len(story.articles),
                "outlets": list(dict.fromkeys(o for o in fact.outlets if o)),
                "numbers": _numbers(story, fact.article_ids),
                "sentence": _highlight(ev.text, ev.mention_start, ev.mention_end, ev.start)
                if ev
                else [],
            }
        )
    return result


def conflicts(story: Story, comparison: Comparison) -> list[dict[str, Any]]:
    """Each conflict's values side by side, each marked by the worst verdict it takes part in."""
    result = []
    for conflict in comparison.conflicts:
        worst: dict[int, str] = {}
        rank = {"compatible": 0, "different dates": 1, "conflict": 2}
        for pair in conflict.pairs:
            for index in (pair.a, pair.b):
                if rank[pair.status] >= rank.get(worst.get(index, "compatible"), 0):
                    worst[index] = pair.status
        values = []
        for index, value in enumerate(conflict.values):
            values.append(
                {
                    "letter": chr(ord("A") + index) if index < 26 else str(index + 1),
                    "number": _numbers(story, [value.article_id])[:1],
                    "outlet": value.outlet or "unknown outlet",
                    "date": value.published or "n.d.",
                    "phrase": value.phrase or value.value,
                    "value": value.value,
                    "range": _range(value.low, value.high),
                    "verdict": worst.get(index, "compatible"),
                    "sentence": _highlight(
                        value.text, value.mention_start, value.mention_end, value.start
                    ),
                }
            )
        grid = [["" for _ in values] for _ in values]
        for pair in conflict.pairs:
            if pair.a < len(values) and pair.b < len(values):
                grid[pair.a][pair.b] = grid[pair.b][pair.a] = pair.status
        pairs = [
            {
                "a": values[p.a]["letter"],
                "b": values[p.b]["letter"],
                "status": p.status,
                "reason": p.reason,
            }
            for p in conflict.pairs
            if p.a < len(values) and p.b < len(values)
        ]
        result.append(
            {
                "id": conflict.id,
                "subject": conflict.subject,
                "kind": conflict.kind,
                "status": conflict.status,
                "note": conflict.note,
                "values": values,
                "grid": grid,
                "pairs": pairs,
            }
        )
    return result


def _range(low: float | None, high: float | None) -> str:
    """The true values a wording allows ("more than 4,647" allows 4,647 to 4,879), in whole
    units for counts and other large figures."""
    if low is None or high is None:
        return ""
    if min(abs(low), abs(high)) >= 100:
        return f"{math.ceil(low):,} – {math.floor(high):,}"
    return f"{low:,.6g} – {high:,.6g}"


def quotes(story: Story, comparison: Comparison) -> list[dict[str, Any]]:
    result = []
    for quote in comparison.quotes:
        speakers = list(dict.fromkeys(v.speaker for v in quote.variants))
        differs = quote.wording_differs or len(speakers) > 1
        result.append(
            {
                "speaker": quote.speaker or "unattributed",
                "text": quote.text,
                "numbers": _numbers(story, quote.article_ids),
                "wording_differs": quote.wording_differs,
                "speakers_differ": len(speakers) > 1,
                "variants": [
                    {
                        "number": _numbers(story, [v.article_id])[:1],
                        "outlet": v.outlet or "unknown outlet",
                        "text": v.text,
                        "speaker": v.speaker or "unattributed",
                        "speaker_text": v.speaker_text,
                    }
                    for v in quote.variants
                ]
                if differs
                else [],
            }
        )
    return result


def framing(story: Story, comparison: Comparison) -> dict[str, Any]:
    entities = []
    for item in comparison.framing:
        if item.kind != "entity_terms":
            continue
        per_source: dict[int, list[str]] = {}
        for term in item.terms:
            for number in _numbers(story, [term.article_id]):
                per_source.setdefault(number, []).append(
                    term.term + (f" ×{term.count}" if term.count > 1 else "")
                )
        entities.append(
            {
                "entity": item.entity or "",
                "rows": [
                    {
                        "number": n,
                        "outlet": story.articles[n - 1].outlet or "unknown outlet",
                        "terms": terms,
                    }
                    for n, terms in sorted(per_source.items())
                ],
            }
        )
    words = [
        {
            "number": _numbers(story, [item.article_id or ""])[:1],
            "outlet": item.outlet or "unknown outlet",
            "terms": [t.term + (f" ×{t.count}" if t.count > 1 else "") for t in item.terms],
        }
        for item in comparison.framing
        if item.kind == "distinctive_words"
    ]
    return {"entities": entities, "words": words}


def coverage(story: Story, comparison: Comparison, labels: OutletLabels | None) -> dict[str, Any]:
    """Which source states which fact: agreed facts, each conflict's values, unique facts."""
    columns = [
        {
            "number": n,
            "outlet": a.outlet or "unknown outlet",
            "labels": labels.for_outlet(a.outlet) if labels else [],
        }
        for n, a in enumerate(story.articles, start=1)
    ]
    rows = []
    for fact in comparison.facts:
        have = set(_numbers(story, fact.article_ids))
        rows.append(
            {
                "group": "agreed",
                "label": f"{fact.value} — {fact.subject}",
                "cells": [fact.text if c["number"] in have else "" for c in columns],
            }
        )
    for conflict in comparison.conflicts:
        cells = [""] * len(columns)
        for value in conflict.values:
            for number in _numbers(story, [value.article_id]):
                cells[number - 1] = value.phrase or value.value
        rows.append({"group": "conflict", "label": conflict.subject, "cells": cells})
    for fact in comparison.unique[:MAX_UNIQUE]:
        have = set(_numbers(story, fact.article_ids))
        rows.append(
            {
                "group": "unique",
                "label": f"{fact.value} — {fact.subject}",
                "cells": [fact.text if c["number"] in have else "" for c in columns],
            }
        )
    counts = [sum(1 for r in rows if r["cells"][i]) for i in range(len(columns))]
    return {
        "columns": columns,
        "rows": rows,
        "counts": counts,
        "label_names": labels.names if labels else [],
    }


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
