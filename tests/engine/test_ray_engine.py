"""The Ray engine on a local Ray instance gives the local engine's report.

Ray's start-up takes several seconds (more on a loaded machine), so these are slow tests, one
Ray instance for the module; CI runs them with ``pytest -m slow`` after installing the extra.
"""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.engine import get_engine
from storyline.engine.ingest import ingest
from storyline.pipeline import Pipeline
from storyline.report import to_json
from storyline.settings import Settings

from .conftest import SHARDS, wire_rows

ray = pytest.importorskip("ray", reason="the ray extra is not installed (CI installs it)")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


@pytest.fixture
def mixed_inputs(tmp_path: Path, example_dir: Path) -> list[str]:
    """A JSONL shard, the same kind of wire data as a Parquet shard, and the scraped example."""
    rows = [json.loads(line) for line in SHARDS[1].read_text().splitlines()]
    parquet = tmp_path / "wire-part-1.parquet"
    pq.write_table(pa.Table.from_pylist(rows), parquet, row_group_size=4)
    return [str(SHARDS[0]), str(parquet), str(example_dir)]


def as_data(report) -> dict:
    data = json.loads(to_json(report))
    data.pop("generated_at", None)
    return data


@pytest.mark.usefixtures("ray_instance")
def test_ray_digest_is_the_local_digest(mixed_inputs: list[str], tmp_path: Path) -> None:
    settings = Settings(cluster=True)
    local = get_engine("local").run(Pipeline(settings), mixed_inputs)
    distributed = get_engine("ray", workers=2).run(Pipeline(settings), mixed_inputs)
    assert len(local.stories) >= 3 and local.duplicates  # several stories, the copy dropped
    assert as_data(distributed) == as_data(local)  # same stories, summaries, comparisons
    assert ray.is_initialized()  # it joined the running instance and left it running


@pytest.mark.usefixtures("ray_instance")
def test_ray_ingest_assigns_the_stories_local_ingest_does() -> None:
    runs = {}
    for engine in ("local", "ray"):
        assigned: list[tuple[str, str]] = []

        class Sink:
            def write(self, batch, into=assigned) -> None:
                into.extend((article.id, story) for article, story in batch)

            def close(self) -> None:
                pass

        counts = ingest([str(s) for s in SHARDS], Sink(), Pipeline(), engine=engine,
                        workers=2, block_days=5, overlap_days=5)
        runs[engine] = (sorted(assigned), counts.duplicates, counts.blocks)
    assert runs["ray"] == runs["local"]
    assert len(runs["local"][0]) == len(wire_rows()) - 1  # all but the syndicated copy


@pytest.mark.usefixtures("ray_instance")
def test_ray_digest_clusters_by_time_block_in_two_passes_as_partitioned_cluster_does() -> None:
    from storyline.cluster.online import OnlineClusterer
    from storyline.engine.partition import partitioned_cluster

    # 7-day blocks over Oct-Nov 1998 wire stories: several blocks, each a Ray task, two passes.
    # (The online stage itself runs as one task, exact; a factory asks for the partitioning.)
    engine = get_engine("ray", workers=2, block_days=7, overlap_days=3, passes=2,
                        make_clusterer=OnlineClusterer)
    report = engine.run(Pipeline(Settings(cluster=True)), [str(s) for s in SHARDS])
    seen = {a.id: a for story in report.stories for a in story.articles}
    articles = [seen[r["id"]] for r in wire_rows() if r["id"] in seen]  # input order, cleaned
    expected = partitioned_cluster(articles, OnlineClusterer, block_days=7, overlap_days=3,
                                   passes=2)
    one_pass = partitioned_cluster(articles, OnlineClusterer, block_days=7, overlap_days=3)

    def grouping(groups: list) -> list[list[str]]:
        return sorted(sorted(a.id for a in g) for g in groups)

    assert grouping([s.articles for s in report.stories]) == grouping(expected)
    assert grouping(expected) != grouping(one_pass)  # the second pass changed something here
