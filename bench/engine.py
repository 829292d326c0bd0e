"""Local vs Ray engine: throughput, start-up cost, memory, identical outputs, time partitioning.

    .venv/bin/python bench/engine.py partition            # B-cubed, partitioned vs one clusterer
    .venv/bin/python bench/engine.py costs --sample 400    # per-article cost of each stage
    .venv/bin/python bench/engine.py ingest --articles 20000 --engines local,ray1,ray2
    .venv/bin/python bench/engine.py digest --articles 600 --engines local,ray2
    .venv/bin/python bench/engine.py scale --articles 20000,40000,80000
    .venv/bin/python bench/engine.py render                # bench/results/engine.md

Each step adds its figures to ``bench/results/engine.json`` (keyed by step) and ``render`` writes
the Markdown. The synthetic stream is the dev clustering stream repeated: copy ``k`` of an
article gets a new id, its date shifted by ``k`` times the stream's span, and every fourth
sentence (from a copy-dependent offset) left out, so that copies are new articles to dedupe.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from engine_measure import CpuSampler, driver_peak_mib, self_cpu_s  # bench/engine_measure.py

ROOT = Path(__file__).resolve().parents[1]
DEV = Path("/work/shared/data/clustering/dev.jsonl")
RESULTS = ROOT / "bench" / "results" / "engine.json"
WORK = Path(os.environ.get("STORYLINE_BENCH_DIR", "/tmp/storyline-engine-bench"))
SHARDS = 8


def record(step: str, value: Any, command: str | None = None) -> None:
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    value = {"command": command or "bench/engine.py " + " ".join(sys.argv[1:]),
             "date": datetime.now().strftime("%Y-%m-%d %H:%M UTC"),
             "load_average": os.getloadavg()[0], **value}
    data[step] = value
    RESULTS.write_text(json.dumps(data, indent=1) + "\n")
    print(json.dumps(value, indent=1))


def make_stream(count: int) -> Path:
    """``count`` synthetic articles in JSONL shards (cached by size): SHARDS of them, or more
    so that no shard holds over 12,500 articles (about 35 MB; the reader skips files over
    ``ingest.max_file_bytes``, 50 MB by default, as it should)."""
    from storyline.text.sentences import article_sentences

    directory = WORK / f"stream-{count}"
    if (directory / "done").exists():
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    rows = [json.loads(line) for line in DEV.read_text().splitlines() if line.strip()]
    dates = [datetime.fromisoformat(r["date"]) for r in rows if r.get("date")]
    span = (max(dates) - min(dates)).days + 30
    shards = max(SHARDS, -(-count // 12_500))
    per_shard = -(-count // shards)
    outs = [open(directory / f"part-{n:03d}.jsonl", "w", encoding="utf-8")  # noqa: SIM115
            for n in range(shards)]
    written = 0
    copy = 0
    while written < count:
        for row in rows:
            if written >= count:
                break
            text = row["text"]
            if copy:
                spans = article_sentences(text)
                text = " ".join(text[s:e] for i, (s, e) in enumerate(spans)
                                if (i + copy) % 4 != 0) or text
            date = row.get("date")
            if date:
                date = (datetime.fromisoformat(date) + timedelta(days=copy * span)).isoformat()
            new = {"id": f"{row['id']}~{copy}", "title": row.get("title"), "text": text,
                   "date": date, "cluster": f"{row['cluster']}~{copy}"}
            outs[written // per_shard].write(json.dumps(new) + "\n")
            written += 1
        copy += 1
    for out in outs:
        out.close()
    (directory / "done").write_text(str(count))
    return directory


def run_ingest(engine: str, stream: Path, clean: bool = True) -> dict[str, Any]:
    from storyline.engine.ingest import ingest
    from storyline.engine.stream import ShardSink
    from storyline.pipeline import Pipeline
    from storyline.settings import Settings

    name, workers = ("local", None) if engine == "local" else ("ray", int(engine[3:]))
    out = WORK / f"out-{stream.name}-{engine}"
    for old in out.glob("assignments-*.jsonl"):
        old.unlink()
    extra: dict[str, Any] = {"load_start": os.getloadavg()[0]}
    started = time.perf_counter()
    if name == "ray":
        import ray

        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False,
                 configure_logging=False)
        extra["ray_init_s"] = time.perf_counter() - started
        sampler = CpuSampler()
    try:
        counts = ingest([str(stream)], ShardSink(out), Pipeline(Settings(clean=clean)),
                        engine=name, workers=workers, spill_dir=WORK)
        driver_peak = driver_peak_mib()  # before this bench reads the assignments back
        if name == "ray":
            extra["ray_processes_cpu_s"] = sampler.total()
            extra["driver_rss_peak_mib_by_kind"] = sampler.driver_parts
            extra["driver_anon_mib_timeline"] = sampler.driver_timeline
            extra["worker_rss_peak_mib_by_kind"] = sampler.worker_split()[:4]
            extra["worker_peaks"] = sampler.worker_peaks()
            extra["worker_peak_mib"] = [peak for _, peak in extra["worker_peaks"]]
    finally:
        if name == "ray":
            import ray

            ray.shutdown()
    seconds = time.perf_counter() - started
    assignments = sorted(line for p in sorted(out.glob("assignments-*.jsonl"))
                         for line in p.read_text().splitlines())
    import hashlib

    return {"engine": engine, "clean": clean, "articles": counts.read, "kept": counts.kept,
            "duplicates": counts.duplicates, "blocks": counts.blocks, "stories": counts.stories,
            "seconds": seconds, "articles_per_s": counts.read / seconds,
            "driver_cpu_s": self_cpu_s(), "load_end": os.getloadavg()[0],
            "driver_peak_mib": driver_peak, "peak_open_articles": counts.peak_open_articles,
            "peak_spill_buffer": counts.peak_spill_buffer,
            "peak_reordered_rows": counts.peak_reordered_rows,
            "peak_block_rows": counts.peak_block_rows,
            "assignments_sha1": hashlib.sha1("\n".join(assignments).encode()).hexdigest(),
            **extra}


def step_ingest(args: argparse.Namespace) -> None:
    stream = make_stream(args.articles)
    runs = [isolated(run_ingest, engine, stream, not args.no_clean)
            for engine in args.engines.split(",")]
    # Runs add to those already measured on the same stream (engines rerun one at a time).
    key = f"ingest-{args.articles}"
    before = json.loads(RESULTS.read_text()).get(key, {}) if RESULTS.exists() else {}
    done = {r["engine"] for r in runs}
    order = ["local", "ray1", "ray2", "ray4"]
    runs = sorted([r for r in before.get("runs", []) if r["engine"] not in done
                   and r.get("clean", True) == (not args.no_clean)] + runs,
                  key=lambda r: order.index(r["engine"]) if r["engine"] in order else 99)
    record(key, {"runs": runs,
           "identical": len({r["assignments_sha1"] for r in runs}) == 1})


def run_digest(engine: str, stream: Path, count: int) -> dict[str, Any]:
    from storyline.engine import get_engine
    from storyline.pipeline import Pipeline
    from storyline.report import to_json
    from storyline.settings import Settings

    pipeline = Pipeline(Settings(cluster=True))
    files = sorted(str(p) for p in stream.glob("part-*.jsonl"))
    extra: dict[str, Any] = {"load_start": os.getloadavg()[0]}
    started = time.perf_counter()
    if engine == "local":
        report = get_engine("local").run(pipeline, files)
    else:
        import ray

        ray.init(num_cpus=int(engine[3:]), include_dashboard=False, log_to_driver=False,
                 configure_logging=False)
        extra["ray_init_s"] = time.perf_counter() - started
        sampler = CpuSampler()
        try:
            report = get_engine("ray", workers=int(engine[3:])).run(pipeline, files)
            extra["ray_processes_cpu_s"] = sampler.total()
            extra["worker_peaks"] = sampler.worker_peaks()
            extra["worker_peak_mib"] = [peak for _, peak in extra["worker_peaks"]]
        finally:
            ray.shutdown()
    seconds = time.perf_counter() - started
    data = json.loads(to_json(report))
    data.pop("generated_at", None)
    import hashlib

    return {"engine": engine, "articles": count, "stories": len(report.stories),
            "seconds": seconds, "articles_per_s": count / seconds,
            "driver_peak_mib": driver_peak_mib(), "driver_cpu_s": self_cpu_s(),
            "load_end": os.getloadavg()[0],
            "report_sha1": hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest(),
            **extra}


def step_digest(args: argparse.Namespace) -> None:
    stream = make_stream(args.articles)
    runs = [isolated(run_digest, engine, stream, args.articles)
            for engine in args.engines.split(",")]
    record(f"digest-{args.articles}", {"runs": runs,
           "identical": len({r["report_sha1"] for r in runs}) == 1})


def step_scale(args: argparse.Namespace) -> None:
    points = []
    for count in (int(c) for c in args.articles.split(",")):
        stream = make_stream(count)
        points.append(isolated(run_ingest, f"ray{args.workers}", stream, not args.no_clean))
    # Points add to those already measured with the same workers (a curve built run by run);
    # the curves with and without the cleaner are kept apart.
    step = "scale" if args.no_clean else "scale-clean"
    if RESULTS.exists():
        before = json.loads(RESULTS.read_text()).get(step, {})
        if before.get("workers") == args.workers and before.get("clean") == (not args.no_clean):
            done = {p["articles"] for p in points}
            points = sorted([p for p in before["points"] if p["articles"] not in done] + points,
                            key=lambda p: p["articles"])
    record(step, {"workers": args.workers, "clean": not args.no_clean, "points": points})


def run_store(engine: str, stream: Path) -> dict[str, Any]:
    """``storyline ingest`` into a fresh store, locally or with ``--engine ray``."""
    import hashlib
    import shutil
    import sqlite3

    from storyline import Store

    directory = WORK / f"store-{stream.name}-{engine}"
    shutil.rmtree(directory, ignore_errors=True)
    extra: dict[str, Any] = {"load_start": os.getloadavg()[0]}
    started = time.perf_counter()
    with Store(directory) as store:
        if engine == "local":
            result = store.ingest([str(stream)])
        else:
            import ray

            from storyline.engine.store_ingest import ingest_into_store

            ray.init(num_cpus=int(engine[3:]), include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
            extra["ray_init_s"] = time.perf_counter() - started
            sampler = CpuSampler()
            try:
                result = ingest_into_store(store, [str(stream)], workers=int(engine[3:]))
                extra["ray_processes_cpu_s"] = sampler.total()
                extra["worker_peaks"] = sampler.worker_peaks()
                extra["worker_peak_mib"] = [peak for _, peak in extra["worker_peaks"]]
            finally:
                ray.shutdown()
    seconds = time.perf_counter() - started
    # The store's contents without the write times: what must be equal between engines.
    when = {"added_at", "created_at", "changed_at", "computed_at", "as_of"}
    connection = sqlite3.connect(directory / "storyline.db")
    digest = hashlib.sha1()
    for table in ("articles", "sightings", "signatures", "lsh_bands", "stories",
                  "story_versions"):
        cursor = connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2")
        keep = [i for i, c in enumerate(cursor.description) if c[0] not in when]
        for row in cursor:
            digest.update(repr([row[i] for i in keep]).encode())
    versions = connection.execute("SELECT count(*) FROM story_versions").fetchone()[0]
    connection.close()
    return {"engine": engine, "articles": result.read, "new": result.new,
            "copies": result.copies, "stories": result.stories_created,
            "versions": versions, "seconds": seconds, "articles_per_s": result.read / seconds,
            "driver_cpu_s": self_cpu_s(), "load_end": os.getloadavg()[0],
            "driver_peak_mib": driver_peak_mib(), "store_sha1": digest.hexdigest(), **extra}


def step_store(args: argparse.Namespace) -> None:
    stream = make_stream(args.articles)
    runs = [isolated(run_store, engine, stream) for engine in args.engines.split(",")]
    record(f"store-{args.articles}", {"runs": runs,
           "identical": len({r["store_sha1"] for r in runs}) == 1})


def step_startup(args: argparse.Namespace) -> None:
    """Ray's fixed cost: the same tiny ingest on both engines, the difference is start-up."""
    stream = make_stream(args.articles)
    local = isolated(run_ingest, "local", stream)
    ray = isolated(run_ingest, f"ray{args.workers}", stream)
    record("startup", {"local": local, "ray": ray, "fixed_s": ray["seconds"] - local["seconds"]})


