"""Dump the sentence spans of every dev text, or compare them with an earlier dump.

A change to the sentence splitter must not move a boundary on real text: run ``dump`` before
the change and ``compare`` after it.

    .venv/bin/python bench/sentence_spans.py dump /tmp/spans_before.json
    .venv/bin/python bench/sentence_spans.py compare /tmp/spans_before.json

Texts: every document of ``../shared/data/mds/*/dev.jsonl``, every article of the clustering
stream, the body and the whole page text of every extraction page, and the bundled example.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from storyline.text.sentences import article_sentences, split_sentences

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def texts() -> Iterator[tuple[str, str]]:
    for path in sorted((DATA / "mds").glob("*/dev.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            cluster = json.loads(line)
            for number, document in enumerate(cluster["documents"]):
                yield f"mds/{cluster['id']}/{number}", document
    for line in (DATA / "clustering" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        yield f"clustering/{article['id']}", article["text"]
    for line in (DATA / "extraction" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        yield f"extraction/{page['id']}/body", page["article_body"]
        yield f"extraction/{page['id']}/page", page["page_text"]
    for path in sorted((ROOT / "examples").rglob("*.txt")):
        yield f"examples/{path.name}", path.read_text(encoding="utf-8")


def spans_of(text: str) -> str:
    both = {"split": split_sentences(text), "article": article_sentences(text)}
    return hashlib.sha256(json.dumps(both).encode()).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["dump", "compare"])
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    current = {name: spans_of(text) for name, text in texts()}
    if args.mode == "dump":
        args.file.write_text(json.dumps(current, indent=0), encoding="utf-8")
        print(f"{len(current)} texts dumped to {args.file}")
        return 0
    before = json.loads(args.file.read_text(encoding="utf-8"))
    differing = sorted(name for name in before if current.get(name) != before[name])
    missing = sorted(set(before) ^ set(current))
    print(f"{len(before)} texts compared: {len(differing)} differ, {len(missing)} missing")
    for name in differing[:20]:
        print("  differs:", name)
    return 1 if differing or missing else 0


if __name__ == "__main__":
    sys.exit(main())
