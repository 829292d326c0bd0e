"""The learned boilerplate line model: two stacked logistic regressions, read from JSON.

Stage 1 scores each line from its own and its neighbours' features; stage 2 re-scores it with
the stage-1 scores of the lines around it added, which is the learned form of jusText's
context smoothing (a short line between body lines is body; a run of chrome is chrome).
Weights ship as a small JSON file and are applied with numpy alone: no pickles, no
scikit-learn at run time. :mod:`.train` fits them.
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


@dataclass(frozen=True)
class Logistic:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def predict(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_json(self) -> dict[str, Any]:
        return {
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(float(self.intercept), 6),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Logistic:
        return cls(
            mean=np.asarray(data["mean"], dtype=float),
            scale=np.asarray(data["scale"], dtype=float),
            coef=np.asarray(data["coef"], dtype=float),
            intercept=float(data["intercept"]),
        )


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
    stage1: Logistic
    stage2: Logistic
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
            "features": FEATURES,
            "stack_features": STACK_FEATURES,
            "stage1": self.stage1.to_json(),
            "stage2": self.stage2.to_json(),
            "threshold": round(self.threshold, 4),
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LineModel:
        if data["features"] != FEATURES or data["stack_features"] != STACK_FEATURES:
            raise ValueError("line model was trained on different features; retrain it")
        return cls(
            stage1=Logistic.from_json(data["stage1"]),
            stage2=Logistic.from_json(data["stage2"]),
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
