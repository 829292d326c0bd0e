"""The in-memory source's list: word-prefix search, date filter, both orders, paging."""

from __future__ import annotations

from datetime import datetime

from storyline.model import Article, Report, Story, SummarySentence
from storyline.serve import MemorySource


def _story(n: int, title: str, day: int, articles: int = 1) -> Story:
    return Story(
        id=f"s{n}",
        title=title,
        articles=[
            Article(
                id=f"a{n}-{k}", outlet=f"Outlet {k}", text=title, published=datetime(2016, 7, day)
            )
            for k in range(articles)
        ],
        summary=[SummarySentence(text=f"{title}, officials said.")],
    )


def test_search_by_word_prefix(iraq_report: Report) -> None:
    source = MemorySource(
        [*iraq_report.stories, _story(1, "Flood in Dhaka", 3), _story(2, "Floods close roads", 4)]
    )
    assert [s.id for s in source.list_stories(search="flood").stories] == ["s2", "s1"]
    assert [s.id for s in source.list_stories(search="FLOODS roads").stories] == ["s2"]
    # Words anywhere in the summary count, not only the title; every word must match.
    iraq = iraq_report.stories[0].id
    assert [s.id for s in source.list_stories(search="Qayara air base").stories] == [iraq]
    assert source.list_stories(search="qayara flood").total == 0
    assert source.list_stories(search="oods").total == 0  # a word's start, not its middle
    assert source.list_stories(search="outlet 0").total == 2  # outlets are searched too


def test_since_sort_and_paging() -> None:
    source = MemorySource([_story(n, f"Story {n}", 1 + n, articles=5 - n) for n in range(5)])
    assert [s.id for s in source.list_stories().stories] == ["s4", "s3", "s2", "s1", "s0"]
    assert [s.id for s in source.list_stories(sort="size").stories][:2] == ["s0", "s1"]
    page = source.list_stories(limit=2, offset=2)
    assert [s.id for s in page.stories] == ["s2", "s1"] and page.total == 5
    since = source.list_stories(since=datetime(2016, 7, 3))
    assert [s.id for s in since.stories] == ["s4", "s3"]
