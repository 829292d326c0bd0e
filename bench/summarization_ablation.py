"""Ablation of storyline's summarizer: what each part of the objective adds.

    .venv/bin/python bench/summarization_ablation.py

Writes bench/results/summarization_ablation.md and .json.

Each variant switches one part off; all are scored like `storyline evaluate summaries` (same
splitter, budget and ROUGE settings: rouge-score F1 with stemming, mean over references).
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from storyline.evaluate.data import default_budget, load_clusters
from storyline.evaluate.rouge import prepare_references, score, truncate
from storyline.model import Article
from storyline.summarize import build
from storyline.summarize.coverage import CoverageConfig
from storyline.summarize.extractive import summarize_story

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "mds"
FULL = CoverageConfig()
VARIANTS: dict[str, tuple[str, CoverageConfig]] = {
    "storyline (full)": ("storyline", FULL),
    "- lead-position prior": ("storyline", replace(FULL, position_weight=0.0)),
    "- lead-concept bonus": ("storyline", replace(FULL, lead_bonus=0.0)),
    "- cross-source voting (concepts of one article count)": (
        "storyline", replace(FULL, min_articles=1),
    ),
    "- restatement check (paraphrases may repeat)": (
        "storyline", replace(FULL, skip_restatements=False),
    ),
    "- long-sentence penalty": ("storyline", replace(FULL, long_penalty=0.0)),
    "- length normalisation (gain not per word)": (
        "storyline", replace(FULL, length_exponent=0.0, long_penalty=0.0),
    ),
    "centroid + MMR (previous default)": ("centroid", FULL),
}  # fmt: skip


def main() -> None:
    files = sorted(DATA.glob("*/dev.jsonl"))
    table: dict[str, dict[str, tuple[float, float]]] = {}
    started = time.time()
    for path in files:
        clusters = load_clusters(path)
        budget, _ = default_budget(clusters)
        prepared = [
            (build([Article(text=d) for d in c.documents if d.strip()]),
             prepare_references(c.references))
            for c in clusters
        ]  # fmt: skip
        for name, (method, config) in VARIANTS.items():
            r1, r2 = [], []
            for story, references in prepared:
                summary = summarize_story(story, words=budget, method=method, config=config)
                scores = score(truncate([s.text for s in summary], budget), references)
                r1.append(scores["rouge1"])
                r2.append(scores["rouge2"])
            table.setdefault(name, {})[path.parent.name] = (
                100 * float(np.mean(r1)), 100 * float(np.mean(r2)),
            )  # fmt: skip
            print(f"{path.parent.name:24s} {name:55s} {table[name][path.parent.name]}", flush=True)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    names = [p.parent.name for p in files]
    lines = [
        "# Summarizer ablation: ROUGE-1 / ROUGE-2 F1 x100 on the dev files",
        "",
        "Command: `.venv/bin/python bench/summarization_ablation.py`  ",
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit}, "
        f"{time.time() - started:.0f} s. Budgets as in `storyline evaluate summaries`.",
        "",
        "Reading it: differences under about 1 point are inside the bootstrap intervals of",
        "bench/results/summarization.md (TAC 2011 and DUC 2004 have 8 and 4 clusters). The",
        "long-sentence penalty costs a little ROUGE on the 100-word DUC sets and is kept on",
        "purpose: it makes a 120-word digest read as five or more sentences, not three long ones.",
        "Counting concepts that one article alone uses helps TAC (10 WikiNews articles a cluster)",
        "but hurts Multi-News, DUC 2004 and DUC 2007, so only concepts two or more articles share",
        "count. A learned sentence scorer (ridge / gradient boosting on 17 lexical features, soft",
        "ROUGE labels, 5-fold CV by cluster) was tried before the coverage objective and gained",
        "less than 1 R-2 point over the centroid summarizer out of fold, so it is not shipped.",
        "",
        "| variant | " + " | ".join(names) + " | mean R-2 |",
        "|---|" + "---|" * (len(names) + 1),
    ]
    for name, per_file in table.items():
        cells = [f"{per_file[n][0]:.2f} / {per_file[n][1]:.2f}" for n in names]
        mean_r2 = np.mean([per_file[n][1] for n in names])
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {mean_r2:.2f} |")
    out = ROOT / "bench" / "results"
    (out / "summarization_ablation.md").write_text("\n".join(lines) + "\n")
    (out / "summarization_ablation.json").write_text(json.dumps(table, indent=2) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
