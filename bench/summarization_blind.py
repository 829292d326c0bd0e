"""storyline's summaries on clusters nobody tuned on: the blind third, next to out-of-fold figures.

    .venv/bin/python bench/summarization_blind.py --part dev     # while tuning
    .venv/bin/python bench/summarization_blind.py --part blind   # once, at the end

The clusters of ``../shared/data/mds/*/dev.jsonl`` are split first
(:func:`storyline.evaluate.splits.is_blind_cluster`, salted SHA-1 of ``<file>/<cluster id>``):
about a third is blind. The shipped concept and sentence models are trained on the other
clusters only (``python -m storyline.training.summarize ../shared/data/mds/*/dev.jsonl``).

``--part dev`` scores storyline out of fold on the non-blind clusters: every cluster is
summarized with models fitted without it (5-fold by cluster, three random fold draws, a
cluster's score the mean of its three), and the margins over the best peer use the peers'
per-cluster scores of bench/results/summarization.json. It writes
bench/results/summarization_dev_oof.json and prints the table; it never reads a blind cluster.

``--part blind`` runs the product path on the blind clusters: `digest(articles, words=budget,
cluster=False, compare=False, dedupe=False, clean=False)` with the shipped models (as
`storyline evaluate summaries` does), and every peer afresh at the same budget, each summary
cut to the budget, rouge-score F1 with stemming, mean over references. Margins over the best
peer per file and pooled with 95% paired bootstrap intervals (1,000 resamples of clusters);
faithfulness of storyline's sentences. Writes bench/results/summarization_blind.{md,json},
with the dev out-of-fold figures beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from storyline.evaluate.data import Cluster, default_budget, load_clusters
from storyline.evaluate.faithfulness import Faithfulness, faithfulness
from storyline.evaluate.peers import PeerInput, split_cluster
from storyline.evaluate.rouge import bootstrap_ci, prepare_references, score, truncate
from storyline.evaluate.splits import is_blind_cluster
from storyline.evaluate.summaries import make_system, scored_sentences
from storyline.summarize.coverage import CoverageConfig
from storyline.summarize.extractive import summarize_story
from storyline.training.summarize import Example, fit, fit_sentence_model, make_example

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "mds"
RESULTS = ROOT / "bench" / "results"
DEV_JSON = RESULTS / "summarization_dev_oof.json"
BLIND_MD = RESULTS / "summarization_blind.md"
BLIND_JSON = BLIND_MD.with_suffix(".json")
PEERS = ("lead", "lexrank", "textrank", "lsa", "luhn", "sumbasic", "kl")
METRICS = ("rouge1", "rouge2")
TARGETS = {"rouge1": 2.0, "rouge2": 3.0}
FOLDS = 5
SEEDS = (0, 1, 2)

# What was tried on the non-blind part before the blind run (out of fold, the same three fold
# draws; the default there: pooled R-1 42.28 / R-2 12.78, mean of the files' R-2 margins +2.03).
NOTES = [
    "## Verdict and what was tried first",
    "",
    "The blind figures miss the targets: the pooled margins (+2.8 R-1, +2.4 R-2) are at",
    "or above the non-blind out-of-fold ones, but DUC 2004 and TAC 2011 have one blind",
    "cluster each and there storyline is below the best peer, which pulls the mean of the",
    "files' margins down; R-2 +3 is met by DUC 2007 only. With 1 to 23 clusters a file, the",
    "per-file intervals are wide.",
    "",
    "Tried on the non-blind clusters only, out of fold with the same three fold draws",
    "(default: pooled 42.28 / 12.78, mean of the files' R-2 margins +2.03), none beating",
    "the default by 0.3 R-2, so the default summarizer is kept and the models are only",
    "retrained without the blind clusters (scratch code: bench/summarization_trials.py):",
    "",
    "* Sentence embeddings from a model2vec static model distilled offline from the packaged",
    "  MiniLM (`storyline.verify.embed`, 256 dimensions) as features of",
    "  both models: per sentence its cosine with the story's mean embedding and with its",
    "  leads' mean, the share of the other articles with a sentence at cosine >= 0.7, the",
    "  mean best cosine over the other articles; per concept the mean and max of the first",
    "  and third over its sentences. Pooled 42.27 / 12.81 (+0.03 R-2), mean of the files'",
    "  R-2 margins +1.86 (Multi-News +0.4, DUC 2003 -0.4, TAC 2011 -1.3): no optional",
    "  extra shipped for it (the MiniLM features of summarization_ablation.md gave the same).",
    "* The model2vec cosine as a second restatement test (a candidate at cosine >= 0.85 /",
    "  0.75 with a chosen sentence is skipped): 12.78 / 12.71.",
    "* Filling the budget: the greedy already skips sentences that do not fit and stops only",
    "  when none does; cutting a last sentence to fill the budget, as the benchmark does for",
    "  the peers, was measured before at +0.05 R-2 (summarization_ablation.md) and is a",
    "  benchmark-only gain, not the digest's.",
]

Scores = dict[str, dict[str, float]]  # cluster id -> metric -> F1 (0-1)


def clusters_of(part: str) -> list[tuple[str, int, Cluster]]:
    """(file, budget, cluster) of every cluster in ``part`` ("dev": not blind, or "blind")."""
    chosen = []
    for path in sorted(DATA.glob("*/dev.jsonl")):
        clusters = load_clusters(path)
        budget, _ = default_budget(clusters)
        file = path.parent.name
        for cluster in clusters:
            if is_blind_cluster(file, cluster.id) == (part == "blind"):
                chosen.append((file, budget, cluster))
    return chosen


def out_of_fold(
    examples: Sequence[Example],
    rows: Sequence[tuple[str, int, Cluster]],
    *,
    config: CoverageConfig = CoverageConfig(),  # noqa: B008 (frozen)
    seeds: Sequence[int] = SEEDS,
    fitter: Callable[[list[Example]], tuple] | None = None,
    summarizer: Callable[..., list] | None = None,
) -> dict[str, Scores]:
    """file -> cluster -> metric: the mean over ``seeds`` of each cluster's out-of-fold score.

    ``fitter`` (training examples -> (concept model, sentence model)) and ``summarizer``
    (index, example, budget, config -> summary sentences) let experiments swap either part.
    """
    fitter = fitter or (lambda train: (fit(train), fit_sentence_model(train)))
    per_seed: list[list[dict[str, float]]] = []
    for seed in seeds:
        fold_of = np.random.default_rng(seed).permutation(len(rows)) % FOLDS
        results: list[dict[str, float]] = [{} for _ in rows]
        for fold in range(FOLDS):
            train = [e for e, f in zip(examples, fold_of, strict=True) if f != fold]
            concept_model, sentence_model = fitter(train)
            cfg = replace(config, model=concept_model, sentence_model=sentence_model)
            for index in np.flatnonzero(fold_of == fold):
                file, budget, cluster = rows[index]
                if summarizer is None:
                    summary = summarize_story(examples[index].story, words=budget, config=cfg)
                    texts = [s.text for s in summary]
                else:
                    texts = summarizer(index, examples[index], budget, cfg)
                result = score(truncate(texts, budget), prepare_references(cluster.references))
                results[index] = {m: result[m] for m in METRICS}
        per_seed.append(results)
        print(f"  seed {seed} done", flush=True)
    table: dict[str, Scores] = {}
    for index, (file, _, cluster) in enumerate(rows):
        table.setdefault(file, {})[cluster.id] = {
            m: float(np.mean([draw[index][m] for draw in per_seed])) for m in METRICS
        }
    return table


def peer_scores_from_benchmark(files: Sequence[str]) -> dict[str, dict[str, Scores]]:
    """file -> peer -> cluster -> metric, from bench/results/summarization.json."""
    saved = json.loads((RESULTS / "summarization.json").read_text())
    return {
        file: {
            s["name"]: s["per_cluster"]
            for s in saved["datasets"][f"{file}/dev"]["systems"]
            if s["name"] in PEERS
        }
        for file in files
    }


def margins(ours: Scores, peers: dict[str, Scores]) -> dict[str, dict[str, float | str]]:
    """metric -> storyline's mean, the best peer (by mean over these clusters), the paired
    margin with its 95% bootstrap interval."""
    out: dict[str, dict[str, float | str]] = {}
    ids = list(ours)
    for metric in METRICS:
        means = {p: 100 * float(np.mean([peers[p][c][metric] for c in ids])) for p in peers}
        best = max(means, key=means.__getitem__)
        interval = bootstrap_ci([100 * (ours[c][metric] - peers[best][c][metric]) for c in ids])
        out[metric] = {
            "storyline": 100 * float(np.mean([ours[c][metric] for c in ids])),
            "best_peer": best,
            "best_peer_score": means[best],
            "margin": interval.mean,
            "low": interval.low,
            "high": interval.high,
        }
    return out


def margin_table(ours: dict[str, Scores], peers: dict[str, dict[str, Scores]]) -> dict:
    """Per file, pooled, and the mean of the per-file margins."""
    table = {file: margins(ours[file], peers[file]) for file in ours}
    pooled_ours = {c: v for scores in ours.values() for c, v in scores.items()}
    pooled_peers: dict[str, Scores] = {}
    for file in ours:
        for peer, scores in peers[file].items():
            pooled_peers.setdefault(peer, {}).update(scores)
    table["all files pooled"] = margins(pooled_ours, pooled_peers)
    table["mean of the files' margins"] = {
        m: {"margin": float(np.mean([table[f][m]["margin"] for f in ours]))} for m in METRICS
    }
    return table


def render_rows(table: dict, counts: dict[str, int]) -> list[str]:
    lines = [
        "| file | clusters | R-1 storyline | best peer R-1 | margin R-1 [95% CI] | R-2 storyline "
        "| best peer R-2 | margin R-2 [95% CI] |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, row in table.items():
        if "storyline" not in row["rouge1"]:
            cells = [f"{row[m]['margin']:+.2f}" for m in METRICS]
            lines.append(f"| {label} | | | | {cells[0]} | | | {cells[1]} |")
            continue
        cells = []
        for m in METRICS:
            r = row[m]
            cells += [
                f"{r['storyline']:.2f}",
                f"{r['best_peer']} {r['best_peer_score']:.2f}",
                f"{r['margin']:+.2f} [{r['low']:+.2f}, {r['high']:+.2f}]",
            ]
        lines.append(f"| {label} | {counts.get(label, '')} | " + " | ".join(cells) + " |")
    return lines


def run_info(started: float, cpu_started: float) -> dict[str, object]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    return {
        "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "commit": commit,
        "wall_seconds": round(time.time() - started),
        "cpu_seconds": round(time.process_time() - cpu_started),
        "load_average": os.getloadavg()[0],
    }


def dev_part() -> dict:
    started, cpu = time.time(), time.process_time()
    rows = clusters_of("dev")
    examples = [make_example(c.id, c.documents, c.references) for _, _, c in rows]
    print(f"{len(rows)} non-blind clusters prepared", flush=True)
    ours = out_of_fold(examples, rows)
    peers = peer_scores_from_benchmark(sorted(ours))
    saved = {
        "run": run_info(started, cpu),
        "per_cluster": ours,
        "margins": margin_table(ours, peers),
    }
    DEV_JSON.write_text(json.dumps(saved, indent=2) + "\n")
    counts = {f: len(v) for f, v in ours.items()} | {"all files pooled": len(rows)}
    print("\n".join(render_rows(saved["margins"], counts)))
    return saved


def blind_part() -> None:
    started, cpu = time.time(), time.process_time()
    rows = clusters_of("blind")
    names = ("storyline", *PEERS)
    systems = {n: make_system(n) for n in names}
    scores: dict[str, dict[str, Scores]] = {n: {} for n in names}  # system -> file -> cluster
    faith = Faithfulness()
    words_used: dict[str, list[int]] = {n: [] for n in names}
    for file, budget, cluster in rows:
        task = PeerInput(cluster.documents, split_cluster(cluster.documents), budget,
                         cluster.references)  # fmt: skip
        references = prepare_references(cluster.references)
        for name, system in systems.items():
            output = system(cluster, task)
            kept = scored_sentences(output.sentences, budget)
            words_used[name].append(sum(len(s.split()) for s in kept))
            result = score(kept, references)
            scores[name].setdefault(file, {})[cluster.id] = {m: result[m] for m in METRICS}
            if name == "storyline" and output.summary is not None and output.articles:
                faith.add(faithfulness(output.summary, output.articles))
        print(f"  {file} {cluster.id}", flush=True)
    ours = scores["storyline"]
    peers = {file: {p: scores[p][file] for p in PEERS} for file in ours}
    dev = json.loads(DEV_JSON.read_text()) if DEV_JSON.exists() else None
    saved = {
        "command": "python bench/summarization_blind.py --part blind",
        "run": run_info(started, cpu),
        "clusters": {f: sorted(v) for f, v in ours.items()},
        "per_cluster": scores,
        "margins": margin_table(ours, peers),
        "faithfulness": faith.as_dict(),
        "mean_words": {n: float(np.mean(v)) for n, v in words_used.items()},
        "dev_out_of_fold_margins": dev["margins"] if dev else None,
        "dev_run": dev["run"] if dev else None,
        "dev_clusters": {f: len(v) for f, v in dev["per_cluster"].items()} if dev else None,
    }
    BLIND_JSON.write_text(json.dumps(saved, indent=2) + "\n")
    print(render_blind(saved))


def render_blind(saved: dict) -> str:
    run, blind, dev = saved["run"], saved["margins"], saved["dev_out_of_fold_margins"]
    counts = {f: len(v) for f, v in saved["clusters"].items()}
    counts["all files pooled"] = sum(counts.values())
    f = saved["faithfulness"]
    lines = [
        "# Summaries on the blind third: storyline vs the peers on clusters nobody tuned on",
        "",
        f"Command: `{saved['command']}` (the dev rows: `python bench/summarization_blind.py "
        "--part dev`)  ",
        f"Date: {run['date']}, commit {run['commit']}, {run['wall_seconds']} s wall, "
        f"{run['cpu_seconds']} s CPU on a shared 2-core machine (1-minute load "
        f"{run['load_average']:.1f} at the end).",
        "",
        "The blind clusters (`storyline.evaluate.splits.is_blind_cluster`: salted SHA-1 of",
        "`<file>/<cluster id>`, first byte % 3 == 0) were fixed before any tuning; the shipped",
        "concept and sentence models were trained on the other clusters only, and no blind",
        "output was read while working. This table was made once, at the end.",
        "storyline runs as `storyline evaluate summaries` runs it (`digest(..., dedupe=False,",
        "clean=False)`, shipped models); the peers (LexRank, TextRank, LSA, Luhn, SumBasic,",
        "KL-Sum, Lead) at the same budget; every summary cut to the budget; rouge-score F1 with",
        "stemming, mean over references; margin = storyline minus the best peer of that file",
        "(highest mean on these clusters), cluster by cluster, 95% paired bootstrap interval.",
        f"Faithfulness of storyline's {f['sentences']} summary sentences: "
        f"{100 * f['span_contains_sentence']:.0f}% inside a cited span, "
        f"{100 * f['numbers_in_cited_source']:.0f}% with every number in a cited article.",
        "Targets (issue 24): every file at or above the best peer on R-1 and R-2; mean margin",
        ">= +2 R-1 and >= +3 R-2.",
        "",
        "## Blind clusters (shipped models, never trained on them)",
        "",
        *render_rows(blind, counts),
    ]
    words = saved["mean_words"]
    lines += [
        "",
        f"Words scored per summary (mean over the blind clusters): storyline "
        f"{words['storyline']:.1f}, every peer {words['lexrank']:.1f} (the budgets' mean; a "
        "peer's last sentence is cut to fit, storyline's digest never cuts a sentence).",
        "",
        *NOTES,
    ]
    if dev:
        dev_counts: dict[str, int] = saved.get("dev_clusters") or {}
        dev_counts = {**dev_counts, "all files pooled": sum(dev_counts.values())}
        lines += [
            "",
            "## Non-blind clusters, out of fold (the figures tuning saw)",
            "",
            f"Models fitted without the cluster (5-fold, three fold draws averaged); "
            f"{saved['dev_run']['date']}, commit {saved['dev_run']['commit']}; peers from "
            "bench/results/summarization.json.",
            "",
            *render_rows(dev, dev_counts),
        ]
    text = "\n".join(lines) + "\n"
    BLIND_MD.write_text(text)
    return text


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=("dev", "blind"))
    parser.add_argument("--redraw", action="store_true", help="rewrite the .md from the .json")
    args = parser.parse_args(argv)
    if args.redraw:
        print(render_blind(json.loads(BLIND_JSON.read_text())))
    elif args.part is None:
        parser.error("give --part dev or --part blind (or --redraw)")
    else:
        dev_part() if args.part == "dev" else blind_part()


if __name__ == "__main__":
    main(sys.argv[1:])
