"""Where an incremental ingest spends its time, in a store that bench/store.py built.

    .venv/bin/python bench/store_profile.py STORE_DIR [--articles 300]

Copy the store first (this ingests into it); cleaning is off, as in bench/store.py's first run.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store as bench  # bench/store.py: the synthetic stream

from storyline import Settings, Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--articles", type=int, default=300)
    arguments = parser.parse_args()
    increment = Path(tempfile.mkdtemp()) / "increment.jsonl"
    bench._write(increment, bench.stream(arguments.articles, start_pass=40))
    store = Store(arguments.store, settings=Settings(clean=False, compare=False))
    store.clusterer()  # opening is not what is profiled
    began = time.process_time()
    profile = cProfile.Profile()
    profile.runcall(store.ingest, [increment], summarize=False)
    print(f"CPU {time.process_time() - began:.2f} s for {arguments.articles} articles (profiled)")
    pattern = "writer.py|cluster/__init__|lsh.py|clustering.py|queries.py"
    pstats.Stats(profile).sort_stats("cumtime").print_stats(pattern, 25)


if __name__ == "__main__":
    main()
