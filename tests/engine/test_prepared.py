"""Ray's batches put back in input order by the driver, and what that holds."""

import json

import numpy as np

from storyline.engine.prepared import COLUMNS, in_input_order

from .conftest import wire_rows


def batch(rows: list[tuple]) -> dict[str, np.ndarray]:
    return {name: np.array([r[i] for r in rows], dtype=object) for i, name in enumerate(COLUMNS)}


def article_row(shard: int, row: int, record: dict) -> tuple:
    article = {"id": record["id"], "title": record["title"], "text": record["text"]}
    return (shard, row, "article", json.dumps({"raw": article, "ready": [article]}), "[]", b"")


def test_rows_come_out_in_input_order_and_the_early_ones_are_counted() -> None:
    records = wire_rows()[:6]
    end = "end", "", "[]", b""
    shard0 = [article_row(0, n, r) for n, r in enumerate(records[:3])] + [(0, 3, *end)]
    shard1 = [article_row(1, n, r) for n, r in enumerate(records[3:])] + [(1, 3, *end)]
    # Ray delivers shard 1 first, then shard 0 in two batches, its first row last.
    held = [0]
    rows = list(in_input_order([batch(shard1), batch(shard0[1:]), batch(shard0[:1])], 2, held))
    assert [r.ready[0].id for r in rows] == [r["id"] for r in records]
    assert [(r.shard, r.row) for r in rows] == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
    assert held == [8]  # all of shard 1 and shard 0's later rows waited for shard 0's first
    held = [0]
    list(in_input_order([batch(shard0), batch(shard1)], 2, held))
    assert held == [4]  # in order: a batch at a time