def step_partition(args: argparse.Namespace) -> None:
    from storyline.cluster import StoryClusterer
    from storyline.cluster.online import OnlineClusterer
    from storyline.engine.partition import cluster_block, partitioned_cluster
    from storyline.evaluate.clusters import bcubed, read_stream

    articles, gold = read_stream(DEV)
    make = OnlineClusterer if args.clusterer == "online" else StoryClusterer
    # The whole stream as one block: the single process's final stories (merges resolved).
    single = [str(label) for label in cluster_block(articles, make)]
    position = {a.id: i for i, a in enumerate(articles)}
    rows = []
    configs = ((30, 7), (90, 30), (365, 90), (730, 365), (1000, 500), (600, 600), (860, 860),
               (2000, 0))
    if args.clusterer == "online":
        # Its stories close after a year without news (window_days): overlaps of about that.
        configs = ((30, 7), (90, 30), (365, 90), (365, 365), (600, 600), (800, 800), (1000, 1000),
                   (2000, 0))
    def story_labels(groups: list[list[Any]]) -> list[int]:
        labels = [0] * len(articles)
        for number, group in enumerate(groups):
            for article in group:
                labels[position[article.id]] = number
        return labels

    undated = [i for i, a in enumerate(articles) if a.published is None]
    for block, overlap in configs:
        started = time.process_time()
        groups = partitioned_cluster(articles, make, block_days=block, overlap_days=overlap)
        cpu = time.process_time() - started
        labels = story_labels(groups)
        p, r, f = bcubed(single, labels)
        _, _, fu = bcubed([single[i] for i in undated], [labels[i] for i in undated])
        # Further passes (storyline.engine.history): each block replays the history of the
        # stories the pass before had open. B-cubed F1 against the single process and CPU s.
        further = []
        for passes in range(2, args.passes + 1):
            started = time.process_time()
            again = partitioned_cluster(articles, make, block_days=block, overlap_days=overlap,
                                        passes=passes)
            further.append({"passes": passes, "f1": bcubed(single, story_labels(again))[2],
                            "cpu_s": time.process_time() - started})
        rows.append({"block_days": block, "overlap_days": overlap, "stories": len(groups),
                     "single_stories": len(set(single)), "p": p, "r": r, "f1": f,
                     "f1_undated_only": fu, "gold_f1": bcubed(gold, labels)[2], "cpu_s": cpu,
                     "further_passes": further})
    step = "partition" if args.clusterer == "centroid" else f"partition-{args.clusterer}"
    record(step, {"articles": len(articles), "clusterer": args.clusterer, "rows": rows,
                  "single_gold_f1": bcubed(gold, single)[2]})


