"""The learned concept weights: how likely a human summary of the story uses each bigram.

Gradient-boosted trees on the features of :mod:`.concepts` (trees rather than a linear model
because the evidence interacts: being in many articles matters more in a story of thirty
articles than in one of three; out of fold they scored higher ROUGE than a logistic regression,
bench/results/summarization_ablation.md). They ship as JSON (``concept_model.json``) and are
walked with numpy alone by :class:`storyline.trees.TreeModel`, which also serves the line model
and the sentence-worth model of :mod:`.sentence_worth`; :mod:`storyline.training.summarize`
fits them with scikit-learn on the shared dev data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

import numpy as np

from storyline.summarize.concepts import FEATURES
from storyline.trees import TreeModel

MODEL_FILE = "concept_model.json"
MODEL_KIND = "concept-gradient-boosted-trees"


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
    return ConceptModel.load_shipped("storyline.summarize", MODEL_FILE)
