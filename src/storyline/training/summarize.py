"""Fit the concept and sentence-worth models on clusters with human summaries (development only).

    .venv/bin/python -m storyline.training.summarize ../shared/data/mds/*/dev.jsonl

writes ``src/storyline/summarize/concept_model.json`` and ``sentence_model.json``. Needs
scikit-learn; run time does not. The blind third of the clusters
(:func:`storyline.evaluate.splits.is_blind_cluster`, keyed by the file's folder and the
cluster id) is left out unless ``--include-blind`` is given: the shipped models never see the
clusters bench/summarization_blind.py reports on. bench/summarization_ablation.py and
bench/summarization_blind.py use the same functions to fit fold models and report the
summarizer's ROUGE out of fold (clusters held out of training), never with the shipped models.

Labels: for a concept, whether some human summary of the cluster uses the bigram (the same
tokens, stems and stop-word rule as the concepts); for a sentence, the share of its bigrams
some human summary uses. Every cluster weighs the same in training, whatever its number of
concepts or sentences, so the large DUC 2006 clusters do not drown the rest.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from storyline.model import Article
from storyline.summarize import sentence_worth
from storyline.summarize.concept_model import MODEL_FILE, ConceptModel
from storyline.summarize.concepts import Concepts, bigrams_of, extract, features
from storyline.summarize.sentence_worth import SentenceModel
from storyline.summarize.units import StorySentences, build
from storyline.training.trees import export_trees

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
# The sentence model sees ~100x fewer rows (sentences, not bigrams): slower learning, same size.
SENTENCE_TREE_PARAMS: dict[str, Any] = {
    "max_iter": 150,
    "learning_rate": 0.05,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 50,
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
    sentence_features: np.ndarray
    sentence_labels: np.ndarray


def make_example(name: str, documents: Sequence[str], references: Sequence[str]) -> Example:
    story = build([Article(text=d) for d in documents if d.strip()])
    concepts = extract(story)
    used = summary_bigrams(references)
    labels = np.array([bigram in used for bigram in concepts.bigrams], dtype=float)
    return Example(
        name,
        story,
        concepts,
        features(story, concepts),
        labels,
        sentence_worth.features(story, story.similarity),
        sentence_labels(story, used),
    )


def summary_bigrams(references: Sequence[str]) -> set[tuple[str, str]]:
    """The bigrams some human summary of the cluster uses: what both models learn to find."""
    return set().union(*(bigrams_of(r) for r in references)) if references else set()


def sentence_labels(story: StorySentences, used: set[tuple[str, str]]) -> np.ndarray:
    """The sentence model's target: the share of each sentence's bigrams in ``used``."""
    shares = []
    for sentence in story.sentences:
        bigrams = bigrams_of(sentence.text)
        shares.append(sum(b in used for b in bigrams) / max(1, len(bigrams)))
    return np.array(shares, dtype=float)


def _cluster_weights(labels: Sequence[np.ndarray]) -> np.ndarray:
    """Row weights under which every cluster weighs the same, normalised to mean 1."""
    w = np.concatenate([np.full(len(y), 1.0 / max(1, len(y))) for y in labels])
    return w * len(w) / w.sum()


def _fit_boosted(
    estimator: str,
    rows: Sequence[np.ndarray],
    labels: Sequence[np.ndarray],
    params: dict[str, Any],
    seed: int,
) -> Any:
    """Gradient-boosted trees on the rows of every cluster, every cluster weighing the same."""
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    kinds = {
        "classifier": HistGradientBoostingClassifier,
        "regressor": HistGradientBoostingRegressor,
    }
    model = kinds[estimator](**params, random_state=seed)
    with threadpool_limits(1):  # OpenMP threads mostly fight over 2 cores
        model.fit(np.vstack(rows), np.concatenate(labels), sample_weight=_cluster_weights(labels))
    return model


def _meta(labels: Sequence[np.ndarray], rows: str, params: dict[str, Any]) -> dict[str, Any]:
    """What a shipped model was fitted on, kept in its JSON."""
    y = np.concatenate(labels)
    return {"clusters": len(labels), rows: len(y), "mean_label": round(float(y.mean()), 4),
            "params": dict(params)}  # fmt: skip


def fit_classifier(
    examples: Sequence[Example], *, seed: int = 0, params: dict[str, Any] | None = None
) -> Any:
    """The scikit-learn classifier of concepts a human summary uses."""
    return _fit_boosted(
        "classifier",
        [e.features for e in examples],
        [e.labels for e in examples],
        params or TREE_PARAMS,
        seed,
    )


def fit_sentence_regressor(
    examples: Sequence[Example], *, seed: int = 0, params: dict[str, Any] | None = None
) -> Any:
    """The scikit-learn regressor of sentence worth (squared error)."""
    return _fit_boosted(
        "regressor",
        [e.sentence_features for e in examples],
        [e.sentence_labels for e in examples],
        params or SENTENCE_TREE_PARAMS,
        seed,
    )


def fit(
    examples: Sequence[Example], *, seed: int = 0, params: dict[str, Any] | None = None
) -> ConceptModel:
    """A numpy-only :class:`ConceptModel` fitted on ``examples``."""
    clf = fit_classifier(examples, seed=seed, params=params)
    meta = _meta([e.labels for e in examples], "concepts", params or TREE_PARAMS)
    return ConceptModel(trees=export_trees(clf), meta=meta)


def fit_sentence_model(
    examples: Sequence[Example], *, seed: int = 0, params: dict[str, Any] | None = None
) -> SentenceModel:
    """A numpy-only :class:`SentenceModel` fitted on ``examples``."""
    reg = fit_sentence_regressor(examples, seed=seed, params=params)
    meta = _meta([e.sentence_labels for e in examples], "sentences", params or SENTENCE_TREE_PARAMS)
    return SentenceModel(trees=export_trees(reg), meta=meta)


def training_clusters(paths: Sequence[str], *, include_blind: bool = False) -> list[Any]:
    """The clusters of ``paths`` to train on: all but the blind third, unless asked."""
    from storyline.evaluate.data import load_clusters
    from storyline.evaluate.splits import is_blind_cluster

    return [
        c
        for path in paths
        for c in load_clusters(Path(path))
        if include_blind or not is_blind_cluster(Path(path).parent.name, c.id)
    ]


def main(argv: Sequence[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m storyline.training.summarize")
    parser.add_argument("paths", nargs="+", help="dev.jsonl files with reference summaries")
    parser.add_argument(
        "--include-blind", action="store_true",
        help="also train on the blind third (then no blind figure is honest any more)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    clusters = training_clusters(args.paths, include_blind=args.include_blind)
    examples = [make_example(c.id, c.documents, c.references) for c in clusters]
    data = sorted({str(Path(p).parent.name) for p in args.paths})
    shipped: list[tuple[ConceptModel | SentenceModel, str]] = [
        (fit(examples), MODEL_FILE),
        (fit_sentence_model(examples), sentence_worth.MODEL_FILE),
    ]
    for model, filename in shipped:
        model.meta["data"] = data
        model.meta["blind_clusters"] = "included" if args.include_blind else "excluded"
        # Beside the runtime code that loads them (storyline/summarize/), not beside this file.
        target = Path(sentence_worth.__file__).with_name(filename)
        target.write_text(json.dumps(model.to_json(), separators=(",", ":")) + "\n")
        print(f"wrote {target} ({target.stat().st_size // 1024} KiB) from {model.meta}")


if __name__ == "__main__":
    main(sys.argv[1:])
