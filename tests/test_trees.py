"""Split-mask scoring of tree ensembles against the walk from the root, to the bit."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tree_walk import naive_margins

from storyline.clean.model import default_model
from storyline.trees import MASK_LEAVES, ROWS_PER_MASK, TreeEnsemble


def _walked(trees: TreeEnsemble) -> TreeEnsemble:
    """The same ensemble as arrays alone: scored by the walk, never by split masks."""
    return dataclasses.replace(trees, trees=())


def _rows(count: int, features: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(count, features))
    x[rng.random(x.shape) < 0.05] = np.nan  # the missing-value side of each split
    return x


def _fitted(leaves: int) -> TreeEnsemble:
    pytest.importorskip("sklearn")
    from sklearn.ensemble import HistGradientBoostingClassifier

    from storyline.training.trees import export_trees

    x = _rows(800, 5, seed=1)
    a, b, c = np.nan_to_num(x[:, :3]).T
    y = (a * b + c > 0).astype(int)
    clf = HistGradientBoostingClassifier(
        max_iter=25, max_leaf_nodes=leaves, early_stopping=False, random_state=0
    ).fit(x, y)
    return export_trees(clf)


def test_the_shipped_line_model_is_scored_by_masks_exactly_as_walked() -> None:
    model = default_model()
    assert model is not None
    for trees in (model.stage1, model.stage2):
        assert trees._masks is not None  # 15 leaves a tree: masks apply
        features = int(trees.feature.max()) + 1
        for count in (1, 7, 60, ROWS_PER_MASK + 9):  # one row, few, many, past a chunk
            x = _rows(count, features, seed=count)
            margins = trees.decision_function(x)
            assert np.array_equal(margins, _walked(trees).decision_function(x))
        assert np.array_equal(margins[:5], naive_margins(trees, x[:5]))


def test_real_page_features_score_the_same_both_ways() -> None:
    from storyline.clean.features import document_features

    model = default_model()
    assert model is not None
    lines = [
        "Home | World | Business | Sport",
        "Sign up for our newsletter",
        "The harbour council voted on Tuesday to close the old ferry pier for repairs.",
        "Repairs will take six weeks and cost about 1.2 million pounds, officials said.",
        "Share this article",
    ]
    x = document_features(lines, None)
    assert np.array_equal(
        model.stage1.decision_function(x), _walked(model.stage1).decision_function(x)
    )


def test_trees_of_any_shape_are_scored_as_walked() -> None:
    trees = _fitted(leaves=9)  # uneven trees of up to 9 leaves, fewer splits than the widest
    assert trees._masks is not None
    x = _rows(300, 5, seed=7)
    assert np.array_equal(trees.decision_function(x), naive_margins(trees, x))


def test_a_single_leaf_tree_adds_its_value() -> None:
    stump = {"feature": [0], "threshold": [0.0], "left": [-1], "right": [-1],
             "missing_left": [0], "value": [0.25]}  # fmt: skip
    split = {"feature": [1, 0, 0], "threshold": [0.5, 0.0, 0.0], "left": [1, -1, -1],
             "right": [2, -1, -1], "missing_left": [1, 0, 0],
             "value": [0.0, -1.0, 2.0]}  # fmt: skip
    trees = TreeEnsemble.from_json({"baseline": 0.5, "trees": [stump, split]})
    x = np.array([[3.0, 0.1], [3.0, 0.9], [3.0, np.nan]])
    assert trees.decision_function(x).tolist() == [-0.25, 2.75, -0.25]
    assert np.array_equal(trees.decision_function(x), naive_margins(trees, x))


def test_trees_with_more_leaves_than_a_mask_holds_are_walked() -> None:
    trees = _fitted(leaves=MASK_LEAVES + 8)
    assert max(sum(1 for left in t["left"] if left < 0) for t in trees.trees) > MASK_LEAVES
    assert trees._masks is None
    x = _rows(80, 5, seed=3)
    assert np.array_equal(trees.decision_function(x), naive_margins(trees, x))
