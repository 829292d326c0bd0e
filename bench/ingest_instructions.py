"""Instructions a whole store ingest spends on an article (writer and worker work), counted.

    .venv/bin/python bench/ingest_instructions.py [--store DIR] [--label NAME]
    PYTHONPATH=OTHER/src .venv/bin/python bench/ingest_instructions.py --label main

CPU seconds on this machine move by 20-30% between identical runs (a shared host), more than
most changes to the ingest. This counts instructions instead (valgrind's callgrind, switched
on only around ``Store.ingest``): a copy of the 101,752-article store of bench/store.py
(``--store``, default /tmp/i200/st100k; copied, never changed) takes, in one process
(``workers=1``: the same work the pool splits, as one count), 20 articles to warm up, then 60
and 120 articles of the stream's clean-on increment (pass 62 on, after its first 1,000), with
the default settings. The difference of the last two counts over 60 articles is the cost of
one more article (read, clean, sign, count terms, dedupe against the store, cluster, commit);
what is left of the 60-article count is the cost of an ingest whatever its size (the
clusterer's checkpoint, the first batch's reads). Needs valgrind; takes ~4 minutes. Adds its
figures under ``--label`` to bench/results/ingest_instructions.json and .md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from prepare_instructions import RESULTS, recorded  # bench/prepare_instructions.py

PIECES = {"warm": 20, "small": 60, "large": 120}


def _control(*arguments: str) -> None:
    subprocess.run(["callgrind_control", *arguments], check=True, capture_output=True)


def _inner(source: Path) -> None:
    """The counted part (run under callgrind by :func:`_count`)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import store as bench  # bench/store.py: the synthetic stream

    from storyline import Settings, Store

    work = Path(tempfile.mkdtemp(prefix="storyline-ingest-instructions-"))
    try:
        shutil.copytree(source, work / "store")
        rows = list(bench.stream(1000 + sum(PIECES.values()), start_pass=62))[1000:]
        paths, start = {}, 0
        for name, size in PIECES.items():
            paths[name] = work / f"{name}.jsonl"
            bench._write(paths[name], rows[start : start + size])
            start += size
        store = Store(work / "store", settings=Settings(compare=False), workers=1)
        store.clusterer()
        store.ingest([paths["warm"]], summarize=False)
        pid = str(os.getpid())
        for name in ("small", "large"):
            _control("-i", "on", pid)
            store.ingest([paths[name]], summarize=False)
            _control("-i", "off", pid)
            _control(f"--dump={name}", pid)
        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _count(source: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "callgrind.out"
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no",
            f"--callgrind-out-file={out}", sys.executable, __file__, "--inner",
            "--store", str(source),
        ]  # fmt: skip
        run = subprocess.run(command, capture_output=True, text=True, check=True)
        counts = {}
        for dump in Path(work).glob("callgrind.out*"):
            text = dump.read_text()
            trigger = re.search(r"^desc: Trigger: .*dump (\w+)", text, re.MULTILINE)
            totals = re.search(r"^totals: (\d+)", text, re.MULTILINE)
            if trigger and totals:
                counts[trigger.group(1)] = int(totals.group(1))
    assert set(counts) == {"small", "large"}, run.stderr[-2000:]
    extra = PIECES["large"] - PIECES["small"]
    per_article = (counts["large"] - counts["small"]) / extra
    return {
        "per_article_millions": round(per_article / 1e6, 2),
        "per_ingest_millions": round((counts["small"] - PIECES["small"] * per_article) / 1e6, 1),
        "ingest_60_millions": round(counts["small"] / 1e6, 1),
        "ingest_120_millions": round(counts["large"] / 1e6, 1),
    }


def write_markdown(runs: dict[str, dict[str, object]]) -> None:
    lines = [
        "# Instructions a store ingest spends on an article (callgrind)",
        "",
        "Written by `bench/ingest_instructions.py` (its docstring says what is counted: a whole",
        "ingest in one process, writer and worker work together, into the 101,752-article",
        "store, default settings). Millions of instructions, the same on a busy or an idle",
        "machine (CPU seconds here move by 20-30% between identical runs).",
        "",
        "| code | an article | an ingest, whatever its size | command |",
        "|---|---:|---:|---|",
    ]
    for label, run in runs.items():
        lines.append(
            f"| {label} | {run['per_article_millions']} | {run['per_ingest_millions']} "
            f"| `{run['command']}` |"
        )
    (RESULTS / "ingest_instructions.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=Path("/tmp/i200/st100k"))
    parser.add_argument("--label", default="this checkout")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--markdown-only", action="store_true", help="rewrite the md from json")
    arguments = parser.parse_args()
    if arguments.inner:
        _inner(arguments.store)
        return
    label = None if arguments.markdown_only else arguments.label
    write_markdown(recorded("ingest_instructions", label, lambda: _count(arguments.store)))


if __name__ == "__main__":
    main()
