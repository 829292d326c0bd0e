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
    for key in ("partition", "partition-online"):
        if key in data:
            lines += _partition(data[key])
    if "partition-diagnose" in data:
        lines += _diagnose(data["partition-diagnose"])
    if "costs" in data:
        lines += _costs(data["costs"])
    for key in sorted(k for k in data if k.startswith(("ingest-", "digest-"))):
        lines += _runs(key, data[key])
    for key in sorted(k for k in data if k.startswith("store-")):
        lines += _store(key, data[key])
    if "startup" in data:
        lines += _startup(data["startup"])
    for key in sorted(k for k in data if k == "scale" or k.startswith("scale-")):
        lines += _scale(data[key])
    if "costs" in data and "ingest-20000" in data:
        lines += _model(data)
    return "\n".join(lines) + "\n"


def _stamp(step: dict[str, Any]) -> list[str]:
    return ["", f"`{step['command']}` ({step['date']}, load average {step['load_average']:.1f})",
            ""]


def _partition(step: dict[str, Any]) -> list[str]:
    lines = [
        "## Time-partitioned clustering vs one clusterer (dev stream, "
        f"{step.get('clusterer', 'centroid')} clusterer)",
        "",
        f"{step['articles']} articles of `clustering/dev.jsonl`; B-cubed of the partitioned "
        "stories against the single-process clusterer's (not against gold), and each against "
        f"gold for reference (single process: B³ F1 {100 * step['single_gold_f1']:.1f}). "
        "Both sides' stories are final: a block's and the single process's after the "
        "clusterer's merges (`cluster_block`).",
        "",
        "The last columns: B³ F1 against the single process with further passes, each "
        "block first replaying the history of the stories the pass before had open "
        "(`storyline.engine.history`), and the CPU seconds of the whole partitioned run.",
        "",
    ]
    passes = [f["passes"] for f in step["rows"][0].get("further_passes", [])]
    lines += [
        "| block days | overlap days | stories | single-process stories | B³ P | B³ R | B³ F1 "
        "| F1 on the 329 undated | F1 vs gold | CPU s |"
        + "".join(f" F1, {n} passes | CPU s |" for n in passes),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + "---:|---:|" * len(passes),
    ]
    for r in step["rows"]:
        further = "".join(f" {100 * f['f1']:.1f} | {f['cpu_s']:.1f} |"
                          for f in r.get("further_passes", []))
        lines.append(
            f"| {r['block_days']} | {r['overlap_days']} | {r['stories']} | {r['single_stories']} "
            f"| {100 * r['p']:.1f} | {100 * r['r']:.1f} | **{100 * r['f1']:.1f}** "
            f"| {100 * r['f1_undated_only']:.1f} | {100 * r['gold_f1']:.1f} "
            f"| {r.get('cpu_s', float('nan')):.1f} |" + further
        )
    return lines + _stamp(step)


