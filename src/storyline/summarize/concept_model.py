"""The learned concept weights: how likely a human summary of the story uses each bigram.

Gradient-boosted trees on the features of :mod:`.concepts` (trees rather than a linear model
because the evidence interacts: being in many articles matters more in a story of thirty
articles than in one of three; out of fold they scored higher ROUGE than a logistic regression,
bench/results/summarization_ablation.md). They ship as JSON (``concept_model.json``) and are
walked with numpy alone, by the same :class:`~storyline.clean.model.TreeEnsemble` the line
model uses; :mod:`.train` fits them with scikit-learn on the shared dev data. :class:`TreeModel`,
the loading and walking part, also serves the sentence-worth model of :mod:`.sentence_worth`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, ClassVar, Self

import numpy as np

from storyline.clean.model import TreeEnsemble, _tree_depth
from storyline.summarize.concepts import FEATURES

MODEL_FILE = "concept_model.json"
MODEL_KIND = "concept-gradient-boosted-trees"


@dataclass(frozen=True)
class TreeModel:
    """Gradient-boosted trees over a fixed list of features, shipped as JSON.

    Subclasses name their ``KIND`` and ``FEATURES``, so a model file trained on other features
    is refused instead of silently scoring the wrong columns.
    """

    trees: TreeEnsemble
    meta: dict[str, Any] = field(default_factory=dict)

    KIND: ClassVar[str] = ""
    FEATURES: ClassVar[list[str]] = []

    def margin(self, x: np.ndarray) -> np.ndarray:
        """Raw sum of the trees for each row of ``x``.

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
        return margin

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
            "kind": self.KIND,
            "features": self.FEATURES,
            "meta": self.meta,
            "trees": self.trees.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        if data.get("kind") != cls.KIND:
            raise ValueError(f"model file is not a {cls.KIND} model; retrain it")
        if data["features"] != cls.FEATURES:
            raise ValueError(f"{cls.KIND} model was trained on different features; retrain it")
        return cls(trees=TreeEnsemble.from_json(data["trees"]), meta=dict(data.get("meta", {})))

    @classmethod
    def load_shipped(cls, filename: str) -> Self | None:
        """The model shipped in this package as ``filename``, or None when it is missing."""
        try:
            text = resources.files("storyline.summarize").joinpath(filename).read_text("utf-8")
        except (FileNotFoundError, OSError):
            return None
        return cls.from_json(json.loads(text))


@dataclass(frozen=True)
class ConceptModel(TreeModel):
    KIND: ClassVar[str] = MODEL_KIND
    FEATURES: ClassVar[list[str]] = FEATURES

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability that a human summary uses each concept (row of ``x``)."""
        if len(x) == 0:
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-np.clip(self.margin(x), -30, 30)))


@lru_cache(maxsize=1)
def default_model() -> ConceptModel | None:
    """The shipped model, or None when it is missing (article counts then weigh concepts)."""
    return ConceptModel.load_shipped(MODEL_FILE)
