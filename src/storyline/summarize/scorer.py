"""The learned sentence scorer: a linear model over :mod:`storyline.summarize.features`.

Its weights ship as JSON beside this file (no pickles); ``bench/train_scorer.py`` trains and
cross-validates it on dev clusters and rewrites the file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("scorer.json")


@dataclass
class LinearScorer:
    feature_names: list[str]
    weights: list[float]
    bias: float

    def score(self, features: np.ndarray) -> np.ndarray:
        return features @ np.asarray(self.weights) + self.bias

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> LinearScorer:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def default_scorer() -> LinearScorer:
    return LinearScorer.load(MODEL_PATH)
