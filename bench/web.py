"""Bounded load test of the web app on loopback.

    .venv/bin/python bench/web.py --store /tmp/web-store --stories 10000 --client wrk

With ``--store``, the server serves a store (issue 22) of at least ``--stories`` stories, built
first if it holds fewer: the bundled example, then passes of the clustering dev stream
(``stream_for_stories``), ingested with the summaries left to each story's first view. Without
it, a synthetic in-memory source: the bundled example and ``--clusters`` Multi-News dev
clusters digested, copied under new ids. The server runs in its own process (uvicorn, one
worker); ``--clients`` concurrent connections (wrk, ``apt-get install wrk``, or Python httpx
clients, whose own CPU cost caps what they can measure on a small machine) then hit each phase
for ``--seconds``: cached story pages (500 warmed first), the list page (random pages and
searches), story pages across all stories (mostly first views, which compute the story), and
POST /articles. Writes ``bench/results/web.md`` and ``web.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent.parent / "shared" / "data" / "mds" / "multinews_sample100" / "dev.jsonl"
DEV = DEV if DEV.exists() else Path("/work/shared/data/mds/multinews_sample100/dev.jsonl")
WARM = 500  # story pages rendered before the cached phase


def build_source(stories: int, clusters: int) -> Any:
    import storyline
    from storyline.serve import MemorySource

    built = list(storyline.digest([str(ROOT / "examples" / "iraq-troops-2016")]).stories)
    with DEV.open(encoding="utf-8") as lines:
        for line in list(lines)[:clusters]:
            documents = [d for d in json.loads(line)["documents"] if d.strip()]
            built += storyline.digest(documents).stories
    copies = []
    for number in range(stories):
        story = built[number % len(built)]
        copies.append(
            story.model_copy(
                update={"id": f"{story.id}-{number}", "title": f"{story.title} (copy {number})"}
            )
        )
    return MemorySource(copies, read_only=False)


def load_store_module() -> Any:
    """bench/store.py's synthetic stream (real dev articles, rewritten per pass)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_store", ROOT / "bench" / "store.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stream_for_stories(per_story: int) -> Any:
    """Endless passes over the clustering dev stream, at most ``per_story`` articles of each
    story per pass: pass k is bench/store.py's rewrite of the real articles (a third of the
    names and a fifth of the long words replaced, new ids), dated 2,200 days after pass k-1
    (the dev stream spans 1996-2000), so each pass is a new set of events and the stories of
    the last pass have left the clusterer's active window, as in a live feed."""
    from datetime import date, timedelta

    bench_store = load_store_module()
    rows = [json.loads(line) for line in bench_store.DEV.read_text(encoding="utf-8").splitlines()]
    k = 0
    while True:
        taken: dict[str, int] = {}
        for row in rows:
            if taken.get(row["cluster"], 0) >= per_story:
                continue
            taken[row["cluster"]] = taken.get(row["cluster"], 0) + 1
            when = date.fromisoformat(row["date"]) if row.get("date") else date(1999, 1, 1)
            yield {
                "id": f"{row['id']}-w{k}",
                "title": bench_store._rewrite(row["title"], k),
                "text": bench_store._rewrite(row["text"], k),
                "outlet": row["id"][:3],
                "date": (when + timedelta(days=2200 * k)).isoformat(),
            }
        k += 1


def build_store(directory: Path, stories: int, per_story: int) -> None:
    """Ingest the bundled example, then the synthetic stream, until the store holds
    ``stories`` stories (summaries left to the first view, as a fresh feed's are)."""
    from storyline import Settings, Store

    store = Store(directory, settings=Settings(clean=False))
    if store.count_stories() >= stories:
        store.close()
        return
    store.ingest([str(ROOT / "examples" / "iraq-troops-2016")])
    batch: list[dict[str, Any]] = []
    work = directory / "bench-batch.jsonl"
    started = time.perf_counter()
    for article in stream_for_stories(per_story):
        batch.append(article)
        if len(batch) < 2000:
            continue
        work.write_text("".join(json.dumps(a) + "\n" for a in batch), encoding="utf-8")
        store.ingest([work], summarize=False)
        batch.clear()
        count = store.count_stories()
        print(f"store: {count} stories, {time.perf_counter() - started:.0f} s", flush=True)
        if count >= stories:
            break
    work.unlink(missing_ok=True)
    store.close()


def serve(port: int, stories: int, clusters: int, store_dir: Path | None = None) -> None:
    import uvicorn

    from storyline.serve import create_app

    started = time.perf_counter()
    if store_dir is not None:
        from storyline import Store
        from storyline.serve.store_source import StoreSource

        source: Any = StoreSource(Store(store_dir, read_only=False))
    else:
        source = build_source(stories, clusters)
    print(f"built {stories} stories in {time.perf_counter() - started:.0f} s", flush=True)
    uvicorn.run(
        create_app(source, cache_size=stories + 100),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
    )