def step_costs(args: argparse.Namespace) -> None:
    """Seconds per article of each stage, one process, on a sample of the dev stream."""
    from storyline.cluster import StoryClusterer
    from storyline.engine.signatures import dedupe_signed, signature
    from storyline.pipeline import Pipeline
    from storyline.settings import Settings

    stream = make_stream(args.sample)
    files = sorted(stream.glob("part-*.jsonl"))
    pipeline = Pipeline(Settings(cluster=True))
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def timed(name: str, work: Callable[[], Any]) -> Any:
        # CPU time as well as wall time: on a shared machine the wall time is mostly waiting.
        started, started_cpu = time.perf_counter(), time.process_time()
        value = work()
        timings[name] = time.perf_counter() - started
        cpu[name] = time.process_time() - started_cpu
        return value

    read = timed("read", lambda: pipeline.reader.read([str(f) for f in files], pipeline.settings))
    ready, _ = timed("clean", lambda: pipeline.prepare(read.articles))
    signatures = timed("sign", lambda: [signature(a, 128) for a in ready])
    kept = timed("dedupe_pass", lambda: dedupe_signed(ready, signatures, threshold=0.8,
                                                      permutations=128)).articles
    clusterer = StoryClusterer()
    labels = timed("cluster", lambda: [clusterer.add(a) for a in kept])
    groups: dict[int, list] = {}
    for article, label in zip(kept, labels, strict=True):
        groups.setdefault(label, []).append(article)
    stories = sorted(groups.values(), key=len, reverse=True)
    pipeline.story(stories[0][:2])  # spaCy loaded outside the timing: a worker's fixed cost
    timed("summarize_compare", lambda: [pipeline.story(g) for g in stories])
    n = len(read.articles)
    record("costs", {"articles": n, "stories": len(stories),
                     "wall_ms_per_article": {k: 1000 * v / n for k, v in timings.items()},
                     "ms_per_article": {k: 1000 * v / n for k, v in cpu.items()}})


