"""The learned concept weights: how likely a human summary of the story uses each bigram.

Gradient-boosted trees on the features of :mod:`.concepts` (trees rather than a linear model
because the evidence interacts: being in many articles matters more in a story of thirty
articles than in one of three; out of fold they scored higher ROUGE than a logistic regression,
bench/results/summarization_ablation.md). They ship as JSON (``concept_model.json``) and are
walked with numpy alone, by the same :class:`~storyline.clean.model.TreeEnsemble` the line
model uses; :mod:`.train` fits them with scikit-learn on the shared dev data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import numpy as np

from storyline.clean.model import TreeEnsemble, _tree_depth
from storyline.summarize.concepts import FEATURES

MODEL_FILE = "concept_model.json"
MODEL_KIND = "concept-gradient-boosted-trees"


@dataclass(frozen=True)
class ConceptModel:
    trees: TreeEnsemble
    meta: dict[str, Any] = field(default_factory=dict)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability that a human summary uses each concept (row of ``x``).

        The same walk as :meth:`TreeEnsemble.decision_function`, but trees of equal depth go
        together, so a shallow tree is not walked as deep as the deepest one (a story has
        thousands of concepts; this halves the time).
        """
        x = np.asarray(x, dtype=float)
        if len(x) == 0:
            return np.zeros(0)
        t = self.trees
        width = t.feature.shape[1]
        feature, threshold = t.feature.ravel(), t.threshold.ravel()
        left, right, value = t.left.ravel(), t.right.ravel(), t.value.ravel()
        missing_left = t.missing_left.ravel()
        flat_x = x.ravel()
        margin = np.full(len(x), t.baseline)
        row_start = (np.arange(len(x)) * x.shape[1])[:, None]
        for depth, trees in self._depth_groups:
            offset = (trees * width)[None, :]
            node = np.zeros((len(x), len(trees)), dtype=np.intp)
            for _ in range(depth):
                at = node + offset
                values = flat_x.take(row_start + feature.take(at))
                go_left = values <= threshold.take(at)
                nan = np.isnan(values)
                if nan.any():
                    go_left = np.where(nan, missing_left.take(at), go_left)
                node = np.where(go_left, left.take(at), right.take(at))
            margin += value.take(node + offset).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-np.clip(margin, -30, 30)))

    @cached_property
    def _depth_groups(self) -> list[tuple[int, np.ndarray]]:
        depths = np.array(
            [
                _tree_depth(np.asarray(tree["left"]), np.asarray(tree["right"]))
                for tree in self.trees.trees
            ]
        )
        return [(int(d), np.flatnonzero(depths == d)) for d in np.unique(depths)]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": MODEL_KIND,
            "features": FEATURES,
            "meta": self.meta,
            "trees": self.trees.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ConceptModel:
        if data.get("kind") != MODEL_KIND:
            raise ValueError(f"concept model is not a {MODEL_KIND} model; retrain it")
        if data["features"] != FEATURES:
            raise ValueError("concept model was trained on different features; retrain it")
        return cls(trees=TreeEnsemble.from_json(data["trees"]), meta=dict(data.get("meta", {})))


@lru_cache(maxsize=1)
def default_model() -> ConceptModel | None:
    """The shipped model, or None when it is missing (article counts then weigh concepts)."""
    try:
        text = resources.files("storyline.summarize").joinpath(MODEL_FILE).read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    return ConceptModel.from_json(json.loads(text))
