"""``ingest``: a corpus of any size into a sink, locally or on Ray, in bounded memory.

Reading, cleaning and signing are :mod:`storyline.engine.prepared`'s rows (Ray Data on the
ray engine, put back in input order); they are consumed as they are produced (Ray Data's
streaming executor holds back the readers when the driver falls behind), spilled per time
block and clustered a block at a time, each block by a Ray task (:mod:`.stream`). The stories
are the same on both engines. (``storyline ingest --engine ray`` into the SQLite store is
:mod:`storyline.engine.store_ingest`.)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from storyline.cluster import StoryClusterer
from storyline.engine.partition import cluster_block
from storyline.engine.prepared import PreparedRow, local_rows, ray_rows
from storyline.engine.ray_engine import default_clusterer_factory, ray_session
from storyline.engine.stream import IngestCounts, Prepared, Sink, ingest_stream
from storyline.ingest import Input
from storyline.pipeline import Pipeline

BLOCK_DAYS = 30.0  # a live feed's stories: see partition.py for what a block costs in fidelity
OVERLAP_DAYS = 3.0
DEDUPE_WINDOW_DAYS = 7.0


def batches_of(rows: Iterable[PreparedRow], size: int = 256) -> Iterator[Prepared]:
    """Rows grouped into the stream's (articles, signatures, problems) batches, in order."""
    batch: Prepared = ([], [], [])
    for row in rows:
        if row.ready and row.hashvalues is not None:
            batch[0].extend(row.ready)
            batch[1].append(row.hashvalues)
        batch[2].extend(p for p in row.problems if not row.ready)  # rejections only
        if len(batch[0]) + len(batch[2]) >= size:
            yield batch
            batch = ([], [], [])
    if batch[0] or batch[2]:
        yield batch


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
    batch_size: int = 64,
    spill_dir: Path | None = None,
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
    permutations = pipeline.settings.dedupe.permutations
    if engine == "local":
        rows = local_rows(pipeline, inputs, permutations)
        return ingest_stream(batches_of(rows), sink, spill_dir=spill_dir, **options)
    with ray_session(address, workers) as ray:
        size = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        task = ray.remote(cluster_block)
        held = [0]
        rows = ray_rows(ray, pipeline, inputs, workers=size, permutations=permutations,
                        batch_size=batch_size, held=held)
        counts = ingest_stream(
            batches_of(rows), sink, spill_dir=spill_dir,
            submit=lambda articles: task.remote(articles, make),
            result=ray.get,
            in_flight=size + 1,
            **options,
        )
        counts.peak_reordered_rows = held[0]
        return counts


__all__ = ["batches_of", "ingest"]
