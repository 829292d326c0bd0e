"""A plain reference walk of shipped gradient-boosted trees, for the tests of the fast one."""

from __future__ import annotations

import numpy as np

from storyline.trees import TreeEnsemble


def naive_margins(trees: TreeEnsemble, x: np.ndarray) -> np.ndarray:
    """Each row down each tree in plain Python, the leaves summed in tree order."""
    margins = []
    for row in x:
        leaves = []
        for t in range(len(trees.feature)):
            node = 0
            while trees.left[t, node] != node:  # a leaf points to itself
                value = row[trees.feature[t, node]]
                go_left = (
                    trees.missing_left[t, node]
                    if np.isnan(value)
                    else (value <= trees.threshold[t, node])
                )
                node = trees.left[t, node] if go_left else trees.right[t, node]
            leaves.append(trees.value[t, node])
        margins.append(trees.baseline + np.array(leaves).sum())
    return np.array(margins)
