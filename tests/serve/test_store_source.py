"""The store behind the web app's StorySource protocol."""

from datetime import UTC, datetime
from pathlib import Path

from storyline import Settings, Store
from storyline.ingest import read_inputs
from storyline.serve import source


def test_the_store_is_a_story_source(example_dir: Path, tmp_path: Path) -> None:
    from storyline.serve.store_source import StoreSource

    store_source = StoreSource(Store(tmp_path / "s", settings=Settings(compare=False)))
    assert isinstance(store_source, source.StorySource)
    articles = read_inputs([example_dir]).articles
    added = store_source.add_articles(articles)
    assert [(r.status, r.story_id) for r in added] == [("added", "s1")] * 5
    (again,) = store_source.add_articles(articles[:1])
    assert again.status == "duplicate"
    page = store_source.list_stories(search="Qayyarah")
    assert page.total == 1 and page.stories[0].articles == 5 and page.stories[0].lede
    assert store_source.get_story("s1").title == "US will send 560 more soldiers to Iraq"
    assert store_source.get_story("s9") is None
    changes = store_source.story_changes("s1", datetime(2000, 1, 1, tzinfo=UTC))
    assert len(changes.articles_added) == 5
