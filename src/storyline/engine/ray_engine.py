"""The Ray engine: the same pipeline, with its pure stages spread over a Ray cluster.

* read (a shard per file), clean and MinHash signing are Ray Data ``map_batches`` over an
  actor pool, each actor holding one :class:`Pipeline` (its stages are loaded once);
* the dedupe LSH pass holds state and runs once, in the driver, over the gathered signatures;
* clustering is partitioned by time (:mod:`storyline.engine.partition`): one Ray task per time
  block, merged over the overlaps in the driver, then a second pass (a task per block again)
  that replays each block's open stories first (:mod:`storyline.engine.history`);
* summarizing and comparing are Ray Data ``map_batches`` over the stories (an actor pool, so
  spaCy is loaded once per worker).

With no ``address`` a local Ray instance is started (``workers`` CPUs) and stopped at the end;
``address="auto"`` or ``"ray://head:10001"`` joins a running cluster, whose nodes need storyline
installed (``pip install 'storyline[ray]'``) or a ``runtime_env``.
"""

from __future__ import annotations

import copy
import functools
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import numpy as np

from storyline.cluster import CentroidClusterer, StoryClusterer
from storyline.dedupe import MinHashDeduper
from storyline.engine.partition import Adds, partitioned_cluster
from storyline.engine.shards import expand_shards, read_shard
from storyline.engine.signatures import dedupe_signed, signature
from storyline.ingest import Input
from storyline.model import Article, Problem, Report, Story
from storyline.pipeline import Pipeline, Progress, record_dedupe
from storyline.stages import OneStory
from storyline.version import __version__

INSTALL_HINT = "the ray engine needs Ray: pip install 'storyline[ray]'"
BLOCK_DAYS = 600.0  # the dev stream's stories live for years (README: what each gives)
OVERLAP_DAYS = 600.0
# A second pass, each block replaying the history of the first pass's open stories
# (engine/history.py): on the dev stream, B-cubed against one clusterer 0.962 -> 0.994 with the
# online clusterer, 0.990 -> 0.995 with the centroid one, for about twice the clustering's cost.
PASSES = 2


class EngineUnavailable(RuntimeError):
    """An engine whose optional dependency is not installed."""


def require_ray() -> Any:
    try:
        import ray
        import ray.data  # Ray Data is a separate part of the ray package
    except ImportError as error:
        raise EngineUnavailable(INSTALL_HINT) from error
    return ray


@contextmanager
def ray_session(address: str | None, workers: int | None) -> Iterator[Any]:
    """Join ``address`` or start a local instance; stop only what was started here."""
    ray = require_ray()
    started = False
    if not ray.is_initialized():
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                   "configure_logging": False}
        if address:
            ray.init(address=address, **options)
        else:
            ray.init(num_cpus=workers or os.cpu_count() or 1, **options)
        started = True
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # the report's order is the input's
    context.enable_progress_bars = False
    context.target_max_block_size = BLOCK_BYTES
    # Ray Data may otherwise fill half the object store (by default 30% of the machine's
    # memory) with read rows waiting for the cleaners: reading a shard takes a second,
    # cleaning it minutes. A budget per CPU keeps a few batches ahead of every cleaner.
    cpus = max(1, int(ray.cluster_resources().get("CPU", workers or 1)))
    context.execution_options.resource_limits = ray.data.ExecutionResources.for_limits(
        object_store_memory=cpus * DATA_BYTES_PER_CPU
    )
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()


def default_clusterer_factory(pipeline: Pipeline) -> Callable[[], Adds] | None:
    """A fresh clusterer per time block: the centroid clusterer, or a copy of one with add().

    The online stage (the default) has no ``add`` and runs as one task over all articles: its
    stories are then exactly the local engine's. ``RayEngine(make_clusterer=OnlineClusterer)``
    partitions it by time block too (with the second pass, B-cubed 0.994 against one process
    on the dev stream), for corpora where one clustering task is too slow."""
    clusterer = pipeline.clusterer
    if isinstance(clusterer, CentroidClusterer):
        return functools.partial(StoryClusterer, threshold=pipeline.settings.cluster.threshold)
    if callable(getattr(clusterer, "add", None)):
        return functools.partial(copy.deepcopy, clusterer)
    return None  # a batch-only clusterer: it runs as one task over all articles


