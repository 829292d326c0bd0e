"""Read, clean and sign: the pure part of ingest, as one stream of rows in input order.

Both ingest sinks (the store, :mod:`storyline.engine.store_ingest`, and the time-block path,
:mod:`storyline.engine.ingest`) consume :class:`PreparedRow` objects in the order a local
reader produces them, whichever engine made them:

* locally, :func:`local_rows` reads a shard at a time and cleans and signs an article at a time;
* on Ray, :func:`ray_rows` runs reading as a Ray Data task per shard and cleaning + signing
  on an actor pool (``map_batches``; one Pipeline, so one cleaner, loaded per actor), and the
  driver puts the rows back in input order with :func:`in_input_order`.

Every row carries its place, ``(shard, row)``, and each shard ends with an ``end`` row, so the
order is restored exactly even when Ray hands batches back out of order; what waits in the
reorder buffer is only what Ray delivered early. Shards are read one at a time, in order, so
that is bounded by the cleaning batches in flight (at most 320 rows at 50,000 and 400,000
articles), not by the shards read ahead.
Only the fields an ingest needs of the raw input travel back (id, outlet, url, source): the
text travels once, cleaned.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storyline.engine.shards import expand_shards, read_shard
from storyline.engine.signatures import signature
from storyline.ingest import Input
from storyline.model import Article, Problem
from storyline.pipeline import Pipeline

READ_CHUNK = 256  # articles per output batch of the read step: what one actor call gets
RAW_FIELDS = ("id", "outlet", "url", "source")


@dataclass
class PreparedRow:
    """One input article after cleaning and signing, or one problem of reading a shard."""

    shard: int
    row: int
    raw: Article | None  # the input as read (text left out); None for a read problem
    ready: list[Article] = field(default_factory=list)  # [] or [the cleaned article]
    problems: list[Problem] = field(default_factory=list)  # clean warnings, or the rejection
    hashvalues: np.ndarray | None = None  # MinHash of the cleaned text, when signing

    @property
    def prepared(self) -> tuple[list[Article], list[Problem]]:
        """What ``pipeline.prepare([raw])`` returned for this article."""
        return self.ready, self.problems


def _head(article: Article) -> Article:
    return Article(**{name: getattr(article, name) for name in RAW_FIELDS})


def prepare_one(
    pipeline: Pipeline, shard: int, row: int, raw: Article, permutations: int | None
) -> PreparedRow:
    """Clean and sign one article: the per-article work, the same on every engine."""
    ready, problems = pipeline.prepare([raw])
    signed = signature(ready[0], permutations) if ready and permutations else None
    return PreparedRow(shard, row, _head(raw), ready, problems, signed)


def shards_of(pipeline: Pipeline, inputs: Iterable[Input]) -> list[Input]:
    """The shards of ``inputs``; stdin is read here (a worker has none), into Articles."""
    shards: list[Input] = []
    for item in expand_shards(list(inputs)):
        if item == "-":
            shards.extend(pipeline.reader.read(["-"], pipeline.settings).articles)
        else:
            shards.append(item)
    return shards


def local_rows(
    pipeline: Pipeline, inputs: Iterable[Input], permutations: int | None
) -> Iterator[PreparedRow]:
    """Rows in one process, in input order: a shard read at a time."""
    for number, shard in enumerate(shards_of(pipeline, inputs)):
        read = read_shard(shard, pipeline.settings, pipeline.reader)
        row = 0
        for problem in read.problems:
            yield PreparedRow(number, row, None, problems=[problem])
            row += 1
        for article in read.articles:
            yield prepare_one(pipeline, number, row, article, permutations)
            row += 1


# -- Ray ------------------------------------------------------------------------------------
# Rows travel through Ray Data as columns of plain types (Arrow needs one type per column).
COLUMNS = ("shard", "row", "kind", "data", "problems", "signature")


def _columns() -> dict[str, list[Any]]:
    return {name: [] for name in COLUMNS}


def _add(columns: dict[str, list[Any]], shard: int, row: int, kind: str, data: str,
         problems: str = "[]", signed: np.ndarray | None = None) -> None:
    for name, value in zip(COLUMNS, (shard, row, kind, data, problems), strict=False):
        columns[name].append(value)
    columns["signature"].append(b"" if signed is None else signed.astype(np.uint64).tobytes())


def _pack(number: int, item: Input) -> str:
    if isinstance(item, Article):
        return f"{number}:article:" + item.model_dump_json()
    return f"{number}:input:" + os.fspath(item)


def _unpack(packed: Any) -> tuple[int, Input]:
    number, kind, text = str(packed).split(":", 2)
    if kind == "article":
        return int(number), Article.model_validate_json(text)
    return int(number), text


def read_rows(batch: dict[str, np.ndarray], pipeline: Pipeline) -> Iterator[dict[str, list[Any]]]:
    """Ray Data task: read shards into raw rows, in chunks, each shard closed by an end row."""
    columns = _columns()
    for packed in batch["shard"]:
        number, item = _unpack(packed)
        read = read_shard(item, pipeline.settings, pipeline.reader)
        row = 0
        for problem in read.problems:
            _add(columns, number, row, "problem", "", json.dumps([problem.model_dump()]))
            row += 1
        for article in read.articles:
            _add(columns, number, row, "raw", article.model_dump_json())
            row += 1
            if len(columns["row"]) >= READ_CHUNK:
                yield columns
                columns = _columns()
        _add(columns, number, row, "end", "")
    if columns["row"]:
        yield columns


class PrepareRows:
    """Ray Data actor: clean and sign the raw rows of a batch, one Pipeline per actor."""

    def __init__(self, pipeline: Pipeline, permutations: int | None) -> None:
        self.pipeline = pipeline
        self.permutations = permutations

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, list[Any]]:
        columns = _columns()
        for shard, row, kind, data, problems in zip(
            batch["shard"], batch["row"], batch["kind"], batch["data"], batch["problems"],
            strict=True,
        ):
            if kind != "raw":
                _add(columns, int(shard), int(row), str(kind), str(data), str(problems))
                continue
            done = prepare_one(self.pipeline, int(shard), int(row),
                               Article.model_validate_json(data), self.permutations)
            _add(columns, done.shard, done.row,
                 "article" if done.ready else "rejected",
                 json.dumps({"raw": done.raw.model_dump(mode="json") if done.raw else None,
                             "ready": [a.model_dump(mode="json") for a in done.ready]}),
                 json.dumps([p.model_dump() for p in done.problems]), done.hashvalues)
        return columns


def _decode(shard: int, row: int, kind: str, data: str, problems: str,
            signed: bytes) -> PreparedRow:
    found = [Problem.model_validate(p) for p in json.loads(problems)]
    if kind == "problem":
        return PreparedRow(shard, row, None, problems=found)
    parts = json.loads(data)
    return PreparedRow(
        shard, row, Article.model_validate(parts["raw"]),
        [Article.model_validate(a) for a in parts["ready"]], found,
        np.frombuffer(signed, dtype=np.uint64) if signed else None,
    )


def in_input_order(
    batches: Iterable[dict[str, np.ndarray]], shards: int, held: list[int] | None = None
) -> Iterator[PreparedRow]:
    """Rows of Ray's batches (in whatever order they come) in input order; ``held[0]`` is
    kept at the most rows waiting at once (for a row before them)."""
    waiting: dict[tuple[int, int], tuple[Any, ...]] = {}
    shard, row = 0, 0
    for batch in batches:
        for values in zip(*(batch[name] for name in COLUMNS), strict=True):
            waiting[(int(values[0]), int(values[1]))] = values
        if held is not None:
            held[0] = max(held[0], len(waiting))
        while shard < shards and (shard, row) in waiting:
            _, _, kind, data, problems, signed = waiting.pop((shard, row))
            if kind == "end":
                shard, row = shard + 1, 0
                continue
            yield _decode(shard, row, str(kind), str(data), str(problems), bytes(signed))
            row += 1
    if shard < shards:
        raise RuntimeError(f"Ray returned no end for shard {shard} (row {row}): a lost task")


def ray_rows(
    ray: Any, pipeline: Pipeline, inputs: Iterable[Input], *, workers: int,
    permutations: int | None, batch_size: int = 64, held: list[int] | None = None,
) -> Iterator[PreparedRow]:
    """Rows from Ray Data, in input order, streamed to the driver as workers finish them
    (``held``: see :func:`in_input_order`)."""
    shards = shards_of(pipeline, inputs)
    if not shards:
        return
    # One block per shard (from_items would put them all in one block: one task, one worker).
    dataset = ray.data.from_items([{"shard": _pack(n, s)} for n, s in enumerate(shards)],
                                  override_num_blocks=len(shards))
    prepared = dataset.map_batches(
        read_rows, fn_kwargs={"pipeline": pipeline}, batch_size=1, batch_format="numpy",
        # Reading is light next to cleaning; asking no CPU keeps it a task of its own (not
        # fused into the cleaning actors), so a big shard's chunks are cleaned by all actors.
        # One shard read at a time, in order: with no CPU asked, Ray would read every shard at
        # once, their chunks would be cleaned interleaved, and the driver could hold the rows
        # of every shard after the oldest unfinished one.
        num_cpus=0, concurrency=1,
    ).map_batches(
        PrepareRows,
        fn_constructor_kwargs={"pipeline": pipeline, "permutations": permutations},
        batch_size=batch_size, batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=workers),
    )
    yield from in_input_order(
        prepared.iter_batches(batch_size=None, batch_format="numpy"), len(shards), held
    )


__all__ = [
    "PreparedRow",
    "in_input_order",
    "local_rows",
    "prepare_one",
    "ray_rows",
    "shards_of",
]
