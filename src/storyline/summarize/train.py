"""Fit the concept model on multi-document clusters with human summaries (development only).

    .venv/bin/python -m storyline.summarize.train ../shared/data/mds/*/dev.jsonl

writes ``src/storyline/summarize/concept_model.json``. Needs scikit-learn; run time does not.
bench/summarization_ablation.py uses the same functions to fit fold models and reports the
summarizer's ROUGE out of fold (clusters held out of training), never with the shipped model.

Label: whether some human summary of the cluster uses the bigram (the same tokens, stems and
stop-word rule as the concepts). Every cluster weighs the same in training, whatever its
number of concepts, so the large DUC 2006 clusters do not drown the rest.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from storyline.clean.train import export_trees
from storyline.model import Article
from storyline.summarize.concept_model import MODEL_FILE, ConceptModel
from storyline.summarize.concepts import Concepts, bigrams_of, extract, features
from storyline.summarize.units import StorySentences, build

# Small trees and a modest number of them: ~600k concepts from ~200 clusters, labels noisy
# (a bigram a summary happens not to use is not unimportant). Inference on a story's ~10k
# concepts takes a few milliseconds.
TREE_PARAMS: dict[str, Any] = {
    "max_iter": 150,
    "learning_rate": 0.1,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 100,
    "early_stopping": False,
}


@dataclass
class Example:
    """One training cluster: its story, concepts, their features and labels."""

    name: str
    story: StorySentences
    concepts: Concepts
    features: np.ndarray
    labels: np.ndarray


def make_example(name: str, documents: Sequence[str], references: Sequence[str]) -> Example:
    story = build([Article(text=d) for d in documents if d.strip()])
    concepts = extract(story)
    used = set().union(*(bigrams_of(r) for r in references)) if references else set()
    labels = np.array([bigram in used for bigram in concepts.bigrams], dtype=float)
    return Example(name, story, concepts, features(story, concepts), labels)


def fit_classifier(
    examples: Sequence[Example], *, seed: int = 0, params: dict[str, Any] | None = None
) -> Any:
    """The scikit-learn classifier, every cluster weighing the same."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    x = np.vstack([e.features for e in examples])
    y = np.concatenate([e.labels for e in examples])
    w = np.concatenate([np.full(len(e.labels), 1.0 / max(1, len(e.labels))) for e in examples])
    clf = HistGradientBoostingClassifier(**(params or TREE_PARAMS), random_state=seed)
    with threadpool_limits(1):  # OpenMP threads mostly fight over 2 cores
        clf.fit(x, y, sample_weight=w * len(w) / w.sum())
    return clf


def fit(
    examples: Sequence[Example], *, seed: int = 0, params: dict[str, Any] | None = None
) -> ConceptModel:
    """A numpy-only :class:`ConceptModel` fitted on ``examples``."""
    clf = fit_classifier(examples, seed=seed, params=params)
    labels = np.concatenate([e.labels for e in examples])
    meta = {
        "clusters": len(examples),
        "concepts": len(labels),
        "positive_share": round(float(labels.mean()), 4),
        "params": dict(params or TREE_PARAMS),
    }
    return ConceptModel(trees=export_trees(clf), meta=meta)


def main(paths: Sequence[str]) -> None:
    from storyline.evaluate.data import load_clusters

    examples = [
        make_example(c.id, c.documents, c.references)
        for path in paths
        for c in load_clusters(Path(path))
    ]
    model = fit(examples)
    model.meta["data"] = sorted({str(Path(p).parent.name) for p in paths})
    target = Path(__file__).with_name(MODEL_FILE)
    target.write_text(json.dumps(model.to_json(), separators=(",", ":")) + "\n")
    print(f"wrote {target} ({target.stat().st_size // 1024} KiB) from {model.meta}")


if __name__ == "__main__":
    main(sys.argv[1:])
