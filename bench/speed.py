"""Speed and peak memory of ingest + clean + digest on real multi-document clusters.

    .venv/bin/python bench/speed.py                 # writes bench/results/speed.md and .json

Each Multi-News dev cluster is digested as one story from raw strings (ingest, clean, dedupe,
summarize), once without and once with the source comparison. Loading the spaCy model is timed
apart. Peak memory is the process's maximum resident set size (getrusage ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import storyline

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "mds" / "multinews_sample100" / "dev.jsonl"


def run(clusters: list[list[str]], *, compare: bool) -> dict[str, float]:
    started = time.perf_counter()
    n_articles = 0
    for documents in clusters:
        report = storyline.digest(documents, compare=compare, words=120)
        n_articles += sum(len(s.articles) for s in report.stories)
    seconds = time.perf_counter() - started
    return {
        "clusters": len(clusters),
        "articles": n_articles,
        "seconds": round(seconds, 2),
        "articles_per_second": round(n_articles / seconds, 1),
        "clusters_per_second": round(len(clusters) / seconds, 2),
    }


def whole_command(args: list[str], runs: int = 5) -> dict[str, float]:
    """Median wall time of the CLI as a user runs it (start-up and model loading included)."""
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
        walls.append(time.perf_counter() - started)
    return {"median_wall_seconds": round(sorted(walls)[runs // 2], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    lines = args.data.read_text(encoding="utf-8").splitlines()[: args.limit]
    clusters = [json.loads(line)["documents"] for line in lines]

    started = time.perf_counter()
    from storyline.compare import nlp

    nlp.load()
    model_load = time.perf_counter() - started
    without_compare = run(clusters, compare=False)
    with_compare = run(clusters, compare=True)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cli = [str(Path(sys.executable).with_name("storyline")), "digest", "examples/iraq-troops-2016/"]
    cli_plain = whole_command([*cli, "--no-compare"])
    cli_full = whole_command(cli)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit or None,
        "data": str(args.data.relative_to(ROOT.parent))
        if args.data.is_relative_to(ROOT.parent)
        else str(args.data),
        "machine": f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores",
        "spacy_model_load_seconds": round(model_load, 2),
        "digest_without_compare": without_compare,
        "digest_with_compare": with_compare,
        "peak_rss_mib": round(peak_mib),
        "cli_example_without_compare": cli_plain,
        "cli_example_with_compare": cli_full,
        "command": "python bench/speed.py" + (f" --limit {args.limit}" if args.limit else ""),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "speed.json").write_text(json.dumps(result, indent=2) + "\n")
    rows = [
        f"| {name} | {r['clusters']} | {r['articles']} | {r['seconds']} | "
        f"{r['articles_per_second']} | {r['clusters_per_second']} |"
        for name, r in (("ingest + clean + digest", without_compare),
                        ("... + compare", with_compare))
    ]  # fmt: skip
    (out / "speed.md").write_text(
        "# Speed: ingest + clean + digest\n\n"
        f"Command: `{result['command']}`  \n"
        f"Date: {result['date']}, commit {result['commit']}, {result['machine']}  \n"
        f"Data: `{result['data']}` (each cluster digested as one story, 120-word summary)\n\n"
        "| run | clusters | articles | seconds | articles/s | clusters/s |\n"
        "|---|---:|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n\n"
        f"spaCy model load (once, not in the rows above): {model_load:.2f} s\n\n"
        f"Peak memory (max RSS of the whole run): {result['peak_rss_mib']} MiB\n\n"
        "Whole command on the bundled example, as a user runs it (median of 5 runs, start-up "
        "and model loading included):\n\n"
        f"- `storyline digest examples/iraq-troops-2016/ --no-compare`: "
        f"{cli_plain['median_wall_seconds']} s\n"
        f"- `storyline digest examples/iraq-troops-2016/`: {cli_full['median_wall_seconds']} s\n"
    )
    print((out / "speed.md").read_text())


if __name__ == "__main__":
    main()
