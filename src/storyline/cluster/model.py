"""The online clusterer's learned weights: a linear ranker and a join-or-new-story classifier.

The weights ship as ``online_model.json`` beside this module, written by
``python -m storyline.training.cluster`` (outside the runtime; scikit-learn is used there only).
Inference is a dot product. The file is plain JSON::

    {"format": "storyline-cluster-model", "version": 1,
     "features": ["tokens_title", ...],               # order of the weight vectors
     "ranker": {"weights": [...]},                    # score = w . f; best candidate story wins
     "join": {"weights": [...], "bias": b, "threshold": p},  # P(join) = sigmoid(w . f + b)
     "merge": {"probability": p, "cosine": c},        # when two open stories converge
     "trained_on": "...", "notes": "..."}

A feature whose weight is zero in both models is not computed at all (the ablations use this).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from storyline.cluster.features import FEATURES

MODEL_PATH = Path(__file__).with_name("online_model.json")
FORMAT = "storyline-cluster-model"


@dataclass
class ClusterModel:
    features: tuple[str, ...] = FEATURES
    ranker_weights: tuple[float, ...] = ()
    join_weights: tuple[float, ...] = ()
    join_bias: float = 0.0
    join_threshold: float = 0.5
    merge_probability: float = 0.9
    merge_cosine: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.ranker_weights) != len(self.features) or len(self.join_weights) != len(
            self.features
        ):
            raise ValueError(
                f"a cluster model needs one ranker and one join weight per feature "
                f"({len(self.features)}); got {len(self.ranker_weights)} and "
                f"{len(self.join_weights)}"
            )
        unknown = set(self.features) - set(FEATURES)
        if unknown:
            raise ValueError(f"unknown clustering features: {', '.join(sorted(unknown))}")

    @property
    def used(self) -> tuple[str, ...]:
        """The features with a weight in either model, i.e. the ones worth computing."""
        return tuple(
            name
            for name, r, j in zip(
                self.features, self.ranker_weights, self.join_weights, strict=True
            )
            if r or j
        )

    def rank(self, features: dict[str, float]) -> float:
        return sum(
            w * features.get(n, 0.0)
            for n, w in zip(self.features, self.ranker_weights, strict=True)
        )

    def join_probability(self, features: dict[str, float]) -> float:
        z = self.join_bias + sum(
            w * features.get(n, 0.0) for n, w in zip(self.features, self.join_weights, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-z)) if z > -50 else 0.0

    def without(self, dropped: set[str]) -> ClusterModel:
        """The same model with some features' weights zeroed (for a quick look, not ablation)."""
        keep = [0.0 if n in dropped else 1.0 for n in self.features]
        return ClusterModel(
            features=self.features,
            ranker_weights=tuple(w * k for w, k in zip(self.ranker_weights, keep, strict=True)),
            join_weights=tuple(w * k for w, k in zip(self.join_weights, keep, strict=True)),
            join_bias=self.join_bias,
            join_threshold=self.join_threshold,
            merge_probability=self.merge_probability,
            merge_cosine=self.merge_cosine,
            meta=dict(self.meta),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": 1,
            "features": list(self.features),
            "ranker": {"weights": [round(w, 6) for w in self.ranker_weights]},
            "join": {
                "weights": [round(w, 6) for w in self.join_weights],
                "bias": round(self.join_bias, 6),
                "threshold": self.join_threshold,
            },
            "merge": {"probability": self.merge_probability, "cosine": self.merge_cosine},
            **self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], source: str = "cluster model") -> ClusterModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"{source}: not a {FORMAT} file")
        try:
            meta = {
                k: v
                for k, v in data.items()
                if k not in {"format", "version", "features", "ranker", "join", "merge"}
            }
            return cls(
                features=tuple(data["features"]),
                ranker_weights=tuple(float(w) for w in data["ranker"]["weights"]),
                join_weights=tuple(float(w) for w in data["join"]["weights"]),
                join_bias=float(data["join"]["bias"]),
                join_threshold=float(data["join"].get("threshold", 0.5)),
                merge_probability=float(data["merge"]["probability"]),
                merge_cosine=float(data["merge"]["cosine"]),
                meta=meta,
            )
        except (KeyError, TypeError) as error:
            raise ValueError(f"{source}: broken cluster model ({error!r})") from error

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> ClusterModel:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")), str(path))


@lru_cache(maxsize=1)
def default_model() -> ClusterModel:
    """The shipped model (``online_model.json``)."""
    return ClusterModel.load(MODEL_PATH)


__all__ = ["MODEL_PATH", "ClusterModel", "default_model"]