READ_CHUNK = 256  # articles per output batch of the read step: what one clean call gets
BLOCK_BYTES = 2**20  # small Ray Data blocks (~256 articles): a big shard is cleaned by all
DATA_BYTES_PER_CPU = 256 * 2**20  # Ray Data's object-store budget (see ray_session)


def _read_shards(
    batch: dict[str, np.ndarray], pipeline: Pipeline
) -> Iterator[dict[str, list[Any]]]:
    """Ray Data task: read shards; a big shard comes out in chunks that are cleaned apart."""
    rows: dict[str, list[Any]] = {"kind": [], "data": [], "signature": []}
    for item in batch["shard"]:
        read = read_shard(_unpack(item), pipeline.settings, pipeline.reader)
        for problem in read.problems:
            _row(rows, "read_problem", problem.model_dump_json())
        for article in read.articles:
            _row(rows, "article", article.model_dump_json())
            if len(rows["kind"]) >= READ_CHUNK:
                yield rows
                rows = {"kind": [], "data": [], "signature": []}
    if rows["kind"]:
        yield rows


class _Prepare:
    """Ray Data actor: clean and sign articles, with one Pipeline (one cleaner) per actor."""

    def __init__(self, pipeline: Pipeline, permutations: int | None) -> None:
        self.pipeline = pipeline
        self.permutations = permutations

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, list[Any]]:
        rows: dict[str, list[Any]] = {"kind": [], "data": [], "signature": []}
        raw = [a for k, a in zip(batch["kind"], batch["data"], strict=True) if k == "article"]
        for kind, data in zip(batch["kind"], batch["data"], strict=True):
            if kind == "read_problem":
                _row(rows, kind, data)
        ready, problems = self.pipeline.prepare([Article.model_validate_json(a) for a in raw])
        for problem in problems:
            _row(rows, "clean_problem", problem.model_dump_json())
        for article in ready:
            signed = signature(article, self.permutations) if self.permutations else None
            _row(rows, "article", article.model_dump_json(), signed)
        return rows


