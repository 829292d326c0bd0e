"""The comparison's sections of a story page: agreed facts, conflicts, unique claims, quotes,
framing and coverage, as plain values for the templates (the timeline is
:mod:`storyline.report.html_timeline`). Nothing here escapes: the templates autoescape.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from storyline.report.outlet_labels import OutletLabels
from storyline.report.segments import highlight
from storyline.report.sources import SourceIndex

if TYPE_CHECKING:
    from storyline.compare.schema import Comparison, Fact
    from storyline.model import Story

MAX_UNIQUE = 30  # claims only one source makes, shown on a page (and counted past that)


def facts(story: Story, items: list[Fact]) -> list[dict[str, Any]]:
    lookup = SourceIndex(story)
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
                "numbers": lookup.original_numbers(fact.article_ids),
                "sentence": highlight(ev.text, ev.mention_start, ev.mention_end, ev.start)
                if ev
                else [],
            }
        )
    return result


def conflicts(story: Story, comparison: Comparison) -> list[dict[str, Any]]:
    """Each conflict's values side by side, each marked by the worst verdict it takes part in."""
    lookup = SourceIndex(story)
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
                    "number": lookup.original_numbers([value.article_id])[:1],
                    "outlet": value.outlet or "unknown outlet",
                    "date": value.published or "n.d.",
                    "phrase": value.phrase or value.value,
                    "value": value.value,
                    "range": _range(value.low, value.high),
                    "verdict": worst.get(index, "compatible"),
                    "sentence": highlight(
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
    lookup = SourceIndex(story)
    result = []
    for quote in comparison.quotes:
        speakers = list(dict.fromkeys(v.speaker for v in quote.variants))
        differs = quote.wording_differs or len(speakers) > 1
        result.append(
            {
                "speaker": quote.speaker or "unattributed",
                "text": quote.text,
                "numbers": lookup.original_numbers(quote.article_ids),
                "wording_differs": quote.wording_differs,
                "speakers_differ": len(speakers) > 1,
                "variants": [
                    {
                        "number": lookup.original_numbers([v.article_id])[:1],
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
    lookup = SourceIndex(story)
    entities = []
    for item in comparison.framing:
        if item.kind != "entity_terms":
            continue
        per_source: dict[int, list[str]] = {}
        for term in item.terms:
            for number in lookup.original_numbers([term.article_id]):
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
            "number": lookup.original_numbers([item.article_id or ""])[:1],
            "outlet": item.outlet or "unknown outlet",
            "terms": [t.term + (f" ×{t.count}" if t.count > 1 else "") for t in item.terms],
        }
        for item in comparison.framing
        if item.kind == "distinctive_words"
    ]
    return {"entities": entities, "words": words}


def coverage(story: Story, comparison: Comparison, labels: OutletLabels | None) -> dict[str, Any]:
    """Which source states which fact: agreed facts, each conflict's values, unique facts."""
    lookup = SourceIndex(story)
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
        have = set(lookup.original_numbers(fact.article_ids))
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
            for number in lookup.original_numbers([value.article_id]):
                cells[number - 1] = value.phrase or value.value
        rows.append({"group": "conflict", "label": conflict.subject, "cells": cells})
    for fact in comparison.unique[:MAX_UNIQUE]:
        have = set(lookup.original_numbers(fact.article_ids))
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
