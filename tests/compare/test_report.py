from __future__ import annotations

import json

from storyline.compare.schema import Comparison
from storyline.model import Story
from storyline.report.comparison_md import comparison_markdown


def test_markdown_sections(iraq: Comparison, iraq_story: Story) -> None:
    md = comparison_markdown(iraq_story, iraq)
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Agreed",
        "## Conflicting",
        "## Only one source",
        "## Quotes",
        "## Framing",
        "## Timeline",
    ]
    assert "[1] vs [2]: conflict" in md
    assert "different dates" in md


def test_embedded_markdown_has_only_the_sections(iraq: Comparison, iraq_story: Story) -> None:
    md = comparison_markdown(iraq_story, iraq, standalone=False)
    assert md.startswith("## Agreed")
    assert "# Comparison" not in md and "Sources:" not in md
    assert next(line for line in md.splitlines() if line.startswith("#")) == "## Agreed"


def test_long_sections_are_capped(iraq: Comparison, iraq_story: Story) -> None:
    md = comparison_markdown(iraq_story, iraq, standalone=False)
    unique = md.split("## Only one source")[1].split("## Quotes")[0]
    items = [line for line in unique.splitlines() if line.startswith("- **")]
    assert len(items) == min(8, len(iraq.unique))
    if len(iraq.unique) > 8:
        assert f"… and {len(iraq.unique) - 8} more" in unique
    timeline = md.split("## Timeline")[1]
    events = [line for line in timeline.splitlines() if line.startswith("- **")]
    assert len(events) <= 8
    dates = [line.split("**")[1] for line in events]
    assert dates == sorted(dates)
    assert "2016-07-11" in dates  # the announcement, stated by four sources, is kept


def test_json_keys(iraq: Comparison, iraq_story: Story) -> None:
    iraq_story = iraq_story.model_copy()
    iraq_story.comparison = iraq
    data = json.loads(iraq_story.model_dump_json())["comparison"]
    for key in ("facts", "conflicts", "unique", "quotes", "framing", "timeline"):
        assert key in data
    value = data["conflicts"][0]["values"][0]
    assert {"value", "text", "article_id", "start", "end"} <= set(value)
    assert {"speaker", "text", "article_ids"} <= set(data["quotes"][0])
    assert {"date", "text", "article_ids"} <= set(data["timeline"][0])


def test_every_item_is_evidenced(iraq: Comparison, iraq_story: Story) -> None:
    for fact in iraq.facts + iraq.unique:
        for ev in fact.evidence:
            assert iraq_story.article(ev.article_id).text[ev.start : ev.end] == ev.text
    for event in iraq.timeline:
        for ev in event.evidence:
            article = iraq_story.article(ev.article_id)
            # A caption's evidence cites the caption itself (Evidence.caption), never the body.
            cited = article.text if ev.caption is None else article.captions[ev.caption]
            assert cited[ev.start : ev.end] == ev.text


def test_schema_import_is_light() -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = "import sys, storyline.compare.schema, storyline.compare; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_sources_without_outlet_or_year_read_as_such(iraq: Comparison, iraq_story: Story) -> None:
    anonymous = iraq_story.model_copy(
        update={"articles": [a.model_copy(update={"outlet": None}) for a in iraq_story.articles]}
    )
    md = comparison_markdown(anonymous, iraq)
    assert "None" not in md
    assert "unknown outlet" in md


def test_a_day_without_a_year_says_so() -> None:
    from storyline.report.comparison_md import _date_label

    assert _date_label("--01-20") == "20 January, year unknown"
    assert _date_label("2016-07-11") == "2016-07-11"


def test_agreed_facts_count_unnamed_outlets(iraq: Comparison, iraq_story: Story) -> None:
    anonymous = iraq_story.model_copy(
        update={
            "articles": [
                a.model_copy(update={"outlet": a.outlet if i == 0 else None})
                for i, a in enumerate(iraq_story.articles)
            ]
        }
    )
    facts = iraq.model_copy(
        update={
            "facts": [
                f.model_copy(update={"outlets": [f.outlets[0]] + [""] * (f.sources - 1)})
                for f in iraq.facts
            ]
        }
    )
    md = comparison_markdown(anonymous, facts)
    agreed = md.split("## Agreed")[1].split("## Conflicting")[0]
    assert "4 sources (Newswire.net and 3 more)" in agreed