def _diagnose(step: dict[str, Any]) -> list[str]:
    modes = list(step["rows"][0]["f1"])
    lines = [
        "## Why the online clusterer's partitioned stories differ (dev stream)",
        "",
        f"{step['articles']} articles; B³ F1 of the partitioned stories against the single "
        "process's, with one cause at a time taken away by starting each block from that part "
        "of the single process's state at the block's lead-in (an oracle: diagnosis only, not "
        "something a parallel run has). \"prefix IDF\": the document frequencies and article "
        "count; \"oracle state\": the whole clusterer (its open stories with their whole "
        "history); \"joined stitch\": a block's story joins every earlier story its context "
        "articles belong to, not only the majority's. `bench/partition_diagnose.py`.",
        "",
        "| block days | overlap days | blocks | " + " | ".join(modes) + " |",
        "|---:|---:|---:|" + "---:|" * len(modes),
    ]
    for r in step["rows"]:
        lines.append(f"| {r['block_days']} | {r['overlap_days']} | {r['blocks']} | "
                     + " | ".join(f"{100 * r['f1'][m]:.1f}" for m in modes) + " |")
    lines += [
        "",
        "Per block (as shipped): own articles whose story differs from the single process's, "
        "how many of them are in a story the single process opened before the block's lead-in, "
        "and the median of their days into the block and of their (single-process) story's size.",
        "",
        "| block days / overlap | block | lead-in articles | own articles | differ | of them in "
        "a story older than the lead-in | median days into the block | median story size |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in step["rows"]:
        for b in r["per_block"]:
            lines.append(
                f"| {r['block_days']} / {r['overlap_days']} | {b['block']} | {b['context']} "
                f"| {b['own']} | {b['moved']} | {b['moved_in_story_older_than_lead_in']} "
                f"| {_maybe(b['moved_median_days_into_block'])} "
                f"| {_maybe(b['moved_median_story_size'])} |")
    return lines + _stamp(step)


def _maybe(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


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


def _cpu(r: dict[str, Any]) -> str:
    if "driver_cpu_s" not in r:
        return "-"
    ray = r.get("ray_processes_cpu_s")
    return f"{r['driver_cpu_s']:.0f}" + (f" + {ray:.0f}" if ray is not None else "")


def _load(r: dict[str, Any]) -> str:
    if "load_start" not in r:
        return "-"
    return f"{r['load_start']:.1f} / {r['load_end']:.1f}"


def _runs(key: str, step: dict[str, Any]) -> list[str]:
    kind, count = key.split("-")
    what = ("read, clean, sign, dedupe (windowed), cluster by time block" if kind == "ingest"
            else "the whole digest: read ... cluster, summarize and compare every story")
    if kind == "ingest" and step["runs"] and not step["runs"][0].get("clean", True):
        what = what.replace("clean, ", "")
    lines = [
        f"## {kind}: {int(count):,} articles ({what})",
        "",
        "| engine | articles/s | seconds | speed-up | Ray start (init) s | stories "
        "| CPU s (driver + Ray processes) | load start / end | driver peak MiB "
        "| worker peak MiB (each) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    base = next((r["seconds"] for r in step["runs"] if r["engine"] == "local"), None)
    for r in step["runs"]:
        speed = f"{base / r['seconds']:.2f}x" if base else ""
        init = f"{r['ray_init_s']:.1f}" if "ray_init_s" in r else "-"
        peaks = ", ".join(f"{p:.0f}" for p in r.get("worker_peak_mib", [])[:6]) or "-"
        lines.append(
            f"| {r['engine']} | {r['articles_per_s']:.1f} | {r['seconds']:.0f} | {speed} | {init} "
            f"| {r['stories']} | {_cpu(r)} | {_load(r)} | {r['driver_peak_mib']:.0f} | {peaks} |"
        )
    same = "identical" if step["identical"] else "NOT identical"
    digest = "assignments" if kind == "ingest" else "JSON reports (without generated_at)"
    lines += ["", f"Outputs: {digest} {same} across engines (SHA-1 of the sorted output)."]
    return lines + _stamp(step)


def _scale(step: dict[str, Any]) -> list[str]:
    path = "read, clean, sign, dedupe, cluster" if step.get("clean", True) else (
        "read, sign, dedupe, cluster; the cleaner off")
    lines = [
        f"## Scaling: the Ray ingest path ({path}), {step['workers']} workers, bounded memory",
        "",
        "| articles | seconds | articles/s | blocks | stories | CPU s (driver + Ray processes) "
        "| load start / end | driver peak MiB | driver peak anonymous / shared MiB "
        "| most articles held by the block pass | most rows in one block's file "
        "| spill buffer | worker peak MiB | worker anonymous / shared MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in step["points"]:
        peaks = ", ".join(f"{p:.0f}" for p in r.get("worker_peak_mib", [])[:4]) or "-"
        kinds = r.get("driver_rss_peak_mib_by_kind")
        parts = f"{kinds['RssAnon']:.0f} / {kinds['RssShmem']:.0f}" if kinds else "-"
        workers = r.get("worker_rss_peak_mib_by_kind", [])[:2]
        split = ", ".join(f"{w['RssAnon']:.0f} / {w['RssShmem']:.0f}" for w in workers) or "-"
        block_rows = f"{r['peak_block_rows']:,}" if "peak_block_rows" in r else "-"
        lines.append(
            f"| {r['articles']:,} | {r['seconds']:.0f} | {r['articles_per_s']:.1f} "
            f"| {r['blocks']} | {r['stories']} | {_cpu(r)} | {_load(r)} "
            f"| {r['driver_peak_mib']:.0f} | {parts} | {r['peak_open_articles']:,} "
            f"| {block_rows} | {r.get('peak_spill_buffer', 0):,} | {peaks} "
            f"| {split} |"
        )
    note = ("Driver peak: the most resident memory of the driver process (in the rows with "
            "the anonymous / shared split, taken before the bench reads the assignments back); "
            "anonymous is its own heap, shared the pages of Ray's object store it has read "
            "(sampled every second).")
    return [*lines, "", note, *_stamp(step)]


def _startup(step: dict[str, Any]) -> list[str]:
    local, ray = step["local"], step["ray"]
    lines = [
        "## Ray's fixed start-up cost",
        "",
        f"The ingest path on {ray['articles']} articles: local "
        f"{local['seconds']:.1f} s, Ray {ray['engine'][3:]} workers {ray['seconds']:.1f} s, of "
        f"which `ray.init` {ray['ray_init_s']:.1f} s; the rest of the difference (actor pool "
        "start: each actor imports storyline and loads the cleaner; Ray Data planning; "
        f"shutdown) {ray['seconds'] - local['seconds'] - ray['ray_init_s']:.1f} s. Fixed cost: "
        f"**{step['fixed_s']:.1f} s** per run (load {_load(ray)}).",
    ]
    return lines + _stamp(step)


def _model(data: dict[str, Any]) -> list[str]:
    """The ingest path's cost on N workers, from the stage costs and the 20,000-article runs."""
    ms = data["costs"]["ms_per_article"]
    runs = {r["engine"]: r for r in data["ingest-20000"]["runs"]}
    ray = runs.get("ray2") or next(r for r in runs.values() if r["engine"] != "local")
    local = runs["local"]
    n = ray["articles"]
    mapped = ms["read"] + ms["clean"] + ms["sign"]  # pure maps: they divide by the workers
    # The one driver: decode, spill, dedupe pass, merge, sink; from the biggest run measured
    # (its imports and start-up weigh least there).
    points = data.get("scale", {}).get("points") or [ray]
    big = max(points, key=lambda r: r["articles"])
    driver = 1000 * big["driver_cpu_s"] / big["articles"]
    overhead = 1000 * (ray["driver_cpu_s"] + ray.get("ray_processes_cpu_s", 0)
                       - local["driver_cpu_s"]) / n
    fixed = data.get("startup", {}).get("fixed_s", ray.get("ray_init_s", 0.0))
    tell = ms.get("summarize_compare", 0.0)
    parallel = mapped + ms["cluster"] + overhead
    lines = [
        "## Cost model: the ingest path on N workers",
        "",
        f"Per article (CPU ms, measured here): read + clean + sign {mapped:.2f} (pure maps: "
        f"divided by the workers); clustering {ms['cluster']:.2f} (a Ray task per time block: "
        f"divided by the blocks in flight); the Ray driver {driver:.2f} (decoding the rows, "
        "spilling, the windowed dedupe pass, merging blocks, writing: one process, it does "
        f"not divide; {big['articles']:,}-article run); Ray's extra CPU over the local engine "
        f"{overhead:.2f} ({n:,}-article runs: serializing rows, Arrow blocks, the object store, "
        "Ray's own processes over the run, actor start; an upper bound, as the Ray runs had "
        "a busier machine than the local one) and a fixed "
        f"{fixed:.0f} s start-up (at load 13). A summary + comparison per story (the digest, or "
        f"the store's summaries) adds {tell:.1f} ms per article, a pure map too.",
        "",
        f"Wall time ~ {fixed:.0f} s + articles x max({parallel:.2f} / N, {driver:.2f}) ms "
        "(the maps and the driver overlap; the block pass is cheap beside them):",
        "",
        "| articles | local (1 process) | 2 workers | 8 workers | 64 workers | 512 workers |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    per_local = 1000 * local["driver_cpu_s"] / local["articles"]
    for count in (1_000_000, 100_000_000):
        cells = [_duration(count * per_local / 1000)]
        for workers in (2, 8, 64, 512):
            per = max(parallel / workers, driver)
            cells.append(_duration(fixed + count * per / 1000))
        lines.append(f"| {count:,} | " + " | ".join(cells) + " |")
    floor = parallel / driver
    lines += [
        "",
        f"The single driver is the floor from about {floor:.0f} workers on "
        f"({driver:.2f} ms/article: 1 million articles in {_duration(1e6 * driver / 1000)}, "
        f"100 million in {_duration(1e8 * driver / 1000)}). Beyond it the stream is cut into "
        "time ranges, each with its own driver (spill, dedupe window, block pass) on its own "
        "node, only the blocks at range boundaries merged; and the sink becomes a store with "
        "parallel writers (PostgreSQL, one transaction per block).",
    ]
    return lines


def _store(key: str, step: dict[str, Any]) -> list[str]:
    count = int(key.split("-")[1])
    lines = [
        f"## storyline ingest into the store: {count:,} articles (read, clean, sign, copies "
        "against the store, stream clusterer, a summary + comparison per story)",
        "",
        "| engine | articles/s | seconds | speed-up | Ray start (init) s | new | copies "
        "| stories | versions | CPU s (driver + Ray processes) | load start / end "
        "| driver peak MiB | worker peak MiB (each) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    base = next((r["seconds"] for r in step["runs"] if r["engine"] == "local"), None)
    for r in step["runs"]:
        speed = f"{base / r['seconds']:.2f}x" if base else ""
        init = f"{r['ray_init_s']:.1f}" if "ray_init_s" in r else "-"
        peaks = ", ".join(f"{p:.0f}" for p in r.get("worker_peak_mib", [])[:6]) or "-"
        lines.append(
            f"| {r['engine']} | {r['articles_per_s']:.1f} | {r['seconds']:.0f} | {speed} | {init} "
            f"| {r['new']} | {r['copies']} | {r['stories']} | {r['versions']} | {_cpu(r)} "
            f"| {_load(r)} | {r['driver_peak_mib']:.0f} | {peaks} |"
        )
    same = "identical" if step["identical"] else "NOT identical"
    lines += ["", f"Store contents (every table an ingest writes, write times left out, story "
              f"versions = the kept summaries and comparisons): {same} across engines."]
    return lines + _stamp(step)
