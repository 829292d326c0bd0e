"""Evaluation clusters: news articles about one event plus human reference summaries.

Two formats are read. The project's JSONL (``../shared/data/mds/*/dev.jsonl``), one cluster a
line: ``{"id", "source", "documents": [...], "summary": str, "summaries": [...]}``. And
Multi-News' raw file pairs ``NAME.src`` / ``NAME.tgt``: one cluster a line, documents separated
by ``|||||``, ``NEWLINE_CHAR`` standing for a line break, every summary opening with ``– ``.
"""

from __future__ import annotations

import json
import random
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

MULTINEWS_DOC_SEPARATOR = "|||||"
MULTINEWS_NEWLINE = "NEWLINE_CHAR"

# The budgets the datasets were built for (DUC/TAC task definitions, Multi-News' mean reference
# length). A source prefix wins over the median heuristic because DUC 2003 references are
# whitespace-tokenised ("body 's"), which inflates their word count past the official 100.
BUDGET_BY_SOURCE: tuple[tuple[str, int], ...] = (
    ("multinews", 260),
    ("duc2003", 100),
    ("duc2004", 100),
    ("duc2007", 100),
    ("duc2006", 250),
    ("tac2011", 250),
)


@dataclass(frozen=True)
class Cluster:
    """One multi-document summarization problem."""

    id: str
    documents: list[str]
    references: list[str]
    source: str | None = None
    extras: dict[str, object] = field(default_factory=dict, compare=False)


def load_clusters(path: Path) -> list[Cluster]:
    """Read a JSONL file, or a Multi-News ``.src``/``.tgt`` pair (either name, or the stem)."""
    path = Path(path)
    src, tgt = _multinews_pair(path)
    if src is not None and tgt is not None:
        return read_multinews(src, tgt)
    return read_jsonl(path)


def read_jsonl(path: Path) -> list[Cluster]:
    clusters: list[Cluster] = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            references = record.get("summaries") or [record["summary"]]
            known = {"id", "source", "documents", "summary", "summaries"}
            clusters.append(
                Cluster(
                    id=str(record.get("id", f"{Path(path).stem}-{number}")),
                    documents=[d for d in record["documents"] if d.strip()],
                    references=[r for r in references if r.strip()],
                    source=record.get("source"),
                    extras={k: v for k, v in record.items() if k not in known},
                )
            )
    return clusters


def read_multinews(src: Path, tgt: Path) -> list[Cluster]:
    """Read Multi-News' parallel files; the cluster id is ``<stem>-<0-based line>``."""
    src_lines = Path(src).read_text(encoding="utf-8").splitlines()
    tgt_lines = Path(tgt).read_text(encoding="utf-8").splitlines()
    if len(src_lines) != len(tgt_lines):
        raise ValueError(f"{src} has {len(src_lines)} lines but {tgt} has {len(tgt_lines)}")
    clusters = []
    for index, (source_line, target_line) in enumerate(zip(src_lines, tgt_lines, strict=True)):
        documents = [
            _multinews_text(piece)
            for piece in source_line.split(MULTINEWS_DOC_SEPARATOR)
            if piece.strip()
        ]
        summary = _multinews_text(target_line)
        summary = re.sub(r"^[–-]\s+", "", summary)
        clusters.append(
            Cluster(
                id=f"{Path(src).stem}-{index}",
                documents=[d for d in documents if d],
                references=[summary],
                source="multinews",
            )
        )
    return clusters


def _multinews_text(piece: str) -> str:
    lines = piece.replace(MULTINEWS_NEWLINE, "\n").split("\n")
    return "\n".join(" ".join(line.split()) for line in lines).strip()


def _multinews_pair(path: Path) -> tuple[Path | None, Path | None]:
    if path.suffix in {".src", ".tgt"}:
        stem = path.with_suffix("")
    elif path.suffix == "" and path.with_suffix(".src").exists():
        stem = path
    else:
        return None, None
    src, tgt = stem.with_suffix(".src"), stem.with_suffix(".tgt")
    if not (src.exists() and tgt.exists()):
        raise FileNotFoundError(f"Multi-News data needs both {src.name} and {tgt.name}")
    return src, tgt


def select(
    clusters: Sequence[Cluster],
    *,
    limit: int | None = None,
    sample: int | None = None,
    seed: int = 0,
) -> list[Cluster]:
    """``sample`` draws that many clusters at random (seeded) and keeps file order; ``limit``
    then keeps the first N, so ``--sample 20 --limit 5`` is a prefix of ``--sample 20``."""
    chosen = list(clusters)
    if sample is not None and sample < len(chosen):
        keep = sorted(random.Random(seed).sample(range(len(chosen)), sample))
        chosen = [chosen[i] for i in keep]
    if limit is not None:
        chosen = chosen[:limit]
    return chosen


def default_budget(clusters: Sequence[Cluster]) -> tuple[int, str]:
    """The word budget the data was made for, and how it was chosen (for the report)."""
    sources = {(c.source or "").lower() for c in clusters}
    for prefix, words in BUDGET_BY_SOURCE:
        if sources and all(s.startswith(prefix) for s in sources):
            return words, f"standard budget for {prefix}"
    lengths = [len(r.split()) for c in clusters for r in c.references]
    if not lengths:
        raise ValueError("no reference summaries to take a budget from")
    words = max(10, int(round(statistics.median(lengths), -1)))
    return words, "median reference length, rounded to 10"
