"""``ingest``: a corpus of any size into a sink, locally or on Ray, in bounded memory.

This is the function ``storyline ingest CORPUS... --engine ray`` calls once the store lands:
the store becomes the sink (see :mod:`storyline.engine.stream` for the class). Reading,
cleaning and signing are the same Ray Data steps as the digest's; the stream of prepared
batches is consumed as it is produced (Ray Data's streaming executor holds back the readers
when the driver falls behind), and each time block is clustered by a Ray task.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from storyline.cluster import StoryClusterer
from storyline.engine.partition import cluster_block
from storyline.engine.ray_engine import (
    _pack,
    _Prepare,
    _read_shards,
    default_clusterer_factory,
    ray_session,
)
from storyline.engine.shards import expand_shards, read_shard
from storyline.engine.signatures import signature
from storyline.engine.stream import IngestCounts, Prepared, Sink, ingest_stream
from storyline.ingest import Input
from storyline.model import Article, Problem
from storyline.pipeline import Pipeline

BLOCK_DAYS = 30.0  # a live feed's stories: see partition.py for what a block costs in fidelity
OVERLAP_DAYS = 3.0
DEDUPE_WINDOW_DAYS = 7.0


def local_batches(
    pipeline: Pipeline, inputs: Iterable[Input], batch_size: int = 256
) -> Iterator[Prepared]:
    """Prepared batches in one process: read a shard, clean and sign a batch at a time."""
    permutations = pipeline.settings.dedupe.permutations
    for shard in expand_shards(list(inputs)):
        read = read_shard(shard, pipeline.settings, pipeline.reader)
        yield [], [], read.problems
        for start in range(0, len(read.articles), batch_size):
            ready, problems = pipeline.prepare(read.articles[start : start + batch_size])
            yield ready, [signature(a, permutations) for a in ready], problems


def ray_batches(
    ray: Any, pipeline: Pipeline, inputs: Iterable[Input], *, workers: int, batch_size: int = 64
) -> Iterator[Prepared]:
    """Prepared batches from Ray Data, streamed to the caller as workers finish them."""
    permutations = pipeline.settings.dedupe.permutations
    dataset = ray.data.from_items([{"shard": _pack(s)} for s in expand_shards(list(inputs))])
    prepared = dataset.map_batches(
        _read_shards, fn_kwargs={"pipeline": pipeline}, batch_size=1, batch_format="numpy"
    ).map_batches(
        _Prepare,
        fn_constructor_kwargs={"pipeline": pipeline, "permutations": permutations},
        batch_size=batch_size, batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=workers),
    )
    for batch in prepared.iter_batches(batch_size=None, batch_format="numpy"):
        articles: list[Article] = []
        signatures: list[np.ndarray] = []
        problems: list[Problem] = []
        for kind, data, signed in zip(batch["kind"], batch["data"], batch["signature"],
                                      strict=True):
            if kind == "article":
                articles.append(Article.model_validate_json(data))
                signatures.append(np.frombuffer(signed, dtype=np.uint64))
            else:
                problems.append(Problem.model_validate_json(data))
        yield articles, signatures, problems


def ingest(
    inputs: Iterable[Input],
    sink: Sink,
    pipeline: Pipeline | None = None,
    *,
    engine: str = "local",
    address: str | None = None,
    workers: int | None = None,
    block_days: float = BLOCK_DAYS,
    overlap_days: float = OVERLAP_DAYS,
    dedupe_window_days: float = DEDUPE_WINDOW_DAYS,
) -> IngestCounts:
    """Read, clean, dedupe and cluster ``inputs`` into ``sink``; returns what was done."""
    pipeline = pipeline or Pipeline()
    # The stream is always clustered: a batch-only clusterer cannot be fed block by block.
    make = default_clusterer_factory(pipeline) or functools.partial(
        StoryClusterer, threshold=pipeline.settings.cluster.threshold
    )
    options: dict[str, Any] = {
        "make_clusterer": make,
        "threshold": pipeline.settings.dedupe.jaccard,
        "permutations": pipeline.settings.dedupe.permutations,
        "block_days": block_days,
        "overlap_days": overlap_days,
        "dedupe_window_days": dedupe_window_days,
    }
    if engine == "local":
        return ingest_stream(local_batches(pipeline, inputs), sink, **options)
    with ray_session(address, workers) as ray:
        size = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        task = ray.remote(cluster_block)
        return ingest_stream(
            ray_batches(ray, pipeline, inputs, workers=size),
            sink,
            submit=lambda articles: task.remote(articles, make),
            result=ray.get,
            in_flight=size + 1,
            **options,
        )


__all__ = ["ingest", "local_batches", "ray_batches"]