def isolated(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run one measurement in a fresh process, so peaks and imports do not carry over."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(function, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="step", required=True)
    partition = sub.add_parser("partition")
    partition.add_argument("--clusterer", choices=["centroid", "online"], default="centroid")
    partition.add_argument("--passes", type=int, default=3,
                           help="also measure up to this many passes (engine/history.py)")
    costs = sub.add_parser("costs")
    costs.add_argument("--sample", type=int, default=400)
    for name in ("ingest", "digest"):
        p = sub.add_parser(name)
        p.add_argument("--articles", type=int, default=20_000)
        p.add_argument("--engines", default="local,ray1,ray2")
        p.add_argument("--no-clean", action="store_true", help="ingest: skip the cleaner")
    scale = sub.add_parser("scale")
    scale.add_argument("--articles", default="20000,40000,80000")
    scale.add_argument("--workers", type=int, default=2)
    scale.add_argument("--no-clean", action="store_true",
                       help="skip the cleaner (a pure map, costed apart) to fit the time")
    store = sub.add_parser("store")
    store.add_argument("--articles", type=int, default=1_000)
    store.add_argument("--engines", default="local,ray2")
    startup = sub.add_parser("startup")
    startup.add_argument("--articles", type=int, default=64)
    startup.add_argument("--workers", type=int, default=2)
    sub.add_parser("render")
    args = parser.parse_args()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    if args.step == "render":
        from engine_report import render  # bench/engine_report.py

        markdown = render(json.loads(RESULTS.read_text()))
        (ROOT / "bench" / "results" / "engine.md").write_text(markdown)
        return
    {"partition": step_partition, "costs": step_costs, "ingest": step_ingest,
     "digest": step_digest, "scale": step_scale, "startup": step_startup,
     "store": step_store}[args.step](args)


if __name__ == "__main__":
    main()