class _Tell:
    """Ray Data actor: summarize and compare stories, one Pipeline (one spaCy) per actor."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, list[str]]:
        stories: list[str] = []
        problems: list[str] = []
        for group, group_copies in zip(batch["group"], batch["copies"], strict=True):
            articles = [Article.model_validate(a) for a in json.loads(group)]
            copies = {
                kept: [Article.model_validate(c) for c in found]
                for kept, found in json.loads(group_copies).items()
            }
            story, story_problems = self.pipeline.story(articles, copies)
            stories.append(story.model_dump_json())
            problems.append(json.dumps([p.model_dump(mode="json") for p in story_problems]))
        return {"story": stories, "problems": problems}


def _row(rows: dict[str, list[Any]], kind: str, data: str, signed: Any = None) -> None:
    rows["kind"].append(kind)
    rows["data"].append(data)
    # Arrow needs one type per column: the signature as raw bytes, empty when there is none.
    rows["signature"].append(b"" if signed is None else np.asarray(signed, np.uint64).tobytes())


def _pack(item: Input) -> str:
    if isinstance(item, Article):
        return "article:" + item.model_dump_json()
    return "input:" + os.fspath(item)


def _unpack(packed: Any) -> Input:
    text = str(packed)
    if text.startswith("article:"):
        return Article.model_validate_json(text.removeprefix("article:"))
    return text.removeprefix("input:")


class RayEngine:
    name = "ray"

    def __init__(
        self,
        address: str | None = None,
        *,
        workers: int | None = None,
        block_days: float = BLOCK_DAYS,
        overlap_days: float = OVERLAP_DAYS,
        passes: int = PASSES,
        batch_size: int = 64,
        make_clusterer: Callable[[], Adds] | None = None,
    ) -> None:
        require_ray()  # fail at once, with the install hint, not after reading
        self.address = address
        self.workers = workers
        self.block_days = block_days
        self.overlap_days = overlap_days
        self.passes = passes
        self.batch_size = batch_size
        self.make_clusterer = make_clusterer

    def run(
        self, pipeline: Pipeline, inputs: Input | Iterable[Input], *,
        progress: Progress | None = None,
    ) -> Report:
        settings = pipeline.settings
        report = Report(generated_at=datetime.now(UTC), version=__version__, query=settings.query)
        if isinstance(inputs, str | bytes | os.PathLike | Article):
            inputs = [inputs]
        shards: list[Input] = []
        for item in expand_shards(list(inputs)):
            if item == "-":  # stdin is read here: a worker has none
                shards.extend(pipeline.reader.read(["-"], settings).articles)
            else:
                shards.append(item)
        signing = isinstance(pipeline.deduper, MinHashDeduper)
        with ray_session(self.address, self.workers) as ray:
            workers = self._workers(ray)
            # Materialized: Ray Data would otherwise fuse reading into the cleaning actors, and
            # one big file would be cleaned by one worker. (The ingest path streams instead,
            # parallel across shards.) A digest holds its articles in memory anyway.
            read = ray.data.from_items([{"shard": _pack(s)} for s in shards]).map_batches(
                _read_shards, fn_kwargs={"pipeline": pipeline}, batch_size=1,
                batch_format="numpy",
            ).materialize()
            prepared = read.map_batches(
                _Prepare,
                fn_constructor_kwargs={
                    "pipeline": pipeline,
                    "permutations": settings.dedupe.permutations if signing else None,
                },
                batch_size=self.batch_size, batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=workers),
            )
            articles, hashvalues = [], []
            read_problems, clean_problems = [], []
            for row in prepared.iter_rows():
                kind, data = row["kind"], row["data"]
                if kind == "article":
                    articles.append(Article.model_validate_json(data))
                    hashvalues.append(np.frombuffer(row["signature"], dtype=np.uint64))
                else:
                    (read_problems if kind == "read_problem" else clean_problems).append(
                        Problem.model_validate_json(data))
            report.problems.extend(read_problems + clean_problems)
            copies: dict[str, list[Article]] = {}
            if len(articles) > 1:
                if signing:
                    deduplicated = dedupe_signed(
                        articles, hashvalues, threshold=settings.dedupe.jaccard,
                        permutations=settings.dedupe.permutations,
                    )
                else:
                    deduplicated = pipeline.deduper.dedupe(articles, settings)
                articles, copies = record_dedupe(report, articles, deduplicated)
            if not articles:
                return report
            groups = self._cluster(ray, pipeline, articles, report)
            told = ray.data.from_items(
                [
                    {
                        "group": json.dumps([a.model_dump(mode="json") for a in g]),
                        "copies": json.dumps(
                            {
                                a.id: [c.model_dump(mode="json") for c in copies[a.id]]
                                for a in g
                                if a.id in copies
                            }
                        ),
                    }
                    for g in groups
                ]
            ).map_batches(
                _Tell, fn_constructor_kwargs={"pipeline": pipeline}, batch_size=1,
                batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=max(1, min(workers, len(groups)))),
            )
            for row in told.iter_rows():
                report.stories.append(Story.model_validate_json(row["story"]))
                report.problems.extend(Problem.model_validate(p) for p in json.loads(
                    row["problems"]))
        return report

    def _workers(self, ray: Any) -> int:
        """Actors per pool: the ``workers`` asked for, else the cluster's CPUs."""
        return self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))

    def _cluster(
        self, ray: Any, pipeline: Pipeline, articles: list[Article], report: Report
    ) -> list[list[Article]]:
        if isinstance(pipeline.clusterer, OneStory):
            return [articles]
        make = self.make_clusterer or default_clusterer_factory(pipeline)
        if make is None:
            remote = ray.remote(lambda c, a, s: c.cluster(a, s))
            clustered = ray.get(remote.remote(pipeline.clusterer, articles, pipeline.settings))
            report.problems.extend(clustered.problems)
            return clustered.stories
        def map_tasks(function: Callable[..., Any], work: list[tuple[Any, ...]]) -> list[Any]:
            task = ray.remote(function)  # one Ray task per block
            return ray.get([task.remote(*arguments) for arguments in work])

        # Further passes replay stories (follow): a clusterer with add() only gets one.
        passes = self.passes if callable(getattr(make(), "follow", None)) else 1
        return partitioned_cluster(
            articles, make, block_days=self.block_days, overlap_days=self.overlap_days,
            passes=passes, map_tasks=map_tasks,
        )


__all__ = ["INSTALL_HINT", "EngineUnavailable", "RayEngine", "ray_session", "require_ray"]
