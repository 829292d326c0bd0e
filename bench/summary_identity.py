"""Dump the summaries of every dev cluster, or compare them with an earlier dump.

A change made for speed or memory must not change a summary: run ``dump`` before the change and
``compare`` after it. Each cluster of ``../shared/data/mds/*/dev.jsonl`` is digested as one story
(cleaned and deduplicated as by default, no comparison) with the storyline and the centroid
summarizer; every sentence's text and citations are kept.

    .venv/bin/python bench/summary_identity.py dump /tmp/summaries_before.json
    .venv/bin/python bench/summary_identity.py compare /tmp/summaries_before.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from storyline import Article, digest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "mds"


def summaries() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in sorted(DATA.glob("*/dev.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            cluster = json.loads(line)
            articles = [
                Article(id=f"d{i}", text=text, source=f"{cluster['id']}#{i}")
                for i, text in enumerate(cluster["documents"])
            ]
            for method in ("storyline", "centroid"):
                report = digest(articles, words=100, compare=False, summarizer=method)
                out[f"{cluster['id']}/{method}"] = [
                    sentence.model_dump(mode="json")
                    for story in report.stories
                    for sentence in story.summary
                ]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["dump", "compare"])
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    current = summaries()
    if args.mode == "dump":
        args.file.write_text(json.dumps(current, indent=0), encoding="utf-8")
        print(f"{len(current)} summaries dumped to {args.file}")
        return 0
    before = json.loads(args.file.read_text(encoding="utf-8"))
    differing = sorted(name for name in before if current.get(name) != before[name])
    print(f"{len(before)} summaries compared: {len(differing)} differ")
    for name in differing[:20]:
        print("  differs:", name)
    return 1 if differing or set(before) != set(current) else 0


if __name__ == "__main__":
    sys.exit(main())
