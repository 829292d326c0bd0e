"""Instructions a worker spends on each article of a store ingest, counted, not timed.

    .venv/bin/python bench/prepare_instructions.py [--articles 100] [--label NAME]
    PYTHONPATH=OTHER/src .venv/bin/python bench/prepare_instructions.py --label main

On this shared 2-core machine the CPU seconds of identical runs move by 15-30% with the
load (other agents' jobs), more than most changes to the per-article work. Valgrind's
callgrind counts the instructions a piece of code executes instead, the same on a busy or an
idle machine: this script runs itself under ``valgrind --tool=callgrind`` with the counting
switched on (``callgrind_control -i on``) only around :class:`storyline.store.prepare.Preparer`
(what an ingest's worker processes do to each article: clean, sign, count terms) over
``--articles`` articles of bench/store.py's synthetic stream (pass 62 on, after its first
1,000 articles: the store benchmark's clean-on increment), with the default settings and with
cleaning off. Imports, model loading and the first article are not counted. Instructions are
not time (cache misses, numpy's C loops), but the count says whether a change removed work.
Needs valgrind. Adds its figures under ``--label`` to bench/results/prepare_instructions.json
and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def _inner(articles: int, clean: bool) -> None:
    """The counted part (run under callgrind by :func:`_count`)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import store as bench  # bench/store.py: the synthetic stream

    from storyline import Settings
    from storyline.ingest import read_inputs
    from storyline.store.prepare import Preparer, _warm

    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "increment.jsonl"
        bench._write(path, list(bench.stream(1000 + articles + 1, start_pass=62))[1000:])
        items = read_inputs([path]).articles
    settings = Settings(compare=False) if clean else Settings(clean=False, compare=False)
    _warm(settings)  # what ingest loads before it forks its workers
    preparer = Preparer(settings)
    preparer(items[0])  # first-call costs (lazy imports) are not per-article work
    switch = ["callgrind_control", "-i"]
    subprocess.run([*switch, "on", str(os.getpid())], check=True, capture_output=True)
    began = time.thread_time()
    for article in items[1:]:
        preparer(article)
    seconds = time.thread_time() - began
    subprocess.run([*switch, "off", str(os.getpid())], check=True, capture_output=True)
    print(json.dumps({"articles": len(items) - 1, "thread_seconds_under_valgrind": seconds}))


def _count(articles: int, clean: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "callgrind.out"
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no",
            f"--callgrind-out-file={out}", sys.executable, __file__, "--inner",
            "--articles", str(articles), *([] if clean else ["--clean-off"]),
        ]  # fmt: skip
        run = subprocess.run(command, capture_output=True, text=True, check=True)
        totals = re.search(r"^totals: (\d+)", out.read_text(), re.MULTILINE)
    assert totals is not None, run.stderr[-2000:]
    counted = json.loads(run.stdout.strip().splitlines()[-1])["articles"]
    return {
        "articles": counted,
        "instructions_per_article_millions": round(int(totals.group(1)) / counted / 1e6, 2),
    }


def recorded(
    name: str, label: str | None, measure: Callable[[], dict[str, object]]
) -> dict[str, dict[str, object]]:
    """The runs kept in bench/results/``name``.json, with this checkout's figures
    (``measure()``, and the command that made them) added under ``label`` and saved first,
    unless ``label`` is None. Shared by the instruction-counting benchmarks."""
    path = RESULTS / f"{name}.json"
    runs = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if label is not None:
        import storyline

        code = Path(storyline.__file__).resolve().parents[1]
        prefix = "" if code == ROOT / "src" else f"PYTHONPATH={code} "
        runs[label] = {
            "command": f"{prefix}python bench/{name}.py " + " ".join(sys.argv[1:]),
            **measure(),
        }
        print(json.dumps(runs[label]))
        path.write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--label", default="this checkout")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--clean-off", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--markdown-only", action="store_true", help="rewrite the md from json")
    arguments = parser.parse_args()
    if arguments.inner:
        _inner(arguments.articles, clean=not arguments.clean_off)
        return
    runs = recorded(
        "prepare_instructions",
        None if arguments.markdown_only else arguments.label,
        lambda: {
            "clean on": _count(arguments.articles, clean=True),
            "clean off": _count(arguments.articles, clean=False),
        },
    )
    lines = [
        "# Instructions a store ingest's worker spends on an article (callgrind)",
        "",
        "Written by `bench/prepare_instructions.py` (its docstring says what is counted: clean,",
        "sign and count terms, per article of bench/store.py's clean-on increment). Millions of",
        "instructions an article, the same on a busy or idle machine (this one is shared by up to",
        "8 agents, where CPU seconds move by 15-30% between identical runs).",
        "",
        "| code | clean on | clean off | articles | command |",
        "|---|---:|---:|---:|---|",
    ]
    for label, run in runs.items():
        on, off = run["clean on"], run["clean off"]
        lines.append(
            f"| {label} | {on['instructions_per_article_millions']} "
            f"| {off['instructions_per_article_millions']} | {on['articles']} "
            f"| `{run['command']}` |"
        )
    (RESULTS / "prepare_instructions.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
