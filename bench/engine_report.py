"""Markdown of ``bench/results/engine.json`` (``bench/engine.py render``)."""

from __future__ import annotations

from typing import Any

HOURS = 3600.0


def render(data: dict[str, Any]) -> str:
    lines = [
        "# Engines: local vs Ray",
        "",
        "Measured on the shared 2-core development machine (up to 8 agents at once; the load "
        "average at each step is given, and above 2 it means the cores were shared, so every "
        "time here is an upper bound on an idle machine). Each measurement runs in a fresh "
        "process. Commands are under each table; `bench/engine.py` holds the details.",
        "",
    ]
    if "partition" in data:
        lines += _partition(data["partition"])
    if "costs" in data:
        lines += _costs(data["costs"])
    for key in sorted(k for k in data if k.startswith(("ingest-", "digest-"))):
        lines += _runs(key, data[key])
    if "scale" in data:
        lines += _scale(data["scale"])
    return "\n".join(lines) + "\n"


def _stamp(step: dict[str, Any]) -> list[str]:
    return ["", f"`{step['command']}` ({step['date']}, load average {step['load_average']:.1f})",
            ""]


def _partition(step: dict[str, Any]) -> list[str]:
    lines = [
        "## Time-partitioned clustering vs one clusterer (dev stream)",
        "",
        f"{step['articles']} articles of `clustering/dev.jsonl`; B-cubed of the partitioned "
        "stories against the single-process clusterer's (not against gold), and each against "
        f"gold for reference (single process: B³ F1 {100 * step['single_gold_f1']:.1f}).",
        "",
        "| block days | overlap days | stories | single-process stories | B³ P | B³ R | B³ F1 "
        "| F1 on the 329 undated | F1 vs gold |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in step["rows"]:
        lines.append(
            f"| {r['block_days']} | {r['overlap_days']} | {r['stories']} | {r['single_stories']} "
            f"| {100 * r['p']:.1f} | {100 * r['r']:.1f} | **{100 * r['f1']:.1f}** "
            f"| {100 * r['f1_undated_only']:.1f} | {100 * r['gold_f1']:.1f} |"
        )
    return lines + _stamp(step)


def _costs(step: dict[str, Any]) -> list[str]:
    ms = step["ms_per_article"]
    total = sum(ms.values())
    lines = [
        "## Cost of each stage, one process",
        "",
        f"{step['articles']} synthetic articles ({step['stories']} stories), CPU milliseconds "
        "per article in one process (wall time on the shared machine in the JSON). Pure "
        "maps: read, clean, sign, summarize+compare (per story); state: the dedupe pass and "
        "the clustering.",
        "",
        "| stage | ms / article | share |",
        "|---|---:|---:|",
    ]
    for name, value in ms.items():
        lines.append(f"| {name} | {value:.2f} | {100 * value / total:.0f}% |")
    lines.append(f"| **all** | **{total:.2f}** | |")
    serial = ms.get("dedupe_pass", 0) + ms.get("cluster", 0)
    parallel = total - serial
    lines += [
        "",
        "Cost model (Amdahl, from these figures): on N workers an article costs "
        f"{parallel:.2f}/N ms of parallel work plus {serial:.2f} ms of the stateful passes "
        "(the dedupe pass in one place; clustering is parallel by time block, so its "
        f"{ms.get('cluster', 0):.2f} ms divides by the blocks in flight too).",
        "",
        "| articles | 1 worker | 8 workers | 64 workers | 512 workers |",
        "|---:|---:|---:|---:|---:|",
    ]
    for count in (1_000_000, 100_000_000):
        cells = []
        for workers in (1, 8, 64, 512):
            seconds = count * (parallel / workers + ms.get("dedupe_pass", 0)
                               + ms.get("cluster", 0) / min(workers, 64)) / 1000
            cells.append(_duration(seconds))
        lines.append(f"| {count:,} | " + " | ".join(cells) + " |")
    return lines + _stamp(step)


def _duration(seconds: float) -> str:
    if seconds >= 2 * 86_400:
        return f"{seconds / 86_400:.1f} d"
    if seconds >= 2 * HOURS:
        return f"{seconds / HOURS:.1f} h"
    return f"{seconds / 60:.0f} min"


def _runs(key: str, step: dict[str, Any]) -> list[str]:
    kind, count = key.split("-")
    what = ("read, clean, sign, dedupe (windowed), cluster by time block" if kind == "ingest"
            else "the whole digest: read ... cluster, summarize and compare every story")
    lines = [
        f"## {kind}: {int(count):,} articles ({what})",
        "",
        "| engine | articles/s | seconds | speed-up | Ray start (init) s | stories "
        "| driver peak MiB | worker peak MiB (each) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    base = next((r["seconds"] for r in step["runs"] if r["engine"] == "local"), None)
    for r in step["runs"]:
        speed = f"{base / r['seconds']:.2f}x" if base else ""
        init = f"{r['ray_init_s']:.1f}" if "ray_init_s" in r else "-"
        peaks = ", ".join(f"{p:.0f}" for p in r.get("worker_peak_mib", [])[:6]) or "-"
        lines.append(
            f"| {r['engine']} | {r['articles_per_s']:.1f} | {r['seconds']:.0f} | {speed} | {init} "
            f"| {r['stories']} | {r['driver_peak_mib']:.0f} | {peaks} |"
        )
    same = "identical" if step["identical"] else "NOT identical"
    digest = "assignments" if kind == "ingest" else "JSON reports (without generated_at)"
    lines += ["", f"Outputs: {digest} {same} across engines (SHA-1 of the sorted output)."]
    return lines + _stamp(step)


def _scale(step: dict[str, Any]) -> list[str]:
    lines = [
        f"## Scaling: the Ray ingest path, {step['workers']} workers, bounded memory",
        "",
        "| articles | seconds | articles/s | stories | driver peak MiB | most articles held "
        "by the driver | worker peak MiB |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in step["points"]:
        peaks = ", ".join(f"{p:.0f}" for p in r.get("worker_peak_mib", [])[:4]) or "-"
        lines.append(
            f"| {r['articles']:,} | {r['seconds']:.0f} | {r['articles_per_s']:.1f} "
            f"| {r['stories']} | {r['driver_peak_mib']:.0f} | {r['peak_open_articles']:,} "
            f"| {peaks} |"
        )
    return lines + _stamp(step)
