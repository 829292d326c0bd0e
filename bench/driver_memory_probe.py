"""Where the Ray ingest driver's memory is at the start of the block pass (issue 25).

    .venv/bin/python bench/driver_memory_probe.py /tmp/storyline-engine-bench/stream-50000

Runs the Ray time-block ingest (cleaner off, 2 workers) on a stream made by
``bench/engine.py scale``, and when the block pass starts prints the driver's anonymous
resident memory, what Arrow's pool has allocated, the memory ``malloc_trim`` gives back and
the live Python objects (tracemalloc), then exits. A diagnosis script: it records nothing.
"""

from __future__ import annotations

import ctypes
import os
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pyarrow as pa
import ray

from storyline.engine import stream
from storyline.engine.ingest import ingest
from storyline.pipeline import Pipeline
from storyline.settings import Settings


def anonymous() -> str:
    return next(line for line in Path("/proc/self/status").read_text().splitlines()
                if line.startswith("RssAnon"))


class _Probe(stream.WindowedIndex):
    """The block pass makes its dedupe index first: that is the moment to look."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        print("block pass start:", anonymous(), "; Arrow allocated MiB",
              pa.total_allocated_bytes() / 2**20, pa.default_memory_pool().backend_name)
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        print("after malloc_trim:", anonymous())
        live = sum(s.size for s in tracemalloc.take_snapshot().statistics("filename"))
        print(f"live Python objects: {live / 2**20:.1f} MiB", flush=True)
        os._exit(0)


class _NoSink:
    def write(self, assigned: list) -> None:
        pass

    def close(self) -> None:
        pass


def main() -> None:
    stream.WindowedIndex = _Probe  # type: ignore[misc]
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    tracemalloc.start(1)
    print("before:", anonymous(), flush=True)
    ingest([sys.argv[1]], _NoSink(), Pipeline(Settings(clean=False)), engine="ray", workers=2)


if __name__ == "__main__":
    main()
