"""The store writer's CPU per article, split by component, on one increment into a big store.

    .venv/bin/python bench/store_writer_parts.py STORE_DIR [--articles 4000] [--clean on|off]
    PYTHONPATH=OTHER/src .venv/bin/python bench/store_writer_parts.py ...  (another version)

The store is copied to a temporary directory first (never changed). The increment is the
``clean on`` (or ``clean off``) slice of bench/store_increments.py's stream (pass 62 on), so
the figures sit beside that script's ``writer_ms_per_article``. A few writer methods are
wrapped to add up the writer process's CPU inside them (``time.process_time``; nested ones
are counted in both: ``_new_article`` includes the clusterer and the LSH, ``commit`` the
tallies). Printed as one JSON line, ms of writer CPU per input article. On a shared 2-core
machine compare runs alternated at similar load (bench/results/store_writer.md).
"""

from __future__ import annotations

import argparse
import collections
import functools
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store as bench  # bench/store.py: the synthetic stream

import storyline
from storyline import Settings, Store
from storyline.store import clustering, core, lsh, prepare, tally, writer

_PARTS = [
    (tally.Tallies, "recount", "tally.recount"),
    (tally, "load", "tally.load"),
    (tally, "write", "tally.write"),
    (writer.BatchWriter, "commit", "commit (tallies included)"),
    (writer.BatchWriter, "_new_article", "_new_article (clusterer, LSH included)"),
    (core.Store, "_checkpoint", "checkpoint"),
    (clustering.OnlineStream, "add", "clusterer.add"),
    (lsh.StoredLSH, "best_match", "lsh.best_match"),
    (lsh.StoredLSH, "insert", "lsh.insert"),
    (prepare, "_warm", "prepare._warm"),
]


def _wrap(owner: Any, name: str, label: str, spent: collections.Counter[str]) -> None:
    function = getattr(owner, name)

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - began

    setattr(owner, name, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--clean", choices=("on", "off"), default="on")
    parser.add_argument("--start-pass", type=int, default=62)
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="storyline-writer-parts-"))
    try:
        copy = work / "store"
        shutil.copytree(arguments.store, copy)
        n = arguments.articles
        rows = list(bench.stream(2 * n, start_pass=arguments.start_pass))
        path = work / "increment.jsonl"
        bench._write(path, rows[n:] if arguments.clean == "on" else rows[:n])
        spent: collections.Counter[str] = collections.Counter()
        for owner, name, label in _PARTS:
            _wrap(owner, name, label, spent)
        store = Store(copy, settings=Settings(clean=arguments.clean == "on", compare=False))
        store.clusterer()  # opening is not what is measured
        load = os.getloadavg()[0]
        began, wall = time.process_time(), time.perf_counter()
        result = store.ingest([path], summarize=False)
        store.close()
        cpu, wall = time.process_time() - began, time.perf_counter() - wall
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out: dict[str, object] = {
        "code": str(Path(storyline.__file__).resolve().parents[1]),
        "articles": result.read,
        "new": result.new,
        "wall_s": round(wall, 1),
        "load_1min": round(load, 1),
        "writer_ms_per_article": round(1000 * cpu / result.read, 3),
    }
    out.update({k: round(1000 * v / result.read, 3) for k, v in sorted(spent.items())})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
