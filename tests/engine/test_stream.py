import json
from pathlib import Path

from storyline.cluster import StoryClusterer
from storyline.engine.ingest import ingest
from storyline.engine.partition import partitioned_cluster
from storyline.engine.signatures import signature
from storyline.engine.stream import ShardSink, ingest_stream
from storyline.model import Article
from storyline.pipeline import Pipeline

from .conftest import SHARDS


class ListSink:
    def __init__(self) -> None:
        self.assigned: list[tuple[Article, str]] = []
        self.closed = False

    def write(self, assigned: list[tuple[Article, str]]) -> None:
        self.assigned.extend(assigned)

    def close(self) -> None:
        self.closed = True


def stories(assigned: list[tuple[Article, str]]) -> list[set[str]]:
    groups: dict[str, set[str]] = {}
    for article, story in assigned:
        groups.setdefault(story, set()).add(article.id)
    return sorted(groups.values(), key=sorted)


def test_stream_gives_the_partitioned_stories_and_drops_the_copy(
    wire_articles: list[Article],
) -> None:
    sink = ListSink()
    batches = [
        (wire_articles[i : i + 4], [signature(a, 128) for a in wire_articles[i : i + 4]], [])
        for i in range(0, len(wire_articles), 4)
    ]
    counts = ingest_stream(
        batches, sink, make_clusterer=StoryClusterer, threshold=0.8, permutations=128,
        block_days=5, overlap_days=5,
    )
    assert sink.closed and counts.duplicates == 1 and counts.kept == len(wire_articles) - 1
    kept = [a for a in wire_articles if a.id != "APW19981003.0741.copy"]
    expected = partitioned_cluster(kept, StoryClusterer, block_days=5, overlap_days=5)
    assert stories(sink.assigned) == sorted(({a.id for a in g} for g in expected), key=sorted)
    # The undated article (after a Nov 23 one) is in the Nov 23 story.
    by_id = {a.id: story for a, story in sink.assigned}
    assert by_id["APW19981123.1118"] == by_id["APW19981123.0259"]
    assert counts.peak_open_articles < len(wire_articles)  # never the whole stream at once


def test_local_ingest_reads_shards_into_shard_files(tmp_path: Path) -> None:
    sink = ShardSink(tmp_path, per_shard=10)
    counts = ingest([str(s) for s in SHARDS], sink, Pipeline(), block_days=5, overlap_days=5)
    lines = [json.loads(line) for p in sink.shards for line in p.read_text().splitlines()]
    assert len(sink.shards) == 2 and len(lines) == counts.kept == 18
    assert {line["story"] for line in lines} == {f"s{n}" for n in range(counts.stories)}
    assert not list(tmp_path.glob("*.tmp"))
