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
    assert page.total == 1 and page.stories[0].articles == 5
    assert page.stories[0].lede is None  # computed after the POST is answered, not during it
    version = store_source.story_version("s1")
    store_source.refresh_stories(["s1"])
    assert store_source.list_stories(search="Qayyarah").stories[0].lede
    # Computing the summary is not a change of the story: its page stays cached.
    assert store_source.story_version("s1") == version
    # The title is the headline of the titled article the summary cites most (which article
    # that is moves with the summary models).
    story = store_source.get_story("s1")
    cited = [c.article_id for sentence in story.summary for c in sentence.citations]
    most_cited = max((a for a in story.articles if a.title), key=lambda a: cited.count(a.id))
    assert story.title == most_cited.title and "560" in story.title
    assert store_source.get_story("s9") is None
    changes = store_source.story_changes("s1", datetime(2000, 1, 1, tzinfo=UTC))
    assert len(changes.articles_added) == 5


def test_a_post_answers_first_and_the_story_is_computed_after(
    example_dir: Path, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from storyline.serve import create_app
    from storyline.serve.store_source import StoreSource

    store = Store(tmp_path / "s", settings=Settings(compare=False))
    client = TestClient(create_app(StoreSource(store)))
    articles = read_inputs([example_dir]).articles
    body = [{"id": a.id, "text": a.text, "outlet": a.outlet, "title": a.title} for a in articles]
    answer = client.post("/articles", json=body)
    assert answer.status_code == 200
    assert {r["story_id"] for r in answer.json()} == {"s1"}
    # The test client runs the background task before it returns: the lede is there.
    listed = client.get("/stories", params={"search": "Qayyarah"}).json()
    assert listed["total"] == 1
    assert listed["stories"][0]["lede"]
    version = StoreSource(store).story_version("s1")
    first = client.get("/story/s1")
    assert first.status_code == 200 and "Qayyarah" in first.text
    assert StoreSource(store).story_version("s1") == version
