"""Markdown rendering of a story's comparison, sources shown as [n] markers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.report.escape import markdown_text as _md
from storyline.report.sources import SourceIndex
from storyline.text.lexicon import MONTH_NAMES

if TYPE_CHECKING:
    from storyline.model import Comparison, Evidence, Fact, Story, TimelineEvent

MAX_UNIQUE = 8
MAX_TIMELINE = 8
MAX_TIMELINE_TEXT = 220
LEAD = 0.2  # the first fifth of an article: where its own most important facts are


def _clip(text: str, limit: int = MAX_TIMELINE_TEXT) -> str:
    """Cut to ``limit`` characters, then escape: article text is untrusted."""
    text = " ".join(text.split())
    return _md(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")


def _refs(index: SourceIndex, article_ids: list[str]) -> str:
    return "".join(f"[{n}]" for n in index.numbers(article_ids))


def _source(index: SourceIndex, article_id: str, published: str | None = None) -> str:
    article = index.article(article_id)
    date = published or (article.published.date().isoformat() if article.published else "n.d.")
    outlet = _md(article.outlet) or "unknown outlet"
    return f"[{index.number(article_id)}] {outlet}, {_md(date)}"


def _date_label(iso: str) -> str:
    """ISO dates as they are; "--01-20" (a day with no year) as "20 January, year unknown"."""
    if iso.startswith("--") and len(iso) == 7:
        month, day = int(iso[2:4]), int(iso[5:7])
        return f"{day} {MONTH_NAMES[month - 1]}, year unknown"
    return _md(iso)


def _outlet_list(fact: Fact) -> str:
    """ "Newswire.net, Press TV and 2 more": the named outlets, and how many have no name."""
    named = list(dict.fromkeys(o for o in fact.outlets if o))
    unnamed = fact.sources - len(named)
    if not named:
        return "outlets not named"
    return ", ".join(_md(o) for o in named) + (f" and {unnamed} more" if unnamed > 0 else "")


def _quote_evidence(ev: Evidence) -> str:
    return f"“{_clip(ev.text)}”"


def _in_lead(index: SourceIndex, ev: Evidence) -> bool:
    if ev.caption is not None:
        return False  # a photo caption, not the article's lead
    text = index.article(ev.article_id).text
    return bool(text) and ev.start <= LEAD * len(text)


def _names_in(text: str, names: list[str]) -> int:
    return sum(1 for n in names if n and n in text)


def _unique_rank(index: SourceIndex, fact: Fact, names: list[str]) -> tuple[float, int]:
    """Informative first: in the article's lead, about a named counted thing, naming entities."""
    ev = fact.evidence[0]
    score = 2.0 * _in_lead(index, ev)
    score += 1.0 if fact.kind != "count" or not fact.subject.startswith("count") else 0.0
    score += min(_names_in(ev.text, names), 3) * 0.5
    return -score, ev.start


def _event_rank(index: SourceIndex, event: TimelineEvent, names: list[str]) -> tuple[float, str]:
    score = 2.0 * len(event.article_ids) + (1.0 if event.granularity == "day" else 0.0)
    score += 1.5 * any(_in_lead(index, ev) for ev in event.evidence)
    score += min(_names_in(event.text, names), 3) * 0.5
    return -score, event.date


