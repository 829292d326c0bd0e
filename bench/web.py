"""Bounded load test of the web app on loopback.

    .venv/bin/python bench/web.py [--stories 10000] [--clusters 20] [--clients 50] [--seconds 30]

The persistent store (issue 22) is not in this branch, so the server holds a synthetic
in-memory source: the bundled example and ``--clusters`` real Multi-News dev clusters are
digested (with the comparison) into stories, then copied under new ids up to ``--stories``
(each copy a distinct story to the app: its own id, version and cache entry). The server runs
in its own process (uvicorn, one worker); ``--clients`` concurrent httpx async clients then hit
each phase for ``--seconds``: cached story pages (warmed first), the list page (random pages
and searches), story pages across all stories (mostly not cached yet), and POST /articles
(the in-memory source keeps articles, it does not cluster them). Writes
``bench/results/web.md`` and ``web.json``.
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


def serve(port: int, stories: int, clusters: int) -> None:
    import uvicorn

    from storyline.serve import create_app

    started = time.perf_counter()
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server process so far (Linux /proc): what one request
    costs the server, whatever else the shared machine is doing."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run(base: str, args: argparse.Namespace, pid: int) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
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
    for name, make in phases.items():
        before = cpu_seconds(pid)
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
        f"{args.stories:,} stories in a synthetic in-memory source (the store of issue 22 is "
        f"not in this branch): the bundled example and {args.clusters} Multi-News dev clusters "
        "digested with the comparison, copied under new ids. Server: uvicorn, one worker, own "
        f"process; load: {args.clients} concurrent httpx async clients on loopback, "
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
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.port, args.stories, args.clusters)
        return
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
        server.wait(timeout=30)
    command = "python bench/web.py " + " ".join(sys.argv[1:])
    write(results, args, command.strip())


if __name__ == "__main__":
    main()
