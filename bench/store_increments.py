"""Two increments into a copy of a big store, with the CPU of the writer and of its workers apart.

    .venv/bin/python bench/store_increments.py STORE_DIR [--articles 1000] [--digest]
    PYTHONPATH=/tmp/main-src/src .venv/bin/python bench/store_increments.py STORE_DIR ...

The store is copied first (never changed). Into the copy go ``--articles`` new articles of
bench/store.py's synthetic stream with cleaning off (a pre-cleaned feed), then as many more
with the default cleaning, as bench/store.py's increment rows do, each through
``Store.ingest`` (worker processes as the store chooses). Printed as JSON: per increment the
wall time, the writer process's CPU, the workers' CPU (reaped children), articles per second
and per CPU-second, the load average; with ``--digest``, a hash of every table's contents
(minus the timestamps and the input file's path, which differ from run to run), so two code
versions can be shown to leave the same store. Running it with another checkout's ``src``
first on ``PYTHONPATH`` measures that version on the same store and stream (the command in
bench/results/store.md). Timings on a 2-core machine shared with other agents: compare CPU
seconds, and wall time only at similar load.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store as bench  # bench/store.py: the synthetic stream

import storyline
from storyline import Settings, Store

# Columns that differ between two runs of the same code: clock times and the input's path.
_VOLATILE = {
    "added_at", "created_at", "changed_at", "source", "computed_at", "as_of", "saved_at",
    "applied_at",
}  # fmt: skip


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def digest(database: Path) -> dict[str, list[object]]:
    """Rows and a content hash per table, volatile columns left out."""
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'article_fts_%' ORDER BY name"
        )
    ]
    out: dict[str, list[object]] = {}
    for table in tables:
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
        kept = [c for c in columns if c not in _VOLATILE] or ["rowid"]
        select = ", ".join(f'"{c}"' for c in kept)
        order = "rowid" if table != "meta" else "1"
        h, count = hashlib.sha1(), 0
        for row in db.execute(f"SELECT {select} FROM {table} ORDER BY {order}"):
            h.update(repr(tuple(row)).encode())
            count += 1
        out[table] = [count, h.hexdigest()[:16]]
    db.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--start-pass", type=int, default=49, help="stream pass to begin at")
    parser.add_argument("--digest", action="store_true", help="hash every table after")
    parser.add_argument(
        "--only", choices=("clean off", "clean on"), help="run one of the two increments"
    )
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="storyline-increments-"))
    copy = work / "store"
    shutil.copytree(arguments.store, copy)
    results: dict[str, object] = {
        "command": "python bench/store_increments.py " + " ".join(sys.argv[1:]),
        "code": str(Path(storyline.__file__).resolve().parents[1]),
        "cpus": os.cpu_count(),
    }
    rows = list(bench.stream(2 * arguments.articles, start_pass=arguments.start_pass))
    try:
        for label, settings, chunk in (
            ("clean off", Settings(clean=False, compare=False), rows[: arguments.articles]),
            ("clean on", Settings(compare=False), rows[arguments.articles :]),
        ):
            if arguments.only and label != arguments.only:
                continue
            path = work / "increment.jsonl"
            bench._write(path, chunk)
            store = Store(copy, settings=settings)
            store.clusterer()  # opening is not what is measured
            load = os.getloadavg()[0]
            (writer, workers), began = _cpu(), time.perf_counter()
            result = store.ingest([path], summarize=False)
            seconds = time.perf_counter() - began
            writer_end, workers_end = _cpu()
            writer, workers = writer_end - writer, workers_end - workers
            store.close()
            results[label] = {
                "articles": result.read,
                "new": result.new,
                "copies": result.copies,
                "wall_s": round(seconds, 2),
                "writer_cpu_s": round(writer, 2),
                "workers_cpu_s": round(workers, 2),
                "per_second": round(result.read / seconds, 1),
                "per_cpu_second": round(result.read / (writer + workers), 1),
                "writer_ms_per_article": round(writer / result.read * 1000, 2),
                "workers_ms_per_article": round(workers / result.read * 1000, 2),
                "load_1min": round(load, 1),
            }
            print(label, json.dumps(results[label]), flush=True)
        if arguments.digest:
            results["digest"] = digest(copy / "storyline.db")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
