"""Near copies dropped by dedupe stay evidence for the comparison (issue 24)."""

import json
from pathlib import Path

import pytest

import storyline
from storyline.model import Article, Report
from storyline.report import to_markdown

IRAQ = Path(__file__).resolve().parent / "fixtures" / "compare" / "iraq_articles.json"


@pytest.fixture(scope="module")
def edited_copy() -> Report:
    """A real article, a syndicated copy of it with one figure edited, and another source."""
    articles = [Article(**a) for a in json.loads(IRAQ.read_text(encoding="utf-8"))]
    original = articles[0]
    assert "560" in original.text
    copy = original.model_copy(
        update={"id": "", "outlet": "Copy Wire", "text": original.text.replace("560", "650")}
    )
    copy = Article(**copy.model_dump(exclude={"id"}))
    return storyline.digest([original, copy, articles[1]])


def test_the_copy_travels_with_its_story(edited_copy: Report) -> None:
    (story,) = edited_copy.stories
    assert len(story.articles) == 2 and len(story.copies) == 1
    copy = story.copies[0]
    (dup,) = [d for d in edited_copy.duplicates if d.dropped == copy.id]
    assert story.copy_of[copy.id] == dup.kept == story.articles[0].id
    # The summary counts the copy once: it cites only the story's articles.
    cited = {c.article_id for s in story.summary for c in s.citations}
    assert copy.id not in cited
    # Copies are numbered after the articles and listed as copies.
    assert story.source_number(copy.id) == 3
    numbers = story.source_numbers()
    assert numbers == {a.id: story.source_number(a.id) for a in [*story.articles, *story.copies]}
    assert "_(copy of [1])_" in to_markdown(edited_copy)


def test_the_edited_figure_is_a_conflict(edited_copy: Report) -> None:
    (story,) = edited_copy.stories
    assert story.comparison is not None
    copy_id = story.copies[0].id
    clashing = [
        c
        for c in story.comparison.conflicts
        if {v.article_id for v in c.values} >= {copy_id, story.articles[0].id}
    ]
    assert clashing, "the copy's edited figure is not reported"
    values = {v.value for c in clashing for v in c.values}
    assert any("650" in v for v in values) and any("560" in v for v in values)


def test_an_article_and_its_copy_are_one_source(edited_copy: Report) -> None:
    (story,) = edited_copy.stories
    assert story.comparison is not None
    for fact in story.comparison.facts:
        origins = {story.origin(a) for a in fact.article_ids}
        assert fact.sources == len(origins) >= 2
    # Facts only the article and its copy state are unique, not agreed.
    copy_only = [
        f
        for f in story.comparison.unique
        if set(f.article_ids) == {story.articles[0].id, story.copies[0].id}
    ]
    assert copy_only and all(f.sources == 1 for f in copy_only)
