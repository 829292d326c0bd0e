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

import numpy as np

from storyline.clean.boilerplate import prepare_lines
from storyline.clean.features import document_features
from storyline.clean.model import LineModel, Logistic, stack_features

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


def _fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, c: float) -> Logistic:
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    clf = LogisticRegression(C=c, max_iter=2000)
    # One BLAS thread: on small dense problems more threads only fight over the cores.
    with threadpool_limits(1):
        clf.fit((x - mean) / scale, y, sample_weight=w * len(w) / w.sum())
    return Logistic(mean=mean, scale=scale, coef=clf.coef_[0], intercept=float(clf.intercept_[0]))


def fit_line_model(
    groups: Sequence[Sequence[Page]],
    *,
    c: float = 1.0,
    inner_folds: int = 5,
    seed: int = 0,
    threshold_objective: Callable[[LineModel], float] | None = None,
    thresholds: Sequence[float] = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6),
) -> LineModel:
    """Stage 1 on line features; stage 2 on them plus out-of-fold stage-1 context scores."""
    pages = [page for group in groups for page in group]
    x = np.vstack([p.features for p in pages])
    y = np.concatenate([p.labels for p in pages])
    w = np.concatenate([p.weights for p in pages])
    stage1 = _fit_logistic(x, y, w, c)

    # Stage-1 scores for stage 2 must come from models that did not see the page, or stage 2
    # learns to trust them more than it should on new pages.
    rng = np.random.default_rng(seed)
    fold_of_group = rng.permutation(len(groups)) % inner_folds
    oof: dict[int, np.ndarray] = {}
    for fold in range(inner_folds):
        train = [p for g, grp in enumerate(groups) if fold_of_group[g] != fold for p in grp]
        held = [(g, grp) for g, grp in enumerate(groups) if fold_of_group[g] == fold]
        model = _fit_logistic(
            np.vstack([p.features for p in train]),
            np.concatenate([p.labels for p in train]),
            np.concatenate([p.weights for p in train]),
            c,
        )
        for _, grp in held:
            for page in grp:
                oof[id(page)] = model.predict(page.features)
    x2 = np.vstack([np.hstack([p.features, stack_features(oof[id(p)])]) for p in pages])
    stage2 = _fit_logistic(x2, y, w, c)

    best = LineModel(stage1=stage1, stage2=stage2, threshold=0.5, meta={})
    if threshold_objective is not None:
        scored = []
        for t in thresholds:
            candidate = LineModel(stage1=stage1, stage2=stage2, threshold=t, meta={})
            scored.append((threshold_objective(candidate), t))
        best = LineModel(stage1=stage1, stage2=stage2, threshold=max(scored)[1], meta={})
    return best
