"""The learned boilerplate line model: two stacked gradient-boosted tree ensembles, from JSON.

Stage 1 scores each line from its own and its neighbours' features; stage 2 re-scores it with
the stage-1 scores of the lines around it added, which is the learned form of jusText's
context smoothing (a short line between body lines is body; a run of chrome is chrome).
Trees rather than a linear model because the evidence interacts (a short line is chrome in a
menu and body inside the article's run of prose); on pages held out of training they score
clearly higher (bench/results/extraction.md). The trees ship as JSON and are walked with numpy
alone: no pickles, no scikit-learn at run time. :mod:`.train` fits them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from storyline.clean.features import FEATURES, _window_mean, document_features

STACK_FEATURES = [
    "p",
    "p_prev",
    "p_next",
    "p_win2",
    "p_win5",
    "p_win12",
    "p_max_before",
    "p_max_after",
]
MODEL_FILE = "line_model.json"
MODEL_KIND = "stacked-gradient-boosted-trees"


@dataclass(frozen=True)
class TreeEnsemble:
    """Binary gradient-boosted trees as flat arrays, one row per tree, padded to equal width.

    At split node ``k`` of tree ``t`` a value ``<= threshold[t, k]`` of feature
    ``feature[t, k]`` goes to ``left[t, k]``, a larger one to ``right[t, k]``, NaN to the side
    ``missing_left`` names. ``value`` holds leaf values, learning rate included, 0 at splits.
    The margin is ``baseline`` plus the leaves reached, as in scikit-learn's
    ``HistGradientBoostingClassifier``, from which :mod:`.train` exports it.

    In the JSON a leaf has ``left == -1``; in memory a leaf points to itself on both sides, so
    every tree can take the deepest tree's number of steps and a finished walk stays put.
    """

    baseline: float
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    missing_left: np.ndarray
    value: np.ndarray
    depth: int
    trees: tuple[dict[str, list[Any]], ...]

    def decision_function(self, x: np.ndarray) -> np.ndarray:
        """Raw margin for each row of ``x``: all rows through all trees, one level a step."""
        x = np.asarray(x, dtype=float)
        n_rows, n_trees = len(x), len(self.feature)
        if n_rows == 0 or n_trees == 0:
            return np.full(n_rows, self.baseline)
        tree = np.arange(n_trees)[None, :]
        row = np.arange(n_rows)[:, None]
        node = np.zeros((n_rows, n_trees), dtype=np.intp)
        for _ in range(self.depth):
            values = x[row, self.feature[tree, node]]
            go_left = np.where(
                np.isnan(values),
                self.missing_left[tree, node],
                values <= self.threshold[tree, node],
            )
            node = np.where(go_left, self.left[tree, node], self.right[tree, node])
        return self.baseline + self.value[tree, node].sum(axis=1)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability of the positive class (article body)."""
        z = self.decision_function(x)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_json(self) -> dict[str, Any]:
        return {"baseline": self.baseline, "trees": list(self.trees)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TreeEnsemble:
        trees = tuple(data["trees"])
        width = max((len(t["left"]) for t in trees), default=1)
        shape = (len(trees), width)
        feature = np.zeros(shape, dtype=np.intp)
        threshold = np.zeros(shape)
        left = np.zeros(shape, dtype=np.intp)
        right = np.zeros(shape, dtype=np.intp)
        missing_left = np.zeros(shape, dtype=bool)
        value = np.zeros(shape)
        depth = 0
        for t, tree in enumerate(trees):
            n = len(tree["left"])
            lefts = np.asarray(tree["left"], dtype=np.intp)
            leaf = lefts < 0
            own = np.arange(n)
            feature[t, :n] = np.where(leaf, 0, tree["feature"])
            threshold[t, :n] = np.where(leaf, 0.0, np.asarray(tree["threshold"], dtype=float))
            left[t, :n] = np.where(leaf, own, lefts)
            right[t, :n] = np.where(leaf, own, tree["right"])
            missing_left[t, :n] = np.asarray(tree["missing_left"], dtype=bool)
            value[t, :n] = np.where(leaf, np.asarray(tree["value"], dtype=float), 0.0)
            depth = max(depth, _tree_depth(lefts, np.asarray(tree["right"], dtype=np.intp)))
        return cls(
            baseline=float(data["baseline"]),
            feature=feature,
            threshold=threshold,
            left=left,
            right=right,
            missing_left=missing_left,
            value=value,
            depth=depth,
            trees=trees,
        )


def _tree_depth(left: np.ndarray, right: np.ndarray) -> int:
    deepest, stack = 0, [(0, 0)]
    while stack:
        node, depth = stack.pop()
        if left[node] < 0:
            deepest = max(deepest, depth)
            continue
        stack.append((int(left[node]), depth + 1))
        stack.append((int(right[node]), depth + 1))
    return deepest


def stack_features(p: np.ndarray) -> np.ndarray:
    """Context of the stage-1 scores around each line."""
    n = len(p)
    if n == 0:
        return np.zeros((0, len(STACK_FEATURES)))
    running_max_before = np.maximum.accumulate(np.concatenate([[0.0], p[:-1]]))
    running_max_after = np.maximum.accumulate(np.concatenate([[0.0], p[::-1][:-1]]))[::-1]
    return np.column_stack(
        [
            p,
            np.concatenate([[0.0], p[:-1]]),
            np.concatenate([p[1:], [0.0]]),
            _window_mean(p, 2),
            _window_mean(p, 5),
            _window_mean(p, 12),
            running_max_before,
            running_max_after,
        ]
    )


@dataclass(frozen=True)
class LineModel:
    stage1: TreeEnsemble
    stage2: TreeEnsemble
    threshold: float
    meta: dict[str, Any]

    def score_features(self, x: np.ndarray) -> np.ndarray:
        if len(x) == 0:
            return np.zeros(0)
        p1 = self.stage1.predict(x)
        return self.stage2.predict(np.hstack([x, stack_features(p1)]))

    def score(self, lines: list[str], *, title: str | None = None) -> np.ndarray:
        """Probability that each line belongs to the article body."""
        return self.score_features(document_features(lines, title))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": MODEL_KIND,
            "features": FEATURES,
            "stack_features": STACK_FEATURES,
            "threshold": round(self.threshold, 4),
            "meta": self.meta,
            "stage1": self.stage1.to_json(),
            "stage2": self.stage2.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LineModel:
        if data.get("kind") != MODEL_KIND:
            raise ValueError(f"line model is not a {MODEL_KIND} model; retrain it")
        if data["features"] != FEATURES or data["stack_features"] != STACK_FEATURES:
            raise ValueError("line model was trained on different features; retrain it")
        return cls(
            stage1=TreeEnsemble.from_json(data["stage1"]),
            stage2=TreeEnsemble.from_json(data["stage2"]),
            threshold=float(data["threshold"]),
            meta=dict(data.get("meta", {})),
        )


@lru_cache(maxsize=1)
def default_model() -> LineModel | None:
    """The shipped model, or None when it is missing (rules alone then decide)."""
    try:
        text = resources.files("storyline.clean").joinpath(MODEL_FILE).read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    return LineModel.from_json(json.loads(text))
