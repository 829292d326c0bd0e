"""Export scikit-learn tree ensembles to the numpy-only :mod:`storyline.trees` form."""

from __future__ import annotations

from typing import Any

import numpy as np

from storyline.trees import TreeEnsemble


def export_trees(clf: Any) -> TreeEnsemble:
    """A fitted binary ``HistGradientBoostingClassifier`` as a numpy-only :class:`TreeEnsemble`."""
    if getattr(clf, "is_categorical_", None) is not None and clf.is_categorical_.any():
        raise ValueError("categorical splits are not supported by TreeEnsemble")
    trees = []
    for (predictor,) in clf._predictors:  # one predictor per iteration for a binary task
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        # Leaves keep their value only and splits everything else, as 0 elsewhere: that keeps
        # the JSON short while thresholds stay exact floats (rounded ones would move lines to
        # the other side of a split).
        trees.append(
            {
                "feature": np.where(leaf, -1, nodes["feature_idx"].astype(np.int64)).tolist(),
                "threshold": np.where(leaf, 0, nodes["num_threshold"]).tolist(),
                "left": np.where(leaf, -1, nodes["left"].astype(np.int64)).tolist(),
                "right": np.where(leaf, -1, nodes["right"].astype(np.int64)).tolist(),
                "missing_left": nodes["missing_go_to_left"].astype(int).tolist(),
                "value": np.where(leaf, nodes["value"], 0).tolist(),
            }
        )
    baseline = float(np.ravel(clf._baseline_prediction)[0])
    return TreeEnsemble.from_json({"baseline": baseline, "trees": trees})
