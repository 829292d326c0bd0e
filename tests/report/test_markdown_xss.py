"""Hostile article text in every section of the Markdown report, rendered by markdown-it-py:
no live element, no event handler, no link other than http(s)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from xss import HOSTILE_URLS, PAYLOADS, live_markup, render

import storyline
from storyline.compare.schema import (
    Comparison,
    Conflict,
    ConflictValue,
    Evidence,
    Fact,
    Framing,
    Quote,
    QuoteVariant,
    Term,
    TimelineEvent,
    ValuePair,
)
from storyline.model import Article, Citation, Report, Story, SummarySentence
from storyline.report import to_markdown
from storyline.report.comparison_md import comparison_markdown

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "iraq-troops-2016"


def _hostile_story() -> Story:
    """Every string field a section shows carries a payload (one per field, in turn)."""
    payloads = iter(PAYLOADS * 6)

    def bad() -> str:
        return f"560 troops {next(payloads)} in Qayyarah"

    articles = [
        Article(
            id=f"a{n}",
            outlet=bad(),
            title=bad(),
            author=bad(),
            url=HOSTILE_URLS[n % len(HOSTILE_URLS)],
            published=datetime(2016, 7, 11),
            text=bad() + " " + bad(),
            source=bad(),
        )
        for n in range(3)
    ]

    def evidence(n: int) -> Evidence:
        return Evidence(article_id=f"a{n}", outlet=bad(), start=0, end=10, text=bad())

    fact = Fact(
        id="f1", kind="count", value=bad(), subject=bad(), text=bad(), sources=2,
        outlets=[bad(), bad()], article_ids=["a0", "a1"], evidence=[evidence(0), evidence(1)],
    )  # fmt: skip
    date_fact = fact.model_copy(update={"id": "f2", "kind": "date"})
    unique = fact.model_copy(update={"id": "f3", "sources": 1, "article_ids": ["a2"]})
    values = [
        ConflictValue(
            value=bad(),
            text=bad(),
            article_id=f"a{n}",
            start=0,
            end=5,
            outlet=bad(),
            published=bad(),
            phrase=bad(),
        )
        for n in range(2)
    ]
    conflict = Conflict(
        id="c1", kind="count", subject=bad(), status="conflict", values=values,
        pairs=[ValuePair(a=0, b=1, status="conflict", reason=bad())],
    )  # fmt: skip
    variants = [
        QuoteVariant(
            article_id=f"a{n}",
            outlet=bad(),
            text=bad(),
            start=0,
            end=5,
            sentence_start=0,
            sentence_end=5,
            speaker=bad(),
            speaker_text=bad(),
        )
        for n in range(2)
    ]
    quote = Quote(
        id="q1", speaker=bad(), text=bad(), article_ids=["a0", "a1"], outlets=[bad()],
        variants=variants, wording_differs=True,
    )  # fmt: skip
    terms = [
        Term(term=bad(), article_id=f"a{n}", outlet=bad(), count=2, start=0, end=3)
        for n in range(2)
    ]
    framing = [
        Framing(kind="entity_terms", entity=bad(), terms=terms),
        Framing(kind="distinctive_words", article_id="a2", outlet=bad(), terms=terms),
    ]
    event = TimelineEvent(
        date="2016-07-09", granularity="day", text=bad(), article_ids=["a0"], outlets=[bad()],
        date_text=[bad()], evidence=[evidence(0)],
    )  # fmt: skip
    comparison = Comparison(
        facts=[fact, date_fact], conflicts=[conflict], unique=[unique], quotes=[quote],
        framing=framing, timeline=[event],
    )  # fmt: skip
    summary = [
        SummarySentence(
            text=bad(), citations=[Citation(article_id="a0", sentence_index=0, start=0, end=5)]
        )
    ]
    return Story(
        id="s1",
        title=bad(),
        articles=articles,
        summary=summary,
        comparison=comparison.model_dump(mode="json"),
    )


def test_every_section_of_a_hostile_story_is_inert() -> None:
    story = _hostile_story()
    report = Report(
        stories=[story],
        query="<script>alert('query')</script>",
        duplicates=[{"dropped": "a9", "kept": "a0", "reason": "exact duplicate",
                     "dropped_source": "<img src=x onerror=alert(1)>.txt",
                     "kept_source": "[x](javascript:alert(1)).txt"}],
        problems=[storyline.Problem(source="<script>x</script>", reason="<svg onload=alert(1)>")],
    )  # fmt: skip
    markdown = to_markdown(report)
    for section in ("Summary", "Agreed", "Conflicting", "Only one source", "Quotes", "Framing",
                    "Timeline"):  # fmt: skip
        assert f"## {section}" in markdown
    rendered = render(markdown)
    assert live_markup(rendered) == []
    # Only the two https URLs are links, percent-encoded so they cannot break out.
    assert rendered.count("<a ") == 2
    assert 'href="https://evil.example/a%3E%3Cscript%3Ealert(18)%3C/script%3E"' in rendered
    assert 'href="https://evil.example/%22%20onmouseover=%22alert(19)"' in rendered
    # The payloads are still there for the reader, as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "onerror=alert(2)" in rendered


def test_standalone_comparison_is_inert_too() -> None:
    story = _hostile_story()
    comparison = Comparison.model_validate(story.comparison)
    rendered = render(comparison_markdown(story, comparison, standalone=True))
    assert live_markup(rendered) == []
    assert "<h1>Comparison: 560 troops" in rendered


@pytest.mark.slow
def test_hostile_articles_end_to_end() -> None:
    """The real pipeline on the bundled articles with markup spliced into titles, outlets,
    quotes and bodies (the comparison runs, spaCy and all)."""
    articles = []
    for number, path in enumerate(sorted(EXAMPLE.glob("*.txt"))):
        payload = PAYLOADS[number % len(PAYLOADS)]
        text = path.read_text(encoding="utf-8")
        text = text.replace("Carter", f"Carter {payload}", 2).replace(
            "Mosul", f"Mosul {PAYLOADS[(number + 3) % len(PAYLOADS)]}", 2
        )
        text += f'\n"{payload} is here," Carter said on July 9, 2016, about 560 troops.\n'
        articles.append(
            Article(
                title=f"US sends 560 troops {payload}",
                outlet=f"Outlet {number} {PAYLOADS[(number + 1) % len(PAYLOADS)]}",
                url=HOSTILE_URLS[number % len(HOSTILE_URLS)],
                text=text,
            )
        )
    report = storyline.digest(articles, dedupe=False)
    assert report.stories and report.stories[0].comparison
    rendered = render(to_markdown(report))
    assert live_markup(rendered) == []
    assert "<script" not in rendered
