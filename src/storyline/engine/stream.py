"""The ingest path for an endless corpus: batches in, (article, story id) out, bounded memory.

``ingest_stream(batches, sink, ...)`` is what ``storyline ingest --engine ray`` runs: article
batches arrive in roughly time order (shards of a crawl, days of a wire), each batch is cleaned
and signed by a pure ``prepare`` function (the Ray engine runs it as Ray Data ``map_batches``),
copies are dropped by a windowed LSH index, and articles are gathered into time blocks; a block
is clustered (a Ray task per block, several in flight) once the stream has moved past it, the
blocks are merged over their overlaps in order, and each block's articles go to the sink with
their story ids. Memory holds one dedupe window, the open blocks and the blocks in flight,
never the whole corpus.

The sink is anything with ``write(assigned)`` and ``close()``. :class:`ShardSink` writes JSONL
shards. The SQLite store of issue 22 becomes the sink with a class of a few lines::

    class StoreSink:
        def __init__(self, store): self.store = store
        def write(self, assigned):          # list[(Article, story id)] of one block
            self.store.add_articles([a for a, _ in assigned])
            self.store.assign({a.id: story for a, story in assigned})
        def close(self): self.store.commit()

It is called from the driver only, so SQLite's single writer is never contended; beyond one
machine the same class over PostgreSQL (one transaction per block) is the swap.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from storyline.engine.partition import (
    DAY_SECONDS,
    Adds,
    Block,
    BlockMerger,
    _seconds,
    cluster_block,
)
from storyline.engine.signatures import WindowedIndex
from storyline.model import Article, Duplicate, Problem

# (cleaned articles, their signatures, problems) of one batch
Prepared = tuple[list[Article], list[np.ndarray], list[Problem]]


class Sink(Protocol):
    def write(self, assigned: list[tuple[Article, str]]) -> None: ...
    def close(self) -> None: ...


@dataclass
class IngestCounts:
    read: int = 0
    kept: int = 0
    duplicates: int = 0
    problems: int = 0
    blocks: int = 0
    stories: int = 0
    peak_open_articles: int = 0  # the most articles held by the driver at once
    duplicate_examples: list[Duplicate] = field(default_factory=list)


class ShardSink:
    """Writes ``{"id", "story", "published", "title", "outlet", "url"}`` lines, a shard per
    ``per_shard`` articles, each written under a temporary name and renamed when complete."""

    def __init__(self, directory: Path, per_shard: int = 100_000) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.per_shard = per_shard
        self.shards: list[Path] = []
        self._lines: list[str] = []

    def write(self, assigned: list[tuple[Article, str]]) -> None:
        for article, story in assigned:
            self._lines.append(json.dumps({
                "id": article.id, "story": story,
                "published": article.published.isoformat() if article.published else None,
                "title": article.title, "outlet": article.outlet, "url": article.url,
            }, ensure_ascii=False))
            if len(self._lines) >= self.per_shard:
                self._flush()

    def close(self) -> None:
        if self._lines:
            self._flush()

    def _flush(self) -> None:
        final = self.directory / f"assignments-{len(self.shards):05d}.jsonl"
        handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write("\n".join(self._lines) + "\n")
        os.replace(temporary, final)
        self.shards.append(final)
        self._lines = []


def ingest_stream(
    batches: Iterable[Prepared],
    sink: Sink,
    *,
    make_clusterer: Callable[[], Adds],
    threshold: float,
    permutations: int,
    block_days: float = 30.0,
    overlap_days: float = 3.0,
    dedupe_window_days: float = 7.0,
    submit: Callable[[list[Article]], Any] | None = None,
    result: Callable[[Any], list[Any]] | None = None,
    in_flight: int = 2,
) -> IngestCounts:
    """Dedupe, cluster by time block and hand each block's assignments to ``sink``.

    ``batches`` are already prepared (cleaned, signed). ``submit`` starts clustering a block's
    articles and returns a handle, ``result`` waits for its labels (the Ray engine: a remote
    task and ``ray.get``); by default a block is clustered on the spot. An article older than a
    block already closed is placed in the open block (its arrival time stands in).
    """
    if submit is None or result is None:
        def submit(articles: list[Article]) -> Any:
            return cluster_block(articles, make_clusterer)

        def result(handle: Any) -> list[Any]:
            return handle

    counts = IngestCounts()
    index = WindowedIndex(threshold=threshold, permutations=permutations,
                          window_days=dedupe_window_days)
    merger = BlockMerger()
    width = block_days * DAY_SECONDS
    origin: float | None = None
    last_time: float | None = None
    undated_first: list[tuple[Article, np.ndarray]] = []  # before any dated article
    position = 0
    open_number: int | None = None
    open_articles: dict[int, tuple[Article, float]] = {}  # position -> (article, time)
    previous_tail: dict[int, tuple[Article, float]] = {}  # the last block's overlap
    pending: list[tuple[Block, dict[int, Article], Any]] = []

    def finish_oldest() -> None:
        block, articles, handle = pending.pop(0)
        labels = result(handle)
        own = merger.merge(block, labels)
        sink.write([(articles[p], f"s{story}") for p, story in sorted(own.items())])
        counts.stories = merger.stories

    def close_block() -> None:
        nonlocal open_articles, previous_tail
        assert open_number is not None and origin is not None
        block = Block(number=open_number, own=sorted(open_articles), context=sorted(previous_tail))
        articles = {p: a for p, (a, _) in {**previous_tail, **open_articles}.items()}
        pending.append((block, articles, submit([articles[p] for p in block.positions()])))
        counts.blocks += 1
        lead_in = origin + (open_number + 1) * width - overlap_days * DAY_SECONDS
        previous_tail = {p: v for p, v in open_articles.items() if v[1] >= lead_in}
        open_articles = {}
        while len(pending) > in_flight:
            finish_oldest()

    def place(article: Article, hashvalues: np.ndarray, time: float) -> None:
        nonlocal origin, open_number, position, previous_tail
        duplicate = index.offer(article.id, hashvalues, time)
        if duplicate is not None:
            counts.duplicates += 1
            if len(counts.duplicate_examples) < 20:
                counts.duplicate_examples.append(duplicate)
            return
        if origin is None:
            origin = time
        number = max(int((time - origin) // width), open_number or 0)
        if open_number is not None and number > open_number:
            gap = number > open_number + 1
            close_block()
            if gap:
                previous_tail = {}  # an empty block between: nothing to carry over
        open_number = number
        open_articles[position] = (article, time)
        position += 1
        counts.kept += 1
        held = len(open_articles) + len(previous_tail) + sum(len(a) for _, a, _ in pending)
        counts.peak_open_articles = max(counts.peak_open_articles, held)

    for kept, signatures, problems in batches:
        counts.problems += len(problems)
        counts.read += len(kept) + len(problems)
        for article, hashvalues in zip(kept, signatures, strict=True):
            time = _seconds(article.published) if article.published else last_time
            if time is None:
                undated_first.append((article, hashvalues))  # they take the first date
                continue
            last_time = time
            for early, early_hash in [*undated_first, (article, hashvalues)]:
                place(early, early_hash, time)
            undated_first.clear()
    if undated_first:  # nothing in the stream had a date
        for early, early_hash in undated_first:
            place(early, early_hash, 0.0)
    if open_articles:
        close_block()
    while pending:
        finish_oldest()
    sink.close()
    return counts




__all__ = ["IngestCounts", "Prepared", "ShardSink", "Sink", "ingest_stream"]
