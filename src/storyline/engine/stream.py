"""The time-block ingest path for a corpus of any size: batches in, (article, story id) out.

``ingest_stream(batches, sink, ...)`` is what :func:`storyline.engine.ingest.ingest` runs
(``bench/engine.py ingest | scale``): article batches arrive cleaned and signed (the Ray engine
runs that as Ray Data ``map_batches``) in input order, in any time order (shards of a crawl,
years of an archive, a late feed). Two passes, so that memory does not depend on that order:

1. each article is appended to the file of its time block (:class:`BlockSpill`); the driver
   holds a fixed-size write buffer;
2. the blocks are read back oldest first, each sorted by (time, input position): copies are
   dropped by a windowed LSH index, each block is clustered (a Ray task per block, several in
   flight) with the overlap of the block before it, the blocks are merged over their overlaps
   in order, and each block's articles go to the sink with their story ids. The driver holds
   one block's articles (its copies only as sort keys), its overlap, the blocks in flight and
   one dedupe window.

The disk holds the prepared corpus once (its text and MinHash: about 4.3 KB an article), each
block's file removed as it is read. The sink is anything with ``write(assigned)`` and
``close()``; :class:`ShardSink` writes JSONL shards. It is called from the driver only, so a
single-writer store is never contended; beyond one machine the same interface over PostgreSQL (one
transaction per block) is the swap. The SQLite store itself is fed by the article-by-article
path of :mod:`storyline.engine.store_ingest` (its stream clusterer decides the stories).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
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
    peak_open_articles: int = 0  # the most articles held at once by the block pass
    peak_reordered_rows: int = 0  # the most rows Ray delivered early, held to keep input order
    peak_spill_buffer: int = 0  # the most articles waiting in the spill's buffers at once
    # the most articles one block's file held, copies included: the driver keeps only their
    # sort keys and parses the articles that are not copies (see BlockSpill.read)
    peak_block_rows: int = 0
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
    spill_dir: Path | None = None,
) -> IngestCounts:
    """Spill ``batches`` per time block, then dedupe and cluster block by block, in time order.

    ``batches`` are already prepared (cleaned, signed), in input order; they may come in any
    time order (shards of a crawl read in any order, a late feed). Each article is written to
    the file of its time block (:class:`BlockSpill`, under ``spill_dir``, removed at the end);
    the blocks are then read back oldest first, each sorted by (time, input position), copies
    dropped by a windowed LSH index, and clustered: ``submit`` starts clustering a block's
    articles and returns a handle, ``result`` waits for its labels (the Ray engine: a remote
    task and ``ray.get``; by default a block is clustered on the spot), ``in_flight`` blocks at
    a time. The driver holds one block's articles (its copies as sort keys only), its overlap
    and the blocks in flight, never the stream, whatever the order of the input; for input in
    time order the stories are those of the one-pass stream.
    """
    if submit is None or result is None:
        def submit(articles: list[Article]) -> Any:
            return cluster_block(articles, make_clusterer)

        def result(handle: Any) -> list[Any]:
            return handle

    counts = IngestCounts()
    width = block_days * DAY_SECONDS
    with tempfile.TemporaryDirectory(dir=spill_dir, prefix="storyline-blocks-") as directory:
        spill = BlockSpill(Path(directory))
        for kept, signatures, problems in batches:
            counts.problems += len(problems)
            counts.read += len(kept) + len(problems)
            for article, hashvalues in zip(kept, signatures, strict=True):
                spill.add(article, hashvalues, width)
        spill.finish()
        counts.peak_spill_buffer = spill.peak_buffered
        index = WindowedIndex(threshold=threshold, permutations=permutations,
                              window_days=dedupe_window_days)
        merger = BlockMerger()
        pending: list[tuple[Block, dict[int, Article], Any]] = []
        previous: tuple[int, dict[int, tuple[Article, float]]] | None = None  # (number, tail)
        position = 0

        def finish_oldest() -> None:
            block, articles, handle = pending.pop(0)
            own = merger.merge(block, result(handle))
            sink.write([(articles[p], f"s{story}") for p, story in sorted(own.items())])
            counts.stories = merger.stories

        for number in spill.numbers():
            own: dict[int, tuple[Article, float]] = {}
            rows = 0
            for time, article_id, hashvalues, data in spill.read(number):
                rows += 1
                duplicate = index.offer(article_id, hashvalues, time)
                if duplicate is not None:
                    counts.duplicates += 1
                    if len(counts.duplicate_examples) < 20:
                        counts.duplicate_examples.append(duplicate)
                    continue  # a copy is never parsed: a block of copies costs its keys only
                own[position] = (Article.model_validate_json(data), time)
                position += 1
            counts.peak_block_rows = max(counts.peak_block_rows, rows)
            if not own:
                continue
            tail = previous[1] if previous and previous[0] == number - 1 else {}
            block = Block(number=number, own=sorted(own), context=sorted(tail))
            articles = {p: a for p, (a, _) in {**tail, **own}.items()}
            pending.append((block, articles, submit([articles[p] for p in block.positions()])))
            counts.blocks += 1
            counts.kept += len(own)
            held = len(own) + len(tail) + sum(len(a) for _, a, _ in pending[:-1])
            counts.peak_open_articles = max(counts.peak_open_articles, held)
            lead_in = spill.origin + (number + 1) * width - overlap_days * DAY_SECONDS
            previous = (number, {p: v for p, v in own.items() if v[1] >= lead_in})
            while len(pending) > in_flight:
                finish_oldest()
        while pending:
            finish_oldest()
    sink.close()
    return counts


class BlockSpill:
    """Articles written to one file per time block as they arrive, read back a block at a time.

    The block of an article is its time (an undated one takes the time of the dated article
    before it in input order; those before any dated article take the first date) from the
    first dated article's, in ``width`` seconds. Lines are buffered per block and appended to
    the block's file when ``flush_lines`` are buffered, so memory holds that many articles.
    """

    def __init__(self, directory: Path, flush_lines: int = 2_000) -> None:
        self.directory = directory
        self.flush_lines = flush_lines
        self.origin = 0.0
        self.peak_buffered = 0
        self._dated = False
        self._last_time: float | None = None
        self._position = 0
        self._width = 0.0
        self._buffers: dict[int, list[str]] = {}
        self._buffered = 0
        self._lead = directory / "undated-lead.jsonl"  # undated articles before any date
        self._lead_lines: list[str] = []

    def add(self, article: Article, hashvalues: np.ndarray, width: float) -> None:
        self._width = width
        time = _seconds(article.published) if article.published else self._last_time
        # position, id (JSON: no raw tab or newline), hash values, the article (JSON: the same)
        line = (f"{self._position}\t{json.dumps(article.id)}\t"
                f"{np.asarray(hashvalues, np.uint64).tobytes().hex()}\t{article.model_dump_json()}")
        self._position += 1
        if time is None:  # nothing dated yet: it waits for the first date
            self._lead_lines.append(line)
            if len(self._lead_lines) >= self.flush_lines:
                self._append(self._lead, self._lead_lines)
            return
        if not self._dated:
            self._dated, self.origin = True, time
            self._place_lead(time)
        self._last_time = time
        self._buffer(time, line)

    def _place_lead(self, time: float) -> None:
        """The undated articles that came before the first date take that date."""
        # split on newlines only: str.splitlines() also splits on U+2028, U+0085 and the like,
        # which JSON leaves raw inside an article's text
        lines = (self._lead.read_text(encoding="utf-8").split("\n")[:-1]
                 if self._lead.exists() else [])
        for line in [*lines, *self._lead_lines]:
            self._buffer(time, line)
        self._lead_lines = []
        self._lead.unlink(missing_ok=True)

    def _buffer(self, time: float, line: str) -> None:
        number = int((time - self.origin) // self._width)
        self._buffers.setdefault(number, []).append(f"{time!r}\t{line}")
        self._buffered += 1
        self.peak_buffered = max(self.peak_buffered, self._buffered + len(self._lead_lines))
        if self._buffered >= self.flush_lines:
            self._flush()

    def _flush(self) -> None:
        for number, lines in self._buffers.items():
            self._append(self.directory / f"block-{number}.tsv", lines)
        self._buffers, self._buffered = {}, 0

    @staticmethod
    def _append(path: Path, lines: list[str]) -> None:
        with path.open("a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        lines.clear()

    def finish(self) -> None:
        if not self._dated and (self._lead_lines or self._lead.exists()):
            self._dated, self._width = True, self._width or 1.0
            self._place_lead(0.0)  # nothing in the stream had a date
        self._flush()

    def numbers(self) -> list[int]:
        return sorted(int(p.stem.removeprefix("block-")) for p in self.directory.glob("block-*"))

    def read(self, number: int) -> Iterator[tuple[float, str, np.ndarray, bytes]]:
        """A block's rows, sorted by (time, input position): the order they are offered.

        Each row is (time, article id, hash values, the article's JSON): the caller parses only
        the articles it keeps. A block's file can hold far more copies than articles (a wire
        story reprinted all week, or undated articles whose inferred dates fall on one day), so
        only the sort keys and each line's place in the file are held, and the lines are read
        back one at a time in order; the file is removed once read.
        """
        path = self.directory / f"block-{number}.tsv"
        keys: list[tuple[float, int, int]] = []  # (time, position, offset of the line)
        with path.open("rb") as lines:
            offset = 0
            for line in lines:  # binary lines end at b"\n" only (JSON escapes every other)
                time, position, _ = line.split(b"\t", 2)
                keys.append((float(time), int(position), offset))
                offset += len(line)
            keys.sort()
            for time, _, at in keys:
                lines.seek(at)
                _, _, article_id, signed, data = lines.readline().rstrip(b"\n").split(b"\t", 4)
                yield (time, json.loads(article_id),
                       np.frombuffer(bytes.fromhex(signed.decode("ascii")), dtype=np.uint64), data)
        path.unlink()  # read once: the disk holds only the blocks still to come


__all__ = ["BlockSpill", "IngestCounts", "Prepared", "ShardSink", "Sink", "ingest_stream"]
