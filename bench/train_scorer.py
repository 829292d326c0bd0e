"""Train and cross-validate storyline's learned sentence scorer on the dev clusters.

    .venv/bin/python bench/train_scorer.py            # CV table + writes the shipped model
    .venv/bin/python bench/train_scorer.py --no-write # CV table only

Labels are each sentence's ROUGE overlap with the human references (soft oracle labels). Models
are compared with 5-fold cross-validation grouped by cluster: every figure comes from clusters
the model never saw. The final model is refit on all dev clusters and written as JSON.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer, tokenize
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.model import Article  # noqa: E402
from storyline.summarize import build  # noqa: E402
from storyline.summarize.extractive import reading_order, select  # noqa: E402
from storyline.summarize.features import FEATURE_NAMES, sentence_features  # noqa: E402
from storyline.summarize.scorer import MODEL_PATH, LinearScorer  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "mds"
BUDGETS = {
    "multinews_sample100": 260,
    "duc2003": 100,
    "duc2004_task2_partial": 100,
    "duc2006": 250,
    "duc2007_update": 100,
    "tac2011_multiling_en": 250,
}
_scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)


def _tokens(text: str) -> list[str]:
    return tokenize.tokenize(text, _scorer._tokenizer._stemmer)


def _ngrams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def rouge_n(candidate: list[str], reference: list[str], n: int) -> float:
    """ROUGE-n F1 as rouge-score computes it (same tokenizer and stemmer)."""
    c, r = _ngrams(candidate, n), _ngrams(reference, n)
    overlap = sum((c & r).values())
    if not overlap:
        return 0.0
    p, rec = overlap / sum(c.values()), overlap / sum(r.values())
    return 2 * p * rec / (p + rec)


def load_clusters() -> list[dict]:
    clusters = []
    for name, budget in BUDGETS.items():
        for line in (DATA / name / "dev.jsonl").read_text().splitlines():
            record = json.loads(line)
            record["dataset"], record["budget"] = name, budget
            clusters.append(record)
    return clusters


def prepare(cluster: dict, labels_cache: dict) -> dict:
    articles = [Article(text=d) for d in cluster["documents"] if d.strip()]
    story = build(articles)
    similarity = story.similarity
    features = sentence_features(story, similarity)
    references = [_tokens(r) for r in cluster["summaries"]]
    key = cluster["id"]
    if key not in labels_cache or len(labels_cache[key]) != len(story.sentences):
        labels_cache[key] = sentence_labels([s.text for s in story.sentences], references)
    return {"story": story, "similarity": similarity, "features": features,
            "labels": labels_cache[key], "references": references}  # fmt: skip


def sentence_labels(sentences: list[str], references: list[list[str]]) -> np.ndarray:
    """Per sentence: the share of its unigrams / bigrams that the references also have."""
    labels = np.zeros((len(sentences), 2))
    for i, sentence in enumerate(sentences):
        tokens = _tokens(sentence)
        c1, c2 = _ngrams(tokens, 1), _ngrams(tokens, 2)
        for ref in references:
            r1, r2 = _ngrams(ref, 1), _ngrams(ref, 2)
            labels[i, 0] += sum((c1 & r1).values()) / max(1, sum(c1.values())) / len(references)
            labels[i, 1] += sum((c2 & r2).values()) / max(1, sum(c2.values())) / len(references)
    return labels


def summary_rouge(item: dict, cluster: dict, scores: np.ndarray) -> tuple[float, float]:
    story, budget = item["story"], cluster["budget"]
    chosen = reading_order(story, select(story, scores, item["similarity"], words=budget))
    text = " ".join(story.sentences[i].text for i in chosen)
    tokens = _tokens(" ".join(text.split()[:budget]))
    refs = item["references"]
    r1 = np.mean([rouge_n(tokens, r, 1) for r in refs])
    r2 = np.mean([rouge_n(tokens, r, 2) for r in refs])
    return float(r1), float(r2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    started = time.time()
    clusters = load_clusters()
    # Labels are slow to compute (ROUGE of every sentence) and depend only on the sentences.
    cache = ROOT / "bench" / ".cache" / "sentence_labels.pkl"
    labels_cache = pickle.loads(cache.read_bytes()) if cache.exists() else {}
    items = [prepare(c, labels_cache) for c in clusters]
    cache.parent.mkdir(exist_ok=True)
    cache.write_bytes(pickle.dumps(labels_cache))
    print(f"prepared {len(items)} clusters in {time.time() - started:.0f}s", flush=True)

    groups = np.concatenate([np.full(len(it["labels"]), k) for k, it in enumerate(items)])
    X = np.vstack([it["features"] for it in items])
    y = np.concatenate([it["labels"][:, 0] + 2 * it["labels"][:, 1] for it in items])
    candidates = X[:, FEATURE_NAMES.index("is_candidate")] > 0

    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.linear_model import Ridge

    models = {
        "ridge": lambda: Ridge(alpha=1.0),
        "gbm": lambda: HistGradientBoostingRegressor(max_iter=200, learning_rate=0.05,
                                                     max_leaf_nodes=15, min_samples_leaf=40),
    }  # fmt: skip
    predictions = {"heuristic": None}
    cluster_ids = np.arange(len(items))
    for name, make in models.items():
        out_of_fold = np.zeros(len(y))
        for train, test in GroupKFold(n_splits=args.folds).split(cluster_ids, groups=cluster_ids):
            train_rows = np.isin(groups, train) & candidates
            model = make().fit(X[train_rows], y[train_rows])
            test_rows = np.isin(groups, test)
            out_of_fold[test_rows] = model.predict(X[test_rows])
        predictions[name] = out_of_fold

    from storyline.summarize.extractive import sentence_scores

    table: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for name, predicted in predictions.items():
        for k, (item, cluster) in enumerate(zip(items, clusters, strict=True)):
            if predicted is None:
                scores = sentence_scores(item["story"], item["similarity"])
            else:
                scores = predicted[groups == k]
            table.setdefault(name, {}).setdefault(cluster["dataset"], []).append(
                summary_rouge(item, cluster, scores)
            )
    for name, per_dataset in table.items():
        cells = []
        for dataset, scores_of_dataset in per_dataset.items():
            r1, r2 = 100 * np.mean(scores_of_dataset, axis=0)
            cells.append(f"{dataset[:12]} {r1:.1f}/{r2:.1f}")
        print(f"{name:10s} " + "  ".join(cells), flush=True)

    if not args.no_write:
        ridge = Ridge(alpha=1.0).fit(X[candidates], y[candidates])
        LinearScorer(
            feature_names=list(FEATURE_NAMES),
            weights=ridge.coef_.tolist(),
            bias=float(ridge.intercept_),
        ).save(MODEL_PATH)
        print(f"wrote {MODEL_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
