"""The renderers' source lookup gives the numbers and articles the story's own methods give."""

from __future__ import annotations

import pytest

from storyline.model import Report
from storyline.report.comparison_md import comparison_markdown
from storyline.report.sources import SourceIndex


def test_the_index_answers_as_the_story_does(iraq_report: Report) -> None:
    story = iraq_report.stories[0]
    # A copy of the first article at the end: the same id twice, numbered by its first place.
    first = story.articles[0]
    story = story.model_copy(update={"copies": [*story.copies, first]})
    lookup = SourceIndex(story)
    every = [*story.articles, *story.copies]
    assert len(every) >= 6
    for article in every:
        assert lookup.number(article.id) == story.source_number(article.id)
        assert lookup.article(article.id) is story.article(article.id)
    ids = [a.id for a in reversed(every)]
    assert lookup.numbers(ids) == sorted({story.source_number(i) for i in ids})
    originals = {a.id for a in story.articles}
    assert lookup.original_numbers([*ids, "nowhere"]) == sorted(
        {story.source_number(i) for i in ids if i in originals}
    )
    for ask in (lookup.number, lookup.article, lambda i: lookup.numbers([i])):
        with pytest.raises(KeyError):
            ask("nowhere")


def test_many_sources_are_never_searched_once_per_marker(iraq_report: Report) -> None:
    # Every [n] marker once looked its source up from the top of the story: 2,000 sources made
    # the comparison's Markdown quadratic. Counted, not timed: the story's own linear lookups
    # are not called once per marker any more.
    story = iraq_report.stories[0]
    assert story.comparison is not None
    calls = {"source_number": 0, "article": 0}
    real_number, real_article = type(story).source_number, type(story).article

    def counted(name, real):
        def call(self, article_id):
            calls[name] += 1
            return real(self, article_id)

        return call

    many = story.model_copy(
        update={
            "copies": [
                story.articles[0].model_copy(update={"id": f"copy-{n}"}) for n in range(2000)
            ]
        }
    )
    try:
        type(story).source_number = counted("source_number", real_number)
        type(story).article = counted("article", real_article)
        text = comparison_markdown(many, story.comparison)
    finally:
        type(story).source_number, type(story).article = real_number, real_article
    assert "[2006]" in text or "[2005]" in text  # the copies are listed and numbered
    assert calls == {"source_number": 0, "article": 0}
