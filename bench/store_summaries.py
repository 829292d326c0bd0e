"""Computing the versions of changed stories: one process against the store's workers.

    .venv/bin/python bench/store_summaries.py STORE --stories 118,358,119,82

An ingest that summarizes computes the version (summary and comparison) of every story it
changed (``store/summaries.py``). This copies ``STORE`` (a store built by bench/store.py,
whose stories have no kept versions) twice, computes the versions of ``--stories`` with
``workers=1`` (one after the other, in one process) and with ``--workers`` (forked workers,
the biggest story first), each in a fresh process (a process that parsed the stories already
would hand its cached parses to the workers it forks), checks that both kept the same versions
byte for byte, and writes wall and CPU seconds (the process and its children) to
bench/results/store_summaries.{md,json}.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

from storyline import Store
from storyline.store.summaries import refresh_stories

RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results"


def _cpu() -> float:
    return sum(
        resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )


def _versions(store: Store) -> list[tuple]:
    rows = store.connection.execute(
        "SELECT story_id, version, members, story FROM story_versions ORDER BY 1, 2"
    ).fetchall()
    return [(*row[:3], zlib.decompress(row[3])) for row in rows]


def _inner(copy: Path, numbers: list[int], workers: int) -> None:
    """One configuration, in this fresh process: its figures as JSON on stdout."""
    store = Store(copy, workers=workers)
    began, cpu = time.perf_counter(), _cpu()
    refresh_stories(store, numbers)
    figures = {
        "wall_seconds": round(time.perf_counter() - began, 1),
        "cpu_seconds": round(_cpu() - cpu, 1),
    }
    store.close()
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--stories", default="118,358,119,82", help="story numbers")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    numbers = [int(n) for n in arguments.stories.split(",")]
    if arguments.inner:
        _inner(arguments.store, numbers, arguments.workers)
        return
    results: dict[str, object] = {
        "command": "python bench/store_summaries.py " + " ".join(sys.argv[1:]),
    }
    kept = {}
    with tempfile.TemporaryDirectory() as work:
        for workers in (1, arguments.workers):
            copy = Path(work) / f"store-{workers}"
            shutil.copytree(arguments.store, copy)
            inner = [sys.executable, __file__, str(copy), "--inner", "--workers", str(workers)]
            done = subprocess.run(
                [*inner, "--stories", arguments.stories],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            results[f"workers={workers}"] = json.loads(done.stdout.splitlines()[-1])
            store = Store(copy, read_only=True)
            results["originals"] = {
                str(n): store.connection.execute(
                    "SELECT count(*) FROM articles WHERE story_id = ? AND canonical_id IS NULL",
                    (n,),
                ).fetchone()[0]
                for n in numbers
            }
            kept[workers] = _versions(store)
            store.close()
            print(workers, results[f"workers={workers}"], flush=True)
    results["same_versions"] = kept[1] == kept[arguments.workers] and len(kept[1]) == len(numbers)
    RESULTS.joinpath("store_summaries.json").write_text(json.dumps(results, indent=2) + "\n")
    one, many = results["workers=1"], results[f"workers={arguments.workers}"]
    lines = [
        "# Versions of changed stories: one process against the store's workers",
        "",
        f"Command: `{results['command']}` (written by `bench/store_summaries.py`).",
        "",
        f"Stories (originals each): {results['originals']}.",
        "",
        "| workers | wall s | CPU s (with children) |",
        "|---:|---:|---:|",
        f"| 1 | {one['wall_seconds']} | {one['cpu_seconds']} |",  # type: ignore[index]
        f"| {arguments.workers} | {many['wall_seconds']} | {many['cpu_seconds']} |",  # type: ignore[index]
        "",
        f"Kept versions byte-identical: {results['same_versions']}.",
        "",
    ]
    RESULTS.joinpath("store_summaries.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
