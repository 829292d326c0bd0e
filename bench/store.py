"""Store benchmark: incremental ingest into a big store, its size, memory, and query latency.

    .venv/bin/python bench/store.py --base 100000 --increment 2000 --queries 100

1. A realistic synthetic stream from the real dev data (``../shared/data/clustering/dev.jsonl``,
   1,968 wire articles of 186 stories): pass k of the stream is the same stories told again
   as new events, with a third of the names and a fifth of the other long words replaced by
   words of that pass (so pass k is new text and new stories, not copies of pass 0), dates
   shifted by k*35 days and new ids; 8% of the articles are followed by a syndicated copy (a
   new outlet, one line added) that dedupe must catch.
2. The base store of ``--base`` articles is built by the same ``Store.ingest`` code, with the
   summaries left for later (``summarize=False``) and without cleaning (the dev texts are
   clean); the clusterer and LSH see every article, as they would have.
3. Measured: ``--increment`` new articles ingested into that store (read + clean + dedupe +
   cluster + commit), with the default settings and with cleaning off; process memory before
   and after opening the store; size on disk per 1,000 articles; ``stories --search`` and
   ``show`` latency over ``--queries`` queries (p50 / p95), with ``show`` timed for stories
   whose current version was computed at ingest (as ``storyline ingest`` does) and, apart,
   the cost of computing a version.
Writes bench/results/store.{md,json}.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import zlib
from datetime import date, timedelta
from pathlib import Path

from storyline import Settings, Store
from storyline.report.markdown import story_markdown

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "clustering" / "dev.jsonl"
if not DEV.exists():
    DEV = Path("/work/shared/data/clustering/dev.jsonl")
RESULTS = ROOT / "bench" / "results"
_WORD = re.compile(r"[A-Za-z]{5,}")
_SYLLABLES = ["ka", "lo", "mi", "ru", "ta", "ven", "dor", "sel", "bri", "quo", "zan", "pel"]


def _pass_word(word: str, k: int) -> str:
    rng = random.Random(f"{word.lower()}|{k}")
    made = "".join(rng.choice(_SYLLABLES) for _ in range(3))
    return made.capitalize() if word[0].isupper() else made


def _rewrite(text: str, k: int) -> str:
    if k == 0:
        return text

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        share = 3 if word[0].isupper() else 5
        chosen = zlib.crc32(f"{word.lower()}|{k}".encode()) % share == 0
        return _pass_word(word, k) if chosen else word

    return _WORD.sub(swap, text)


def stream(total: int, start_pass: int = 0):
    """``total`` articles of the synthetic stream from pass ``start_pass`` on."""
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    made, k = 0, start_pass
    while True:
        rng = random.Random(k)
        for number, row in enumerate(rows):
            when = date.fromisoformat(row["date"]) if row.get("date") else date(1999, 1, 1)
            when = when + timedelta(days=35 * k)
            outlet = row["id"][:3]
            article = {
                "id": f"{row['id']}-p{k}",
                "title": _rewrite(row["title"], k),
                "text": _rewrite(row["text"], k),
                "outlet": outlet,
                "date": when.isoformat(),
            }
            yield article
            made += 1
            if made >= total:
                return
            if rng.random() < 0.08:
                copy = dict(article)
                copy.update(
                    id=f"{article['id']}-copy",
                    outlet=f"{outlet}-syndicated{number % 7}",
                    text=article["text"] + "\nCopyright the wire service.",
                )
                yield copy
                made += 1
                if made >= total:
                    return
        k += 1


def _all_known(store: Store, piece: Path) -> bool:
    """Whether the slice's last input is in the store (a slice goes in in order, so then all
    of it is)."""
    from storyline.store.prepare import raw_id

    last = piece.with_name("last.jsonl")
    last.write_text(piece.read_text(encoding="utf-8").splitlines()[-1] + "\n", encoding="utf-8")
    articles = store.pipeline.reader.read([last], store.settings).articles
    return bool(articles) and store.knows_input(raw_id(articles[0]))


def _write(path: Path, articles) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for article in articles:
            handle.write(json.dumps(article) + "\n")
            count += 1
    return count


def _cpu() -> float:
    """CPU seconds of this process and of its reaped children (ingest's worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _size_mib(directory: Path) -> float:
    return sum(p.stat().st_size for p in directory.iterdir() if p.is_file()) / 2**20


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def markdown(results: dict) -> str:
    """The results file: the figures, the command, and what they mean."""
    runs = results["incremental"]
    lines = [
        "# Store: incremental ingest into a big store, size on disk, query latency",
        "",
        f"Command: `{results['command']}` (written by `bench/store.py`).",
        results.get("machine")  # written by hand after the run, kept in the json
        or f"Machine: {results['cpus']} CPU cores **shared by up to 8 agents**; load average "
        f"{', '.join(f'{x:.1f}' for x in results['load_average'])} at the start and "
        f"{', '.join(f'{x:.1f}' for x in results.get('load_average_end', []))} at the end, "
        "so wall-clock rates are a fraction of what the code does on idle cores; the rate per "
        "CPU-second of the process is the load-independent figure.",
        "",
        f"Store: {results['store_articles']:,} articles in {results['stories']:,} stories "
        "(synthetic stream from the real dev data, see the script's docstring).",
        "",
        "## Incremental ingest (read + clean + dedupe against the store + cluster + commit)",
        "",
        "| settings | articles | new | copies | wall s | articles/s (wall) "
        "| CPU s (all processes) | articles per CPU-second | workers | load (1 min) "
        "| memory growth MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, run in runs.items():
        lines.append(
            f"| {label} | {run['articles']} | {run['new']} | {run['copies']} | {run['seconds']} "
            f"| {run['per_second']} | {run.get('cpu_seconds', '')} "
            f"| {run.get('per_cpu_second', '')} | {run.get('workers', 1)} "
            f"| {run.get('load_average_1min', 0):.1f} | {run['rss_growth_mib']} |"
        )
    lines += [
        "",
        "## Building the base store (the same ingest code, clean off, in slices)",
        "",
        "| articles already in the store | slice | wall s | CPU s (all processes) "
        "| articles/s (wall) | per CPU-second | RSS MiB | load (1 min) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for point in results.get("base_build_curve", []):
        lines.append(
            f"| {point['store_articles']:,} | {point['articles']:,} "
            f"| {point.get('seconds', '')} | {point.get('cpu_seconds', '')} "
            f"| {point['per_second']} | {point.get('per_cpu_second') or 'lost'} "
            f"| {point.get('rss_mib', '')} | {point.get('load_average', 0):.1f} |"
        )
    disk, memory = results["disk"], results["memory_mib"]
    compute = results["version_compute"]
    lines += [
        "",
        "## Size, memory, queries",
        "",
        f"- On disk: {disk['mib']} MiB for {disk['articles']:,} articles, "
        f"**{disk['mib_per_1000_articles']} MiB per 1,000 articles** (texts, FTS5 index, "
        "MinHash signatures and LSH bands, kept story versions, clusterer checkpoint).",
        f"- Memory: {memory['before_open']} MiB before opening the store, "
        f"{memory['after_open']} MiB after opening it and loading the clusterer "
        f"({results.get('open_seconds')} s wall, {results.get('open_cpu_seconds', '?')} s CPU).",
        f"- `stories --search` (FTS5, {results['search']['queries']} queries of title words, "
        f"{results['search']['with_hits']} with hits): p50 {results['search']['p50_ms']} ms, "
        f"**p95 {results['search']['p95_ms']} ms**, max {results['search']['max_ms']} ms.",
        f"- `show` of a story whose version ingest computed ({results['show']['queries']} "
        f"stories: read its row, load its kept version, render Markdown): p50 "
        f"{results['show']['p50_ms']} ms, **p95 {results['show']['p95_ms']} ms**.",
        "- Computing a version (summary, no comparison) when a story has none: p50 "
        f"{compute['p50_ms']} ms, p95 {compute['p95_ms']} ms.",
        "",
    ]
    if results.get("notes"):  # read by hand after the run, kept in the json
        lines += ["## What the figures show", "", *results["notes"], ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=int, default=100_000)
    parser.add_argument("--increment", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument(
        "--shows", type=int, help="stories for `show` and version timings (default: --queries)"
    )
    parser.add_argument("--store", type=Path, help="keep the base store here (reused if built)")
    parser.add_argument(
        "--start-pass",
        type=int,
        help="stream pass the increments begin at (default: the first after --base); a "
        "reused store that already took the default pass's increments needs a later one",
    )
    parser.add_argument(
        "--grow",
        action="store_true",
        help="give a --store holding part of the base stream the rest of it (slices already "
        "in it are skipped), then stop",
    )
    parser.add_argument(
        "--markdown-only",
        action="store_true",
        help="rewrite store.md from store.json without measuring",
    )
    arguments = parser.parse_args()
    if arguments.markdown_only:
        results = json.loads((RESULTS / "store.json").read_text(encoding="utf-8"))
        (RESULTS / "store.md").write_text(markdown(results), encoding="utf-8")
        return
    work = Path(tempfile.mkdtemp(prefix="storyline-bench-"))
    directory = arguments.store or work / "store"
    fast = Settings(clean=False, compare=False)
    results: dict[str, object] = {
        "command": "python bench/store.py " + " ".join(sys.argv[1:]),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }
    # 1. The base store, in slices, with the rate along the way (the curve).
    base_file = work / "base.jsonl"
    curve_file = directory.with_name(directory.name + "-curve.json")
    curve = json.loads(curve_file.read_text()) if curve_file.exists() else []
    exists = (directory / "storyline.db").exists()
    if not exists or arguments.grow:
        _write(base_file, stream(arguments.base))
        lines = base_file.read_text(encoding="utf-8").splitlines()
        store = Store(directory, settings=fast)
        step = max(1000, arguments.base // 10)
        for start in range(0, len(lines), step):
            piece = work / "piece.jsonl"
            piece.write_text("\n".join(lines[start : start + step]) + "\n", encoding="utf-8")
            if exists and _all_known(store, piece):
                continue  # --grow: this slice is in the store already
            began, cpu = time.perf_counter(), _cpu()
            result = store.ingest([piece], summarize=False)
            seconds = time.perf_counter() - began
            cpu = _cpu() - cpu
            curve.append(
                {
                    "store_articles": store.connection.execute(
                        "SELECT count(*) FROM sightings"
                    ).fetchone()[0]
                    - result.new
                    - result.copies,
                    "articles": result.read - result.known,
                    "seconds": round(seconds, 1),
                    "cpu_seconds": round(cpu, 1),
                    "per_second": round((result.read - result.known) / seconds, 1),
                    "per_cpu_second": round((result.read - result.known) / cpu, 1),
                    "rss_mib": round(_rss_mib(), 1),
                    "load_average": os.getloadavg()[0],
                }
            )
            print(f"base {start + result.read}: {json.dumps(curve[-1])}", flush=True)
            curve_file.write_text(json.dumps(curve), encoding="utf-8")
        store.close()
        del lines  # the stream's text is not part of the store's memory measured below
        if arguments.grow:
            shutil.rmtree(work, ignore_errors=True)
            return  # grown; measure with a run without --grow (on a copy)
    results["base_build_curve"] = curve
    # 2. Opening the store: memory for its indexes (the clusterer's, loaded and replayed).
    rss_before = _rss_mib()
    began, cpu = time.perf_counter(), _cpu()
    store = Store(directory, settings=fast)
    store.clusterer()
    results["open_seconds"] = round(time.perf_counter() - began, 2)
    results["open_cpu_seconds"] = round(_cpu() - cpu, 2)
    rss_open = _rss_mib()
    articles_in_store = store.connection.execute("SELECT count(*) FROM sightings").fetchone()[0]
    results["store_articles"] = articles_in_store
    results["stories"] = store.connection.execute("SELECT count(*) FROM stories").fetchone()[0]
    store.close()
    # 3. Incremental ingest: new passes of the stream, never seen by the store.
    passes_used = arguments.start_pass or arguments.base // 2100 + 2
    increment = list(stream(2 * arguments.increment, start_pass=passes_used))
    runs = {}
    for label, settings, chunk in (
        ("clean off (pre-cleaned feed)", fast, increment[: arguments.increment]),
        ("default settings (clean on)", Settings(compare=False), increment[arguments.increment :]),
    ):
        path = work / "increment.jsonl"
        _write(path, chunk)
        store = Store(directory, settings=settings)
        store.clusterer()  # opening is measured above, not here
        rss_start = _rss_mib()
        load = os.getloadavg()[0]
        began, cpu = time.perf_counter(), _cpu()
        result = store.ingest([path], summarize=False)
        seconds = time.perf_counter() - began
        cpu = _cpu() - cpu
        runs[label] = {
            "articles": result.read,
            "new": result.new,
            "copies": result.copies,
            "seconds": round(seconds, 2),
            "per_second": round(result.read / seconds, 1),
            "cpu_seconds": round(cpu, 2),
            "per_cpu_second": round(result.read / cpu, 1),
            "rss_growth_mib": round(_rss_mib() - rss_start, 1),
            "max_rss_mib": round(_max_rss_mib(), 1),
            "load_average_1min": load,
            "workers": store.workers,
        }
        print(label, runs[label], flush=True)
        store.close()
    results["incremental"] = runs
    store = Store(directory, settings=Settings(compare=False))
    total = store.connection.execute("SELECT count(*) FROM sightings").fetchone()[0]
    size = _size_mib(directory)
    results["memory_mib"] = {"before_open": round(rss_before, 1), "after_open": round(rss_open, 1)}
    results["load_average_end"] = os.getloadavg()
    results["disk"] = {
        "articles": total,
        "mib": round(size, 1),
        "mib_per_1000_articles": round(size / total * 1000, 2),
    }
    # 4. Queries.
    rng = random.Random(7)
    titles = [
        r[0]
        for r in store.connection.execute(
            "SELECT title FROM articles WHERE title IS NOT NULL ORDER BY random() LIMIT 500"
        )
    ]
    words = [w for t in titles for w in re.findall(r"[A-Za-z]{5,}", t)]
    searches = [
        " ".join(rng.sample(words, rng.choice([1, 1, 2]))) for _ in range(arguments.queries)
    ]
    timings, hits = [], 0
    for query in searches:
        began = time.perf_counter()
        rows = store.stories(search=query, limit=50)
        timings.append(time.perf_counter() - began)
        hits += bool(rows)
    results["search"] = {**_percentiles(timings), "queries": len(searches), "with_hits": hits}
    ids = [
        f"s{r[0]}"
        for r in store.connection.execute(
            "SELECT id FROM stories ORDER BY random() LIMIT ?",
            (arguments.shows or arguments.queries,),
        )
    ]
    compute = []
    for story_id in ids:  # what ingest does for the stories it touched
        began = time.perf_counter()
        store.story(story_id)
        compute.append(time.perf_counter() - began)
    results["version_compute"] = _percentiles(compute)
    show = []
    for story_id in ids:
        began = time.perf_counter()
        row = store.story_row(story_id)
        story = store.story(story_id)
        story_markdown(story)
        show.append(time.perf_counter() - began)
        assert row.id == story_id
    results["show"] = {**_percentiles(show), "queries": len(ids)}
    store.close()
    print(json.dumps(results, indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "store.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "store.md").write_text(markdown(results), encoding="utf-8")
    if not arguments.store:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