def comparison_markdown(story: Story, comparison: Comparison, *, standalone: bool = True) -> str:
    """The comparison as Markdown: six ``## `` sections.

    ``standalone=False`` leaves out the "# Comparison" heading and the source list, for
    embedding under a story's own heading and sources.
    """
    index = SourceIndex(story)  # one lookup table for the many [n] markers below
    lines: list[str] = []
    if standalone:
        lines += [f"# Comparison: {_md(story.title or story.id)}", ""]
        sources = [_source(index, a.id) for a in story.articles]
        sources += [
            f"{_source(index, c.id)} (copy of [{index.number(story.origin(c.id))}])"
            for c in story.copies
        ]
        lines.append("Sources: " + "; ".join(sources))
        lines.append("")
    names = [e.name for e in comparison.entities]

    lines += ["## Agreed", ""]
    if not comparison.facts:
        lines.append("_No fact is stated by more than one source._")
    for fact in comparison.facts:
        outlets = _outlet_list(fact)
        if fact.kind == "date":
            lines.append(
                f"- **{_md(fact.value)}** ({_md(fact.text)}): "
                f"{_quote_evidence(fact.evidence[0])} — "
                f"{fact.sources} sources ({outlets}) {_refs(index, fact.article_ids)}"
            )
        else:
            lines.append(
                f"- **{_md(fact.value)}** — {_md(fact.subject)}: “{_md(fact.text)}” — "
                f"{fact.sources} sources "
                f"({outlets}) {_refs(index, fact.article_ids)}"
            )
    lines.append("")

    lines += ["## Conflicting", ""]
    if not comparison.conflicts:
        lines += ["_No conflicting values found._", ""]
    for conflict in comparison.conflicts:
        lines.append(f"### {_md(conflict.subject)} — {_md(conflict.status)}")
        lines.append("")
        for i, value in enumerate(conflict.values):
            lines.append(
                f"{i + 1}. **{_md(value.phrase or value.value)}** "
                f"(normalised: {_md(value.value)}) — "
                f"{_source(index, value.article_id, value.published)}: “{_clip(value.text)}”"
            )
        if conflict.pairs:
            lines.append("")
            verdicts = []
            for pair in conflict.pairs:
                a, b = conflict.values[pair.a], conflict.values[pair.b]
                verdicts.append(
                    f"[{index.number(a.article_id)}] vs "
                    f"[{index.number(b.article_id)}]: {_md(pair.status)}"
                )
            lines.append("Pairs: " + "; ".join(verdicts) + ".")
        lines.append("")

    lines += ["## Only one source", ""]
    if not comparison.unique:
        lines.append("_Every fact found is stated by two or more sources._")
    shown = sorted(comparison.unique, key=lambda f: _unique_rank(index, f, names))[:MAX_UNIQUE]
    for fact in sorted(shown, key=lambda f: (index.number(f.article_ids[0]), f.evidence[0].start)):
        lines.append(
            f"- **{_md(fact.text)}** ({_md(fact.value)}, {_md(fact.subject)}): "
            f"{_quote_evidence(fact.evidence[0])} {_refs(index, fact.article_ids)}"
        )
    if len(comparison.unique) > MAX_UNIQUE:
        lines.append(f"- … and {len(comparison.unique) - MAX_UNIQUE} more")
    lines.append("")

    lines += ["## Quotes", ""]
    if not comparison.quotes:
        lines.append("_No direct quotes._")
    for quote in comparison.quotes:
        speaker = _md(quote.speaker) or "unattributed"
        lines.append(f"- **{speaker}**: “{_clip(quote.text)}” {_refs(index, quote.article_ids)}")
        speakers = {v.speaker for v in quote.variants}
        if quote.wording_differs or len(speakers) > 1:
            for v in quote.variants:
                who = f" (attributed to {_md(v.speaker)})" if len(speakers) > 1 else ""
                outlet = _md(v.outlet) or "unknown outlet"
                number = index.number(v.article_id)
                lines.append(f"  - [{number}] {outlet}{who}: “{_clip(v.text)}”")
    lines.append("")

    lines += ["## Framing", ""]
    if not comparison.framing:
        lines.append("_No differences in wording found._")
    for item in comparison.framing:
        if item.kind == "entity_terms":
            per_source: dict[str, list[str]] = {}
            for term in item.terms:
                per_source.setdefault(term.article_id, []).append(f"{_md(term.term)} ×{term.count}")
            parts = [
                f"[{index.number(aid)}] " + ", ".join(terms)
                for aid, terms in sorted(per_source.items(), key=lambda x: index.number(x[0]))
            ]
            lines.append(f"- **{_md(item.entity)}**: " + "; ".join(parts))
    distinctive = [f for f in comparison.framing if f.kind == "distinctive_words"]
    if distinctive:
        lines += ["", "Words only one source uses:", ""]
        for item in distinctive:
            words = ", ".join(
                f"{_md(t.term)} ×{t.count}" if t.count > 1 else _md(t.term) for t in item.terms
            )
            number = index.number(item.article_id or "")
            lines.append(f"- [{number}] {_md(item.outlet) or 'unknown outlet'}: {words}")
    lines.append("")

    lines += ["## Timeline", ""]
    if not comparison.timeline:
        lines.append("_No dated events._")
    events = sorted(comparison.timeline, key=lambda e: _event_rank(index, e, names))[:MAX_TIMELINE]
    # Dates without a year ("20 January" in an undated article) cannot be placed: last.
    for event in sorted(
        events, key=lambda e: (e.date.startswith("--"), e.date, -len(e.article_ids))
    ):
        said = ", ".join(f"“{_md(d)}”" for d in event.date_text)
        from_caption = bool(event.evidence) and event.evidence[0].caption is not None
        lines.append(
            f"- **{_date_label(event.date)}** ({said}): "
            f"{'photo caption: ' if from_caption else ''}{_clip(event.text)} "
            f"{_refs(index, event.article_ids)}"
        )
    if len(comparison.timeline) > MAX_TIMELINE:
        lines.append(f"- … and {len(comparison.timeline) - MAX_TIMELINE} more dated events")
    lines.append("")
    return "\n".join(lines)
