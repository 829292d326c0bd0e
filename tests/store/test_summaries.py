"""The versions an ingest keeps are the same computed on one process or on the workers."""

import os
import zlib
from pathlib import Path

from store_helpers import stream_articles

from storyline import Settings, Store
from storyline.pipeline import Pipeline

# Real wire articles, compared too: the comparison's result must survive the trip back.
SETTINGS = Settings(clean=False)


def kept_versions(store: Store) -> list[tuple]:
    rows = store.connection.execute(
        "SELECT story_id, version, members, story FROM story_versions ORDER BY 1, 2"
    ).fetchall()
    return [(*row[:3], zlib.decompress(row[3])) for row in rows]


def test_versions_computed_on_the_workers_are_those_of_one_process(
    tmp_path: Path, monkeypatch
) -> None:
    articles = stream_articles(24)
    alone = Store(tmp_path / "alone", settings=SETTINGS, workers=1)
    alone.ingest(articles)
    where = tmp_path / "computed-in"
    original = Pipeline.story

    def recorded(self, batch, *args, **kwargs):  # inherited by the forked workers
        with where.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return original(self, batch, *args, **kwargs)

    monkeypatch.setattr(Pipeline, "story", recorded)
    shared = Store(tmp_path / "shared", settings=SETTINGS, workers=2)
    result = shared.ingest(articles)
    assert result.stories_created >= 3  # several stories, so several go to the workers
    expected = kept_versions(alone)
    assert len(expected) == result.stories_created
    assert kept_versions(shared) == expected
    processes = where.read_text().split()
    assert len(processes) == len(expected)  # one computation a story
    assert str(os.getpid()) not in processes  # all of them on the workers
