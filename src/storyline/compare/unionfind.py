"""Disjoint sets: which mentions, quotes, dated events or names are the same thing.

One union-find for the comparison (it had four copies). ``union(a, b)`` hangs the root of
``a`` under the root of ``b``; with ``prefer`` the root with the larger ``prefer`` value is
kept instead (the entity table keeps the longest, most informative form as its root).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    def __init__(self, items: Iterable[T] = (), *, prefer: Callable[[T], Any] | None = None):
        self.parent: dict[T, T] = {item: item for item in items}
        self.prefer = prefer

    def find(self, x: T) -> T:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving
            x = parent[x]
        return x

    def union(self, a: T, b: T) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return
        if self.prefer is not None and self.prefer(root_a) > self.prefer(root_b):
            root_a, root_b = root_b, root_a
        self.parent[root_a] = root_b

    def groups(self, items: Iterable[T]) -> dict[T, list[T]]:
        """The members of each set among ``items``, in their order, keyed by root."""
        found: dict[T, list[T]] = {}
        for item in items:
            found.setdefault(self.find(item), []).append(item)
        return found
