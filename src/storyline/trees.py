"""Gradient-boosted tree ensembles shipped as JSON and walked with numpy alone.

The cleaner's line model, the summarizer's concept and sentence-worth models (and any later
learned stage) are scikit-learn ``HistGradientBoostingClassifier`` fits exported by
:mod:`storyline.training.trees`; at run time they need only numpy: no pickles, no
scikit-learn. :class:`TreeEnsemble` holds the trees as flat arrays; :class:`TreeModel` adds the
feature list a model was trained on, so a file trained on other features is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from typing import Any, ClassVar, Self

import numpy as np

# Rows walked through the trees at once (trees too big for split masks): the walk's arrays
# are rows x trees, so this bounds them (4,096 rows x 200 trees x 8 bytes is 6.5 MB an array)
# whatever the number of rows.
ROWS_PER_WALK = 4096
# Below this many rows all trees are walked together (measured on the line model: 10 rows
# 0.2 ms together, 0.7 ms by depth; 100 rows 2.9 ms together, 1.3 ms by depth).
FEW_ROWS = 50
# Rows scored at once by the split-mask evaluation: its arrays are rows x split nodes (the
# line model has 2,800 splits: 128 rows make 2.9 MB of compared values, a few MB in all, so
# scoring a big story's thousands of sentences stays far below a sentences x sentences matrix).
ROWS_PER_MASK = 128
# Trees of at most this many leaves are scored by split masks (a leaf is a bit of a uint16).
MASK_LEAVES = 16


@dataclass(frozen=True)
class _FlatTrees:
    """A :class:`TreeEnsemble` as flat arrays indexed by ``tree * width + node``."""

    feature: np.ndarray
    threshold: np.ndarray
    missing_left: np.ndarray
    value: np.ndarray
    children: np.ndarray  # at 2 * node: the right child; at 2 * node + 1: the left one
    groups: tuple[tuple[int, np.ndarray, np.ndarray], ...]  # depth, trees, their roots
    one_group: tuple[tuple[int, np.ndarray, np.ndarray], ...]  # all trees, the deepest's depth


@dataclass(frozen=True)
class _SplitMasks:
    """A :class:`TreeEnsemble` for scoring by split masks (QuickScorer, Lucchese et al. 2015).

    Every split of every tree is tested at once; a split whose test sends a row right rules
    out the leaves of its left subtree. A tree's leaves are bits in left-to-right order, so
    the leaf a row reaches is the lowest bit left after ANDing the masks of the splits that
    sent it right: the same leaf as a walk from the root, in a fixed number of numpy calls
    (4-5 times faster than the walk on the line model's pages, whose trees are 13 levels deep).

    Each tree's splits are padded to ``splits`` (with splits that always go left and rule out
    nothing) and laid out split-major: column ``j * trees + t`` is split ``j`` of tree ``t``,
    so the AND over a tree's splits is a reduction over one axis of rows x splits x trees.
    """

    splits: int  # per tree, padding included
    feature: np.ndarray  # per column: the feature tested
    threshold: np.ndarray
    missing_left: np.ndarray
    right_mask: np.ndarray  # uint16: the tree's leaves still possible when the split goes right
    leaf_values: np.ndarray  # flat: tree t's leaves, left to right, at t * MASK_LEAVES + bit
    leaf_offsets: np.ndarray  # t * MASK_LEAVES


# The lowest set bit of every uint16, as a leaf's position.
_LOWEST_BIT = np.zeros(1 << 16, dtype=np.intp)
for _bit in range(15, -1, -1):
    _LOWEST_BIT[np.arange(1 << 16) & (1 << _bit) != 0] = _bit
del _bit


@dataclass(frozen=True)
class TreeEnsemble:
    """Binary gradient-boosted trees as flat arrays, one row per tree, padded to equal width.

    At split node ``k`` of tree ``t`` a value ``<= threshold[t, k]`` of feature
    ``feature[t, k]`` goes to ``left[t, k]``, a larger one to ``right[t, k]``, NaN to the side
    ``missing_left`` names. ``value`` holds leaf values, learning rate included, 0 at splits.
    The margin is ``baseline`` plus the leaves reached, as in scikit-learn's
    ``HistGradientBoostingClassifier``, from which :mod:`storyline.training.trees` exports it.

    In the JSON a leaf has ``left == -1``; in memory a leaf points to itself on both sides, so
    every tree can take the deepest tree's number of steps and a finished walk stays put.
    """

    baseline: float
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    missing_left: np.ndarray
    value: np.ndarray
    depth: int
    trees: tuple[dict[str, list[Any]], ...]

    def decision_function(self, x: np.ndarray) -> np.ndarray:
        """Raw margin for each row of ``x``: the leaves it reaches, summed in tree order.

        Trees of at most MASK_LEAVES leaves (every shipped model's) are scored by split masks
        (:class:`_SplitMasks`). Others are walked, all rows through all trees one level a
        step, trees of equal depth together, each only as deep as it is, over flat arrays
        with ``take``. Either way a row's leaves are summed in tree order, so the margins are
        the same to the bit, and rows are taken a bounded number at a time.
        """
        x = np.asarray(x, dtype=float)
        n_rows, n_trees = len(x), len(self.feature)
        if n_rows == 0 or n_trees == 0:
            return np.full(n_rows, self.baseline)
        masks = self._masks
        chunk = ROWS_PER_WALK if masks is None else ROWS_PER_MASK
        if n_rows > chunk:  # bounded memory: a row's margin does not depend on the others
            return np.concatenate(
                [
                    self.decision_function(x[start : start + chunk])
                    for start in range(0, n_rows, chunk)
                ]
            )
        if masks is not None:
            return self.baseline + self._mask_leaves(masks, x).sum(axis=1)
        walk = self._flat
        flat_x = np.ascontiguousarray(x).ravel()
        has_nan = bool(np.isnan(flat_x).any())
        row_start = (np.arange(n_rows) * x.shape[1])[:, None]
        leaves = np.empty((n_rows, n_trees))
        # A few rows: numpy's per-call overhead outweighs the steps saved, so every tree takes
        # the deepest one's number of steps (a leaf points to itself), in one group.
        groups = walk.groups if n_rows >= FEW_ROWS else walk.one_group
        for depth, trees, roots in groups:
            at = np.repeat(roots[None, :], n_rows, axis=0)
            for _ in range(depth):
                values = flat_x.take(row_start + walk.feature.take(at))
                go_left = values <= walk.threshold.take(at)
                if has_nan:
                    go_left = np.where(np.isnan(values), walk.missing_left.take(at), go_left)
                at = walk.children.take(2 * at + go_left)
            leaves[:, trees] = walk.value.take(at)
        return self.baseline + leaves.sum(axis=1)

    @staticmethod
    def _mask_leaves(masks: _SplitMasks, x: np.ndarray) -> np.ndarray:
        """The leaf value each row reaches in each tree (rows x trees), by split masks; at
        most ROWS_PER_MASK rows (its arrays are rows x splits)."""
        values = x.take(masks.feature, axis=1)
        go_left = values <= masks.threshold
        if np.isnan(x).any():
            go_left = np.where(np.isnan(values), masks.missing_left, go_left)
        # A split that goes left keeps every leaf: its mask is all ones (0 - 1 in uint16).
        kept = masks.right_mask | -go_left.astype(np.uint16)
        leaves = np.bitwise_and.reduce(kept.reshape(len(x), masks.splits, -1), axis=1)
        return masks.leaf_values.take(_LOWEST_BIT.take(leaves) + masks.leaf_offsets)

    @cached_property
    def _masks(self) -> _SplitMasks | None:
        """The split masks, or None when a tree has more leaves than a mask holds (or the
        ensemble was built from arrays alone: then it is walked)."""
        if not self.trees or len(self.trees) != len(self.feature):
            return None
        per_tree: list[list[tuple[int, float, bool, int]]] = []
        leaf_values = np.zeros((len(self.trees), MASK_LEAVES))
        for t, tree in enumerate(self.trees):
            order, spans = _leaves_in_order(tree["left"], tree["right"])
            if len(order) > MASK_LEAVES:
                return None
            splits = []
            for node, (first, end) in sorted(spans.items()):
                ruled_out = ((1 << end) - 1) ^ ((1 << first) - 1)  # the left subtree's leaves
                splits.append(
                    (
                        int(tree["feature"][node]),
                        float(tree["threshold"][node]),
                        bool(tree["missing_left"][node]),
                        0xFFFF & ~ruled_out,
                    )
                )
            per_tree.append(splits)
            leaf_values[t, : len(order)] = [float(tree["value"][leaf]) for leaf in order]
        width = max(1, max(len(splits) for splits in per_tree))
        always_left = (0, np.inf, True, 0xFFFF)  # padding: NaN or not, it rules out nothing
        columns = [
            splits[j] if j < len(splits) else always_left
            for j in range(width)
            for splits in per_tree
        ]
        feature, threshold, missing, right_mask = zip(*columns, strict=True)
        return _SplitMasks(
            splits=width,
            feature=np.array(feature, dtype=np.intp),
            threshold=np.array(threshold),
            missing_left=np.array(missing, dtype=bool),
            right_mask=np.array(right_mask, dtype=np.uint16),
            leaf_values=leaf_values.ravel(),
            leaf_offsets=np.arange(len(self.trees)) * MASK_LEAVES,
        )

    @cached_property
    def _flat(self) -> _FlatTrees:
        n_trees, width = self.feature.shape
        offset = (np.arange(n_trees) * width)[:, None]
        children = np.empty(2 * n_trees * width, dtype=np.intp)
        children[0::2] = (self.right + offset).ravel()  # go_left False
        children[1::2] = (self.left + offset).ravel()  # go_left True
        depths = np.array(
            [tree_depth(np.asarray(t["left"]), np.asarray(t["right"])) for t in self.trees]
        )
        if len(depths) != n_trees:  # built from arrays alone: walk every tree to full depth
            depths = np.full(n_trees, self.depth)
        everything = np.arange(n_trees)
        groups = []
        for depth in np.unique(depths):
            trees = np.flatnonzero(depths == depth)
            groups.append((int(depth), trees, trees * width))
        return _FlatTrees(
            feature=self.feature.ravel(),
            threshold=self.threshold.ravel(),
            missing_left=self.missing_left.ravel(),
            value=self.value.ravel(),
            children=children,
            groups=tuple(groups),
            one_group=((self.depth, everything, everything * width),),
        )

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability of the positive class (article body)."""
        z = self.decision_function(x)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_json(self) -> dict[str, Any]:
        return {"baseline": self.baseline, "trees": list(self.trees)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TreeEnsemble:
        trees = tuple(data["trees"])
        width = max((len(t["left"]) for t in trees), default=1)
        shape = (len(trees), width)
        feature = np.zeros(shape, dtype=np.intp)
        threshold = np.zeros(shape)
        left = np.zeros(shape, dtype=np.intp)
        right = np.zeros(shape, dtype=np.intp)
        missing_left = np.zeros(shape, dtype=bool)
        value = np.zeros(shape)
        depth = 0
        for t, tree in enumerate(trees):
            n = len(tree["left"])
            lefts = np.asarray(tree["left"], dtype=np.intp)
            leaf = lefts < 0
            own = np.arange(n)
            feature[t, :n] = np.where(leaf, 0, tree["feature"])
            threshold[t, :n] = np.where(leaf, 0.0, np.asarray(tree["threshold"], dtype=float))
            left[t, :n] = np.where(leaf, own, lefts)
            right[t, :n] = np.where(leaf, own, tree["right"])
            missing_left[t, :n] = np.asarray(tree["missing_left"], dtype=bool)
            value[t, :n] = np.where(leaf, np.asarray(tree["value"], dtype=float), 0.0)
            depth = max(depth, tree_depth(lefts, np.asarray(tree["right"], dtype=np.intp)))
        return cls(
            baseline=float(data["baseline"]),
            feature=feature,
            threshold=threshold,
            left=left,
            right=right,
            missing_left=missing_left,
            value=value,
            depth=depth,
            trees=trees,
        )


def _leaves_in_order(
    left: list[int], right: list[int]
) -> tuple[list[int], dict[int, tuple[int, int]]]:
    """A tree's leaves left to right, and for each split the range of them in its left
    subtree (positions in that order, end excluded)."""
    order: list[int] = []
    spans: dict[int, tuple[int, int]] = {}
    # (node, None) enters a node; (split, first) closes a split's left subtree, whose leaves
    # start at position ``first``: pushed between its two children, so it runs between them.
    stack: list[tuple[int, int | None]] = [(0, None)]
    while stack:
        node, first = stack.pop()
        if first is not None:
            spans[node] = (first, len(order))
        elif left[node] < 0:
            order.append(node)
        else:
            stack += [(right[node], None), (node, len(order)), (left[node], None)]
    return order, spans


def tree_depth(left: np.ndarray, right: np.ndarray) -> int:
    deepest, stack = 0, [(0, 0)]
    while stack:
        node, depth = stack.pop()
        if left[node] < 0:
            deepest = max(deepest, depth)
            continue
        stack.append((int(left[node]), depth + 1))
        stack.append((int(right[node]), depth + 1))
    return deepest


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
        """Raw sum of the trees for each row of ``x`` (:meth:`TreeEnsemble.decision_function`:
        by split masks or a walk, a bounded number of rows at a time)."""
        return self.trees.decision_function(x)

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
    def load_shipped(cls, package: str, filename: str) -> Self | None:
        """The model shipped in ``package`` as ``filename``, or None when it is missing."""
        try:
            text = resources.files(package).joinpath(filename).read_text("utf-8")
        except (FileNotFoundError, OSError):
            return None
        return cls.from_json(json.loads(text))
