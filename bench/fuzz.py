"""Coverage-guided fuzzing of every ingest reader with atheris (libFuzzer), for a bounded time.

    .venv/bin/pip install atheris
    .venv/bin/python bench/fuzz.py --seconds 300     # writes bench/results/fuzz.md and .json

The first byte of each input picks the file name (and so the reader: text, HTML, JSON, JSONL,
CSV, TSV, Multi-News, feed, WARC, gzip, or content sniffing), the rest is the file's bytes.
An input fails when a reader raises, or breaks the readers' contract (an input gives articles
or a Problem naming it; no article has empty text). Failing inputs are written to
``bench/.cache/fuzz/crashes/``; each one found is kept as a regression test in
``tests/ingest/fuzz_corpus/`` (``tests/ingest/test_fuzz_regressions.py`` reads them all).
The seed corpus is made from the bundled example (real article text in every format).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import logging
import os
import platform
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache" / "fuzz"
RESULTS = ROOT / "bench" / "results"
NAMES = ["fuzz", "a.txt", "a.html", "a.json", "a.jsonl", "a.csv", "a.tsv", "a.src", "a.xml",
         "a.warc", "a.warc.gz", "a.txt.gz", "a.jsonl.gz"]  # fmt: skip


def _seeds() -> dict[str, bytes]:
    sys.path.insert(0, str(ROOT / "tests" / "ingest"))
    from hostile_data import article_html, example_text, make_warc

    text = example_text()
    page = article_html(text)
    record = {
        "title": "Carter in Baghdad",
        "text": text,
        "outlet": "Press TV",
        "date": "2016-07-11",
    }
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item>'
        f"<title>Carter</title><description>{text[:800]}</description>"
        "<pubDate>Mon, 11 Jul 2016 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    return {
        "a.txt": text.encode(),
        "a.html": page,
        "a.json": json.dumps([record, record]).encode(),
        "a.jsonl": (json.dumps(record) + "\n" + json.dumps({"documents": [text]})).encode(),
        "a.csv": ('title,text\n"Carter","' + text.replace('"', '""') + '"\n').encode(),
        "a.src": (text.replace("\n", " NEWLINE_CHAR ") + " ||||| " + text[:500]).encode(),
        "a.xml": rss.encode(),
        "a.warc": make_warc([page, page], gzip=False),
        "a.warc.gz": make_warc([page], gzip=True),
        "a.txt.gz": gzip.compress(text.encode()),
    }


def _one_input(data: bytes) -> None:
    from storyline.ingest import read_bytes
    from storyline.model import Article, Problem
    from storyline.settings import Settings

    if not data:
        return
    name = NAMES[data[0] % len(NAMES)]
    outcomes = list(read_bytes(data[1:], name, Settings(max_file_bytes=1_000_000)))
    if not outcomes:
        raise AssertionError(f"{name}: neither an article nor a problem")
    for outcome in outcomes:
        if isinstance(outcome, Problem):
            if not outcome.source.startswith(name) or not outcome.reason:
                raise AssertionError(f"{name}: problem without its file name: {outcome}")
        elif not isinstance(outcome, Article) or not outcome.text.strip():
            raise AssertionError(f"{name}: article without text: {outcome!r}")


def fuzz(seconds: int, corpus: Path, crashes: Path) -> None:
    """The libFuzzer loop itself (runs in a child process: libFuzzer exits when done)."""
    import atheris

    logging.disable(logging.CRITICAL)  # trafilatura logs every empty page
    with atheris.instrument_imports(include=["storyline"]):
        import storyline.ingest  # noqa: F401
    atheris.Setup(
        [sys.argv[0], str(corpus), f"-max_total_time={seconds}", f"-artifact_prefix={crashes}/",
         "-rss_limit_mb=3072", "-timeout=30", "-max_len=20000", "-print_final_stats=1"],
        _one_input,
    )  # fmt: skip
    atheris.Fuzz()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    corpus, crashes = CACHE / "corpus", CACHE / "crashes"
    if args.child:
        fuzz(args.seconds, corpus, crashes)
        return
    corpus.mkdir(parents=True, exist_ok=True)  # kept between runs: coverage builds up
    crashes.mkdir(parents=True, exist_ok=True)
    for old in crashes.iterdir():  # a run reports only what it found itself
        old.unlink()
    for name, data in _seeds().items():
        (corpus / f"seed-{name}").write_bytes(bytes([NAMES.index(name)]) + data)
    command = [sys.executable, __file__, "--seconds", str(args.seconds), "--child"]
    started = datetime.now(UTC)
    run = subprocess.run(command, capture_output=True, text=True, timeout=args.seconds + 600)
    log = run.stderr
    (CACHE / "last_run.log").write_text(log)
    stats = {k: int(v) for k, v in re.findall(r"stat::(\w+):\s+(\d+)", log)}
    found = sorted(p.name for p in crashes.iterdir())
    result = {
        "command": f".venv/bin/python bench/fuzz.py --seconds {args.seconds}",
        "started": started.isoformat(timespec="seconds"),
        "seconds": args.seconds,
        "exit_code": run.returncode,
        "stats": stats,
        "coverage_edges": _last_int(r"cov: (\d+)", log),
        "corpus_inputs": len(list(corpus.iterdir())),
        "crash_files": found,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs shared with other jobs",
    }
    RESULTS.joinpath("fuzz.json").write_text(json.dumps(result, indent=2) + "\n")
    RESULTS.joinpath("fuzz.md").write_text(_markdown(result, log))
    print(json.dumps(result, indent=2))


def _last_int(pattern: str, text: str) -> int | None:
    found = re.findall(pattern, text)
    return int(found[-1]) if found else None


def _markdown(result: dict[str, object], log: str) -> str:
    crash_lines = [line for line in log.splitlines() if "Error" in line or "==" in line][:20]
    lines = [
        "# Fuzzing the readers (atheris)",
        "",
        f"Command: `{result['command']}` (started {result['started']}; timings on a shared",
        "2-core machine).",
        "",
        "| what | value |",
        "|---|---|",
        f"| time budget | {result['seconds']} s |",
        f"| inputs run | {result['stats'].get('number_of_executed_units', 'n/a')} |",  # type: ignore[union-attr]
        f"| peak RSS | {result['stats'].get('peak_rss_mb', 'n/a')} MB |",  # type: ignore[union-attr]
        f"| coverage (edges) | {result['coverage_edges']} |",
        f"| corpus inputs | {result['corpus_inputs']} |",
        f"| failing inputs | {len(result['crash_files'])} |",  # type: ignore[arg-type]
        f"| exit code | {result['exit_code']} |",
        "",
    ]
    if crash_lines:
        lines += ["Failure lines of the log:", "", "```", *crash_lines, "```", ""]
    lines += [
        "Each failing input found is kept in `tests/ingest/fuzz_corpus/` as a regression",
        "test.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
