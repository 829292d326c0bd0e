"""Does Ray Data itself grow the driver's heap over a long stream? (issue 25; diagnosis only)

    .venv/bin/python bench/ray_data_driver_probe.py --rows 400000 --shards 32

The same shape as the Ray ingest rows (``engine/prepared.py``): a read step per shard asking
no CPU, one at a time, yielding 256-row chunks of 1,500-character texts, then a 2-actor
``map_batches`` in batches of 64, consumed in order by the driver. Prints the driver's
anonymous resident memory (its heap) as the rows arrive and after the iterator ends. Measured
here (2026-12-01): 124-128 MiB from 50,000 to 400,000 rows, no jump at the end.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import ray


def heap_mib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon"):
            return int(line.split()[1]) // 1024
    return 0


class Passthrough:
    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        return {"row": batch["row"], "data": batch["data"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--shards", type=int, default=32)
    args = parser.parse_args()
    per_shard = args.rows // args.shards

    def read(batch: dict[str, np.ndarray]) -> Iterator[dict[str, list[Any]]]:
        for _ in batch["shard"]:
            for start in range(0, per_shard, 256):
                rows = list(range(start, min(per_shard, start + 256)))
                yield {"row": rows, "data": ["x" * 1500] * len(rows)}

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    context.target_max_block_size = 2**20
    dataset = ray.data.from_items([{"shard": n} for n in range(args.shards)],
                                  override_num_blocks=args.shards)
    dataset = dataset.map_batches(read, batch_size=1, batch_format="numpy", num_cpus=0,
                                  concurrency=1).map_batches(
        Passthrough, batch_size=64, batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=2))
    started, seen = time.perf_counter(), 0
    for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
        seen += len(batch["row"])
        if seen % 50_000 < len(batch["row"]):
            print(f"{time.perf_counter() - started:6.1f} s  {seen:,} rows  heap {heap_mib()} MiB",
                  flush=True)
    print(f"iterator done: heap {heap_mib()} MiB", flush=True)
    ray.shutdown()


if __name__ == "__main__":
    main()
