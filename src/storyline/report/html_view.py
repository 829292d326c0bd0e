"""What the HTML templates show, computed from a :class:`Story` and its comparison.

The templates only lay out; every decision (which value is disputed, where a timeline dot
goes, which outlet states which fact) is made here in plain Python, so it can be tested
without parsing HTML. Nothing here escapes: the templates autoescape every string, and all
strings here are plain text (article text is untrusted and stays text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from storyline.report.outlet_labels import OutletLabels
from storyline.text.sentences import article_sentences

if TYPE_CHECKING:
    from storyline.compare.schema import Comparison, Fact
    from storyline.model import Article, Story

MAX_UNIQUE = 30
MAX_TIMELINE = 40
CONTEXT_CHARS = 320  # of the sentences around a cited one, shown with it
SVG_WIDTH, SVG_MARGIN, LANE_HEIGHT, DOT_GAP = 760, 36, 26, 22
FOCUS_DAYS = 200  # the axis shows this long before the first article at month scale
BACKGROUND, BREAK_GAP = 0.3, 14  # share of the axis for the years before, and the break


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
    if low is None or high is None:
        return ""
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


def _day(iso: str) -> date | None:
    """A timeline date as a day on the axis: a year or a month at its first day, so that the
    axis order is the list's (ISO) order."""
    try:
        parts = [int(p) for p in iso.split("-")]
    except ValueError:
        return None
    if iso.startswith("-") or not parts or not 1 <= parts[0] <= 9999:
        return None
    try:
        if len(parts) == 1:
            return date(parts[0], 1, 1)
        if len(parts) == 2:
            return date(parts[0], parts[1], 1)
        return date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


@dataclass
class Timeline:
    events: list[dict[str, Any]] = field(default_factory=list)
    unplaced: list[dict[str, Any]] = field(default_factory=list)
    ticks: list[dict[str, Any]] = field(default_factory=list)
    width: int = SVG_WIDTH
    height: int = 0
    axis_y: int = 0
    break_x: float | None = None


def timeline(story: Story, comparison: Comparison) -> Timeline:
    """Events on a time axis, a dot per event (bigger when more outlets report it), stacked in
    lanes so that dots never overlap; the numbered list under the chart carries the text."""
    chart = Timeline()
    events = sorted(comparison.timeline, key=lambda e: (e.date.startswith("-"), e.date))
    for number, event in enumerate(events[:MAX_TIMELINE], start=1):
        item = {
            "n": number,
            "date": event.date,
            "said": event.date_text,
            "text": event.text,
            "numbers": _numbers(story, event.article_ids),
            "outlets": len(event.article_ids),
        }
        day = _day(event.date)
        if day is None:
            chart.unplaced.append(item)
        else:
            item["day"] = day
            chart.events.append(item)
    if not chart.events:
        return chart
    published = [a.published.date() for a in story.articles if a.published]
    axis = _Axis(chart.events[0]["day"], chart.events[-1]["day"], published)
    lanes: list[float] = []
    for item in chart.events:
        x = axis.x(item["day"])
        lane = next((i for i, right in enumerate(lanes) if x - right >= DOT_GAP), len(lanes))
        if lane == len(lanes):
            lanes.append(x)
        lanes[lane] = x
        item["x"], item["lane"] = round(x, 1), lane
        item["r"] = 7 + min(item["outlets"] - 1, 4) * 1.5
    chart.axis_y = 20 + LANE_HEIGHT * len(lanes)
    for item in chart.events:
        item["y"] = chart.axis_y - 14 - LANE_HEIGHT * item["lane"]
    chart.height = chart.axis_y + 34
    chart.ticks = axis.ticks()
    chart.break_x = axis.break_x
    return chart


def _month_starts(first: date, last: date) -> list[date]:
    months, month = [], date(first.year, first.month, 1)
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


class _Axis:
    """A time axis. When the events reach back years before the articles were written (the
    background of a story), the axis breaks: the years before take the left part, months
    around the articles' dates the rest, so that the story's own weeks do not collapse."""

    def __init__(self, first: date, last: date, published: list[date]) -> None:
        inner = SVG_WIDTH - 2 * SVG_MARGIN
        self.focus = min(published) - timedelta(days=FOCUS_DAYS) if published else None
        last = max([last, *published])
        self.split = bool(self.focus and (self.focus - first).days > 365 and last > self.focus)
        if self.split and self.focus:
            self.parts = [
                (date(first.year, 1, 1), self.focus, SVG_MARGIN, SVG_MARGIN + BACKGROUND * inner),
                (
                    self.focus,
                    last + timedelta(days=20),
                    SVG_MARGIN + BACKGROUND * inner + BREAK_GAP,
                    SVG_WIDTH - SVG_MARGIN,
                ),
            ]
            self.break_x: float | None = round(SVG_MARGIN + BACKGROUND * inner + BREAK_GAP / 2, 1)
        else:
            long = (last - first).days > 400
            start = date(first.year, 1, 1) if long else first - timedelta(days=15)
            end = date(last.year + 1, 1, 1) if long else last + timedelta(days=15)
            self.parts = [(start, end, SVG_MARGIN, SVG_WIDTH - SVG_MARGIN)]
            self.break_x = None

    def x(self, day: date) -> float:
        for start, end, left, right in self.parts:
            if day <= end or (start, end, left, right) == self.parts[-1]:
                day = max(day, start)
                return left + (right - left) * (day - start).days / max((end - start).days, 1)
        return self.parts[-1][3]  # pragma: no cover - the loop always returns

    def ticks(self) -> list[dict[str, Any]]:
        ticks: list[dict[str, Any]] = []
        for start, end, left, right in self.parts:
            width = right - left
            if (end - start).days > 800:  # years
                years = list(range(start.year + (start.month > 1), end.year + 1))
                step = max(1, -(-len(years) * 60 // max(int(width), 1)))
                marks = [(date(y, 1, 1), str(y)) for y in years[::step]]
            else:  # months, thinned to fit
                months = _month_starts(start, end)
                step = max(1, -(-len(months) * 52 // max(int(width), 1)))
                marks = [(m, m.strftime("%b")) for m in months[::step]]
            shown = 0
            for day, label in marks:
                x = left + width * (day - start).days / max((end - start).days, 1)
                if left - 0.5 <= x <= right + 0.5:
                    if len(label) == 3 and (shown == 0 or day.month == 1):
                        label = f"{label} {day.year}"  # the year at the first month and each Jan
                    ticks.append({"x": round(x, 1), "label": label})
                    shown += 1
        return ticks


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
