"""Fit the boilerplate line model on pages with a known article body (development only).

Used by ``bench/extraction.py``: it fits fold models for cross-validation and, with
``--train``, the shipped ``line_model.json``. Needs scikit-learn; run time does not.

Labels: a line is body when its word sequence occurs in the true body. Short lines (one or
two words) match by accident ("U.S.", "More"), so they count as body only inside the stretch
between the first and last long body line. Each page weighs the same in training, and within a
page a line weighs by its words, because the benchmark averages word-shingle scores per page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from storyline.clean.boilerplate import prepare_lines
from storyline.clean.features import document_features
from storyline.clean.model import LineModel, stack_features
from storyline.training.trees import export_trees
from storyline.trees import TreeEnsemble

_TOKEN = re.compile(r"\w+")
# Body text around which a cropped copy of a page is cut, in lines: teaches the model what an
# already mostly-clean text (an article file, not a whole page) looks like.
_CROP_MARGIN = 3


@dataclass
class Page:
    lines: list[str]
    labels: np.ndarray
    features: np.ndarray
    weights: np.ndarray


def label_lines(lines: list[str], body: str) -> np.ndarray:
    body_key = " " + " ".join(_TOKEN.findall(body)) + " "
    tokens = [_TOKEN.findall(line) for line in lines]
    found = np.array([bool(t) and (" " + " ".join(t) + " ") in body_key for t in tokens])
    long_hits = [i for i, t in enumerate(tokens) if found[i] and len(t) >= 4]
    if not long_hits:
        return found.astype(float)
    first, last = long_hits[0], long_hits[-1]
    labels = found.copy()
    for i, t in enumerate(tokens):
        if found[i] and len(t) < 4 and not first <= i <= last:
            labels[i] = False
    return labels.astype(float)


def make_page(
    lines: list[str], labels: np.ndarray, *, title: str | None = None, weight: float = 1.0
) -> Page:
    sizes = np.array([len(_TOKEN.findall(line)) + 1 for line in lines], dtype=float)
    weights = weight * sizes / max(sizes.sum(), 1.0)
    return Page(
        lines=lines, labels=labels, features=document_features(lines, title), weights=weights
    )


def pages_from_examples(
    examples: Sequence[tuple[str, str]], *, crops: bool = True
) -> list[list[Page]]:
    """``(page_text, body)`` pairs to training pages; each group is one page and its crop."""
    groups: list[list[Page]] = []
    for page_text, body in examples:
        prepared = prepare_lines(page_text)
        lines = prepared.lines
        if not lines:
            groups.append([])
            continue
        labels = label_lines(lines, body)
        group = [make_page(lines, labels, title=prepared.title)]
        hits = np.flatnonzero(labels)
        if crops and len(hits):
            lo = max(0, hits[0] - _CROP_MARGIN)
            hi = min(len(lines), hits[-1] + _CROP_MARGIN + 1)
            if hi - lo < len(lines):
                group.append(
                    make_page(lines[lo:hi], labels[lo:hi], title=prepared.title, weight=0.5)
                )
        groups.append(group)
    return groups


# Tree settings: small trees and a slow learning rate, because 125 pages are few and a line's
# label is noisy (short lines match the body by accident); 2 x 200 trees of 15 leaves keep the
# JSON well under a megabyte and inference a few milliseconds a page. No early stopping: it
# would hold out a random tenth of the *lines*, which leaks pages between fit and stop.
TREE_PARAMS: dict[str, Any] = {
    "max_iter": 200,
    "learning_rate": 0.05,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 40,
    "l2_regularization": 1.0,
    "early_stopping": False,
}


def _fit_trees(x: np.ndarray, y: np.ndarray, w: np.ndarray, seed: int) -> TreeEnsemble:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    clf = HistGradientBoostingClassifier(**TREE_PARAMS, random_state=seed)
    # One thread: on ~30k rows OpenMP threads mostly fight over the cores (3x slower on 2).
    with threadpool_limits(1):
        clf.fit(x, y, sample_weight=w * len(w) / w.sum())
    return export_trees(clf)


def _stack_rows(page: Page, p1: np.ndarray) -> np.ndarray:
    return np.hstack([page.features, stack_features(p1)])


def fit_line_model(
    groups: Sequence[Sequence[Page]],
    *,
    inner_folds: int = 5,
    seed: int = 0,
    threshold_objective: Callable[[list[np.ndarray], float], float] | None = None,
    thresholds: Sequence[float] = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6),
) -> LineModel:
    """Stage 1 on line features; stage 2 on them plus out-of-fold stage-1 context scores.

    ``threshold_objective(scores, threshold)`` rates a threshold from held-out stage-2 scores
    of each group's first page (empty for an empty group); the best of ``thresholds`` ships.
    """
    pages = [page for group in groups for page in group]
    x = np.vstack([p.features for p in pages])
    y = np.concatenate([p.labels for p in pages])
    w = np.concatenate([p.weights for p in pages])
    stage1 = _fit_trees(x, y, w, seed)

    # Stage-1 scores for stage 2 must come from models that did not see the page, or stage 2
    # learns to trust them more than it should on new pages.
    rng = np.random.default_rng(seed)
    fold_of_group = rng.permutation(len(groups)) % inner_folds
    inner: list[TreeEnsemble] = []
    oof: dict[int, np.ndarray] = {}
    for fold in range(inner_folds):
        train = [p for g, grp in enumerate(groups) if fold_of_group[g] != fold for p in grp]
        model = _fit_trees(
            np.vstack([p.features for p in train]),
            np.concatenate([p.labels for p in train]),
            np.concatenate([p.weights for p in train]),
            seed,
        )
        inner.append(model)
        for g, grp in enumerate(groups):
            if fold_of_group[g] == fold:
                for page in grp:
                    oof[id(page)] = model.predict(page.features)
    x2 = np.vstack([_stack_rows(p, oof[id(p)]) for p in pages])
    stage2 = _fit_trees(x2, y, w, seed)
    if threshold_objective is None:
        return LineModel(stage1=stage1, stage2=stage2, threshold=0.5, meta={})

    # Trees fit their own training lines closely, so a threshold tuned on in-sample scores is
    # tuned to overconfident scores (it picked 0.6 where held-out pages want ~0.35). Tune it on
    # held-out stage-2 scores instead: per inner fold, a stage 2 fitted without those pages.
    held_scores: list[np.ndarray] = [np.zeros(0) for _ in groups]
    for fold in range(inner_folds):
        train = [p for g, grp in enumerate(groups) if fold_of_group[g] != fold for p in grp]
        stage2_fold = _fit_trees(
            np.vstack([_stack_rows(p, oof[id(p)]) for p in train]),
            np.concatenate([p.labels for p in train]),
            np.concatenate([p.weights for p in train]),
            seed,
        )
        for g, grp in enumerate(groups):
            if fold_of_group[g] == fold and grp:
                page = grp[0]
                held_scores[g] = stage2_fold.predict(_stack_rows(page, oof[id(page)]))
    scored = [(threshold_objective(held_scores, t), t) for t in thresholds]
    return LineModel(stage1=stage1, stage2=stage2, threshold=max(scored)[1], meta={})