async def hammer(base: str, clients: int, seconds: float, make: Any) -> dict[str, Any]:
    """``clients`` tasks, each its own AsyncClient, each sending requests back to back."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.perf_counter() + seconds

    async def worker(seed: int) -> None:
        rng = random.Random(seed)
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            while time.perf_counter() < deadline:
                method, path, body = make(rng)
                started = time.perf_counter()
                try:
                    response = await client.request(method, path, json=body)
                    if response.status_code >= 400:
                        errors[str(response.status_code)] = (
                            errors.get(str(response.status_code), 0) + 1
                        )
                except httpx.HTTPError as error:
                    errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(clients)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(q: float) -> float:
        return round(1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1)

    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 1),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": round(1000 * statistics.fmean(latencies), 1) if latencies else None,
        "errors": sum(errors.values()),
        "error_kinds": errors,
    }


WRK_SCRIPT = r"""
local items = {%(items)s}
local method = "%(method)s"
local counter = 0
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
request = function()
  local item = items[math.random(#items)]
  if method == "POST" then
    counter = counter + 1
    local body = string.format('{"id": "wrk-%%d-%%d-%%d", "outlet": "bench", "text": %%s}',
      os.time(), tid, counter, item)
    return wrk.format("POST", "/articles", {["Content-Type"] = "application/json"}, body)
  end
  return wrk.format("GET", item)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests": %%d, "micros": %%d, "p50_us": %%d, '
    .. '"p95_us": %%d, "p99_us": %%d, "mean_us": %%d, "errors": %%d, "non_2xx": %%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.mean, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def hammer_wrk(
    base: str, clients: int, seconds: float, items: list[str], method: str = "GET"
) -> dict[str, Any]:
    """The same phase driven by wrk (C, event-driven): 2 threads, ``clients`` connections.
    For GET, ``items`` are paths; for POST, JSON-encoded article texts."""
    import shutil
    import tempfile

    if shutil.which("wrk") is None:
        raise SystemExit("--client wrk needs wrk (apt-get install wrk)")
    quoted = ", ".join(json.dumps(json.dumps(i) if method == "POST" else i) for i in items)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"items": quoted, "method": method})
    try:
        done = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{clients}",
                f"-d{int(seconds)}s",
                "--timeout",
                "30s",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)
    line = next(x for x in done.stdout.splitlines() if x.startswith("WRKJSON "))
    data = json.loads(line.removeprefix("WRKJSON "))
    elapsed = data["micros"] / 1e6
    return {
        "requests": data["requests"],
        "seconds": round(elapsed, 1),
        "rps": round(data["requests"] / elapsed, 1),
        "p50_ms": round(data["p50_us"] / 1000, 1),
        "p95_ms": round(data["p95_us"] / 1000, 1),
        "p99_ms": round(data["p99_us"] / 1000, 1),
        "mean_ms": round(data["mean_us"] / 1000, 1),
        "errors": data["errors"] + data["non_2xx"],
        "error_kinds": {"socket": data["errors"], "non_2xx": data["non_2xx"]},
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server process so far (Linux /proc): what one request
    costs the server, whatever else the shared machine is doing."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run(base: str, args: argparse.Namespace, pid: int) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=600) as client:
        ids: list[str] = []
        offset = 0
        while len(ids) < args.stories:
            page = (await client.get("/stories", params={"limit": 100, "offset": offset})).json()
            ids += [s["id"] for s in page["stories"]]
            offset += 100
            if not page["stories"]:
                break
        warm = ids[:WARM]
        started = time.perf_counter()
        for story_id in warm:
            assert (await client.get(f"/story/{story_id}")).status_code == 200
        warm_seconds = time.perf_counter() - started
    words = ["troops", "Iraq", "court", "police", "president", "fire", "election"]
    texts = [json.loads(line)["documents"][0] for line in DEV.open(encoding="utf-8")][:50]
    counter = iter(range(10**9))
    phases = {
        # The harness's own ceiling: the cheapest endpoint, under the same load.
        "GET /healthz (ceiling of this client on this machine)": lambda r: (
            "GET",
            "/healthz",
            None,
        ),
        "story page, cached": lambda r: ("GET", f"/story/{r.choice(warm)}", None),
        "story list": lambda r: (
            "GET",
            f"/?page={r.randint(1, 50)}" + (f"&q={r.choice(words)}" if r.random() < 0.3 else ""),
            None,
        ),
        "story page, any of 10,000 (first render or cached)": lambda r: (
            "GET",
            f"/story/{r.choice(ids)}",
            None,
        ),
        "POST /articles (one article)": lambda r: (
            "POST",
            "/articles",
            {"id": f"bench{next(counter)}", "outlet": "bench", "text": r.choice(texts)},
        ),
    }
    results = {
        "warm": {
            "pages": len(warm),
            "seconds": round(warm_seconds, 1),
            "ms_per_page": round(1000 * warm_seconds / len(warm), 1),
        }
    }
    rng = random.Random(7)
    wrk_items = {
        "GET /healthz (ceiling of this client on this machine)": ["/healthz"],
        "story page, cached": [f"/story/{i}" for i in warm],
        "story list": [phases["story list"](rng)[1] for _ in range(500)],
        "story page, any of 10,000 (first render or cached)": [f"/story/{i}" for i in ids],
        "POST /articles (one article)": texts,
    }
    for name, make in phases.items():
        before = cpu_seconds(pid)
        if args.client == "wrk":
            method = "POST" if name.startswith("POST") else "GET"
            results[name] = hammer_wrk(base, args.clients, args.seconds, wrk_items[name], method)
        else:
            results[name] = await hammer(base, args.clients, args.seconds, make)
        used = cpu_seconds(pid) - before
        results[name]["server_cpu_ms_per_request"] = round(
            1000 * used / max(results[name]["requests"], 1), 2
        )
        print(name, results[name], flush=True)
    return results


def write(
    results: dict[str, Any], args: argparse.Namespace, command: str, load: float | None = None
) -> None:
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    payload = {
        "command": command,
        "load_average_at_end": round(os.getloadavg()[0] if load is None else load, 1),
        "stories": args.stories,
        "clusters": args.clusters,
        "clients": args.clients,
        "seconds": args.seconds,
        "results": results,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
    }
    (out / "web.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    cached = results["story page, cached"]
    lines = [
        "# Web app load test",
        "",
        f"Command: `{command}` ({payload['when']}).",
        "",
        (
            f"A store (`--store {args.store}`) of {args.stories:,}+ stories: the bundled example, "
            "then passes of the clustering dev stream (bench/store.py's rewrite of the real "
            f"articles, at most {args.per_story} articles of each story per pass, each pass "
            "2,200 days after the last), ingested with summaries left to the first view. "
            if args.store
            else f"{args.stories:,} stories in a synthetic in-memory source: the bundled "
            f"example and {args.clusters} Multi-News dev clusters digested with the comparison, "
            "copied under new ids. "
        )
        + "Server: uvicorn, one worker, own "
        f"process; load: {args.clients} concurrent "
        + ("wrk connections (2 threads)" if args.client == "wrk" else "httpx async clients")
        + " on loopback, "
        f"{args.seconds:.0f} s per phase, on the same shared {os.cpu_count()}-core machine as "
        "the server (the client competes for the CPU; timings vary with the machine's load: "
        f"load average {payload['load_average_at_end']} at the end, other agents' jobs "
        "included). *Server CPU ms/request* is the server process's own CPU time per request, "
        "which the machine's load does not inflate as much: it bounds what one core can serve.",
        "",
        "| phase | requests | req/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms/request |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        if name == "warm":
            continue
        lines.append(
            f"| {name} | {r['requests']:,} | {r['rps']} | {r['p50_ms']} | "
            f"{r['p95_ms']} | {r['p99_ms']} | {r['errors']} | "
            f"{r.get('server_cpu_ms_per_request', '')} |"
        )
    warm = results["warm"]
    verdict = "met" if cached["p95_ms"] < 200 and cached["errors"] == 0 else "not met"
    lines += [
        "",
        f"Rendering a story page the first time: {warm['ms_per_page']} ms per page "
        f"({warm['pages']} pages one after another, before the load).",
        f"Target (p95 under 200 ms for cached story pages with 10,000 stories, 0 errors): "
        f"**{verdict}** (p95 {cached['p95_ms']} ms, {cached['errors']} errors).",
        "",
    ]
    (out / "web.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--clusters", type=int, default=20)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--store",
        type=Path,
        help="serve a store here (built from the dev stream first if it holds fewer stories)",
    )
    parser.add_argument("--per-story", type=int, default=3, help="articles per story per pass")
    parser.add_argument(
        "--client", choices=("httpx", "wrk"), default="httpx", help="the load generator"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.port, args.stories, args.clusters, args.store)
        return
    if args.store is not None:
        started = time.perf_counter()
        build_store(args.store, args.stories, args.per_story)
        print(f"store ready in {time.perf_counter() - started:.0f} s", flush=True)
    server = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve",
            "--port",
            str(args.port),
            "--stories",
            str(args.stories),
            "--clusters",
            str(args.clusters),
            *(["--store", str(args.store)] if args.store else []),
        ],
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        deadline = time.monotonic() + 900
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(1)
        results = asyncio.run(run(base, args, server.pid))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # still rendering first views in its thread pool
            server.kill()
            server.wait(timeout=30)
    command = "python bench/web.py " + " ".join(sys.argv[1:])
    write(results, args, command.strip())


if __name__ == "__main__":
    main()
