"""The learned boilerplate line model: two stacked gradient-boosted tree ensembles, from JSON.

Stage 1 scores each line from its own and its neighbours' features; stage 2 re-scores it with
the stage-1 scores of the lines around it added, which is the learned form of jusText's
context smoothing (a short line between body lines is body; a run of chrome is chrome).
Trees rather than a linear model because the evidence interacts (a short line is chrome in a
menu and body inside the article's run of prose); on pages held out of training they score
clearly higher (bench/results/extraction.md). The trees ship as JSON and are walked with numpy
alone: no pickles, no scikit-learn at run time. :mod:`storyline.training.clean` fits them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from storyline.clean.features import FEATURES, _window_mean, document_features
from storyline.trees import TreeEnsemble

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

    def score(
        self, lines: list[str], *, title: str | None = None, rows: np.ndarray | None = None
    ) -> np.ndarray:
        """Probability that each line belongs to the article body.

        ``rows``: the only lines whose probability is wanted (the others are NaN). Stage 1
        still scores every line (stage 2 reads the scores around each line), but stage 2
        walks its trees for these rows alone; a row's walk does not depend on the others.
        """
        x = document_features(lines, title)
        if rows is None or len(x) == 0:
            return self.score_features(x)
        stacked = np.hstack([x, stack_features(self.stage1.predict(x))])
        probabilities = np.full(len(x), np.nan)
        if len(rows):
            probabilities[rows] = self.stage2.predict(stacked[rows])
        return probabilities

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
