"""The online clusterer's numbers as numpy arrays: term ids, article vectors, story sums, index.

The clusterer compares each arriving article with a handful of stories over nine term groups
(:data:`storyline.cluster.features.GROUPS`). Done with a Python dict per group and story, the
dot products and dict updates were most of its time; here

* every term of a kind gets an integer id (:class:`Vocabulary`, which also holds the document
  frequencies the IDF is computed from, as an array);
* an article's unit TF-IDF vectors of all groups are one sorted array of keys
  ``term_id * KEY_GROUPS + group`` with their weights (:class:`ArticleVectors`), and a story's
  summed vectors are the same kind of arrays (:class:`StoryVectors`), so the nine dot
  products of an article and a story are one ``searchsorted`` and one ``bincount``;
* the inverted index over the retrieval group keeps, per term, the story slots and weights as
  arrays (:class:`PostingIndex`), so summing the postings of the probe terms is a
  ``concatenate`` and a ``bincount``.

The arithmetic is the same as the dict version's ((1 + log tf) * idf, L2-normalised, the
heaviest terms kept); only the order of floating-point sums differs, i.e. the last bits.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable

import numpy as np

from storyline.cluster.features import GROUPS, KINDS, PackedTerms

KEY_GROUPS = 16  # > len(GROUPS): a key's group is key % KEY_GROUPS
GROUP_INDEX = {group: number for number, group in enumerate(GROUPS)}
KIND_OF_GROUP = [KINDS.index(group.split("_", 1)[0]) for group in GROUPS]


class Vocabulary:
    """Term ids of one kind of term, and each term's document frequency."""

    __slots__ = ("frequency", "ids", "terms")

    def __init__(self, counts: dict[str, int] | None = None) -> None:
        self.ids: dict[str, int] = {}
        self.terms: list[str] = []
        self.frequency = np.zeros(1024, dtype=np.int64)
        if counts:
            self.lookup(counts.keys())
            self.frequency[: len(self.terms)] = np.fromiter(counts.values(), np.int64, len(counts))

    def lookup(self, terms: Iterable[str]) -> np.ndarray:
        """The ids of ``terms`` (new terms get the next ids, with frequency 0)."""
        ids = self.ids
        terms = terms if isinstance(terms, list | tuple) else list(terms)
        found = list(map(ids.get, terms))
        if None in found:
            for position, term in enumerate(terms):
                if found[position] is None:
                    number = ids.get(term)
                    if number is None:  # the same new term twice in one call gets one id
                        number = ids[term] = len(self.terms)
                        self.terms.append(term)
                    found[position] = number
            if len(self.terms) > len(self.frequency):
                grown = np.zeros(max(2 * len(self.frequency), len(self.terms)), dtype=np.int64)
                grown[: len(self.frequency)] = self.frequency
                self.frequency = grown
        return np.array(found, dtype=np.int64)

    def counts(self) -> dict[str, int]:
        return dict(zip(self.terms, self.frequency[: len(self.terms)].tolist(), strict=True))


def unit_weights(
    counts: Counter[str], ids: np.ndarray, idf: np.ndarray, limit: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """(ids, weights) of a unit TF-IDF vector, (1 + log tf) * idf, the heaviest ``limit``."""
    tf = np.fromiter(counts.values(), np.float64, len(counts))
    weights = np.where(tf == 1.0, 1.0, 1.0 + np.log(tf)) * idf
    if limit is not None and len(weights) > limit:
        # Stable, like sorted(..., reverse=True): equal weights keep their first-seen order.
        keep = np.argsort(-weights, kind="stable")[:limit]
        ids, weights = ids[keep], weights[keep]
    norm = float(np.sqrt(weights @ weights)) or 1.0
    return ids, weights / norm


class ArticleVectors:
    """One article's unit vectors of every computed group, as sorted keys and weights."""

    __slots__ = ("groups", "keys", "retrieval_ids", "retrieval_weights", "units", "weights")

    def __init__(
        self,
        keys: np.ndarray,
        weights: np.ndarray,
        units: np.ndarray,
        retrieval_ids: np.ndarray,
        retrieval_weights: np.ndarray,
    ) -> None:
        order = np.argsort(keys)
        self.keys = keys[order]
        self.weights = weights[order]
        self.groups = self.keys % KEY_GROUPS
        self.units = units  # per group: 1 for a group with terms (|v| = 1), else 0
        # The retrieval group's terms, heaviest first (equal weights: first seen first).
        self.retrieval_ids = retrieval_ids
        self.retrieval_weights = retrieval_weights

    def heaviest(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``count`` heaviest retrieval terms (ids, weights), heaviest first."""
        return self.retrieval_ids[:count], self.retrieval_weights[:count]


def vectorize(
    packed: PackedTerms,
    vocabularies: list[Vocabulary],
    seen: int,
    used: np.ndarray | None,
    limits: np.ndarray,
    retrieval_group: int,
) -> ArticleVectors:
    """Count an article into the document frequencies; its unit TF-IDF vectors.

    ``used`` (bool per group; None: all) says which groups to compute, ``limits`` how many
    of a group's heaviest terms to keep. Per group this is :func:`unit_weights`, all groups at once.
    """
    ids = []
    for vocabulary, terms in zip(vocabularies, packed.terms, strict=True):
        kind_ids = vocabulary.lookup(terms)
        vocabulary.frequency[kind_ids] += 1  # ids are distinct: a plain += counts once
        ids.append((kind_ids, vocabulary.frequency[kind_ids]))
    term_ids = np.concatenate([i for i, _ in ids])
    frequency = np.concatenate([f for _, f in ids])
    idf = math.log(1 + seen) - np.log(1.0 + frequency) + 1.0
    if used is None:  # every group: the arrays as they are (four numpy calls fewer)
        groups, positions, weights = packed.groups, packed.positions, packed.tf_weights
    else:
        keep = used[packed.groups]
        groups, positions, weights = (
            packed.groups[keep],
            packed.positions[keep],
            packed.tf_weights[keep],
        )
    weights = weights * idf[positions]
    # Heaviest first within each group; lexsort is stable, so equal weights keep their order.
    order = np.lexsort((-weights, groups))
    groups, positions, weights = groups[order], positions[order], weights[order]
    starts = np.searchsorted(groups, np.arange(len(GROUPS)))
    rank = np.arange(len(groups)) - starts[groups]
    kept = rank < limits[groups]
    groups, positions, weights = groups[kept], positions[kept], weights[kept]
    norms = np.sqrt(np.bincount(groups, weights=weights * weights, minlength=len(GROUPS)))
    weights = weights / np.where(norms > 0, norms, 1.0)[groups]
    term_ids = term_ids[positions]
    units = (np.bincount(groups, minlength=len(GROUPS)) > 0).astype(np.float64)
    retrieval = groups == retrieval_group
    return ArticleVectors(
        term_ids * KEY_GROUPS + groups,
        weights,
        units,
        term_ids[retrieval],
        weights[retrieval],
    )


def cosine_rows(article: ArticleVectors, stories: list[StoryVectors]) -> np.ndarray:
    """The article's cosine with each story, per group: one row per story.

    Each story's keys are searched for the article's (``m log n`` for an article of ``m``
    keys, whatever the story's size), and the products are summed in one ``bincount``.
    A story's products fill one row of a zeroed matrix (0 where a key is not in the story):
    a handful of numpy calls per story, where gathering the hits alone took twice as many,
    and numpy's per-call cost is most of the time for a ~500-key article. The sums are the
    same to the bit: every product is positive (both weights are), and ``x + 0.0 == x``.
    """
    count = len(stories)
    rows = np.zeros((count, len(GROUPS)))
    size = len(article.keys)
    if not count or not size:
        return rows
    keys, weights = article.keys, article.weights
    products = np.zeros((count, size))
    for number, story in enumerate(stories):
        story_keys = story.keys
        if not len(story_keys):
            continue
        positions = story_keys.searchsorted(keys)
        # Past the end: the last key, which is smaller than the article's, so no match.
        np.minimum(positions, len(story_keys) - 1, out=positions)
        hit = story_keys.take(positions) == keys
        np.multiply(weights, story.weights.take(positions), out=products[number], where=hit)
    cells = article.groups + np.arange(0, count * KEY_GROUPS, KEY_GROUPS)[:, None]
    dots = np.bincount(cells.ravel(), weights=products.ravel(), minlength=count * KEY_GROUPS)
    dots = dots.reshape(count, KEY_GROUPS)[:, : len(GROUPS)]
    norms = np.array([s.squared_norms for s in stories])
    usable = (article.units[None, :] > 0) & (norms > 0)
    np.divide(dots, np.sqrt(np.where(usable, norms, 1.0)), out=rows, where=usable)
    return rows


class StoryVectors:
    """A story's summed unit vectors (sorted keys, weights) and each group's squared norm."""

    __slots__ = ("keys", "squared_norms", "weights")

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)
        self.weights = np.zeros(0)
        self.squared_norms = np.zeros(len(GROUPS))

    def add(self, article: ArticleVectors) -> np.ndarray:
        """Sum the article in; the positions of its keys in the story's keys afterwards."""
        if not len(self.keys):
            self.keys, self.weights = article.keys.copy(), article.weights.copy()
            self.squared_norms = self.squared_norms + article.units
            return np.arange(len(self.keys))
        positions = np.searchsorted(self.keys, article.keys)
        clipped = np.minimum(positions, len(self.keys) - 1)
        hit = self.keys[clipped] == article.keys
        hits = clipped[hit]
        dots = np.bincount(
            article.groups[hit],
            weights=article.weights[hit] * self.weights[hits],
            minlength=len(GROUPS),
        )
        # |s + v|^2 = |s|^2 + 2 s.v + |v|^2 with |v| = 1 (or 0 for an empty group)
        self.squared_norms = self.squared_norms + 2 * dots + article.units
        self.weights[hits] += article.weights[hit]
        new = ~hit
        if not new.any():
            return clipped
        # The new keys go in before the story key they were found at. As the article's keys
        # are sorted and distinct, its key j ends up at positions[j] plus the number of new
        # keys before j: one merge for keys and weights (np.insert twice and a search again
        # cost three times as much).
        final = positions + (np.cumsum(new) - new)
        placed = final[new]
        old = np.ones(len(self.keys) + len(placed), dtype=bool)
        old[placed] = False
        keys = np.empty(len(old), dtype=np.int64)
        keys[old] = self.keys
        keys[placed] = article.keys[new]
        summed = np.empty(len(old))
        summed[old] = self.weights
        summed[placed] = article.weights[new]
        self.keys, self.weights = keys, summed
        return final

    def absorb(self, other: StoryVectors) -> None:
        keys = np.concatenate([self.keys, other.keys])
        merged, inverse = np.unique(keys, return_inverse=True)
        self.weights = np.bincount(
            inverse, weights=np.concatenate([self.weights, other.weights]), minlength=len(merged)
        )
        self.keys = merged
        self.squared_norms = np.bincount(
            self.keys % KEY_GROUPS, weights=self.weights * self.weights, minlength=len(GROUPS)
        )

    def group(self, group: int) -> tuple[np.ndarray, np.ndarray]:
        """(term ids, weights) of one group, by term id."""
        mask = self.keys % KEY_GROUPS == group
        return self.keys[mask] // KEY_GROUPS, self.weights[mask]


class _Posting:
    # array.array, not numpy arrays: an ingest sets and removes one entry at a time (a numpy
    # item costs several times as much), and ``dots`` reads them through zero-copy views.
    __slots__ = ("slots", "weights", "where")

    def __init__(self) -> None:
        self.slots = array("q")
        self.weights = array("d")
        self.where: dict[int, int] = {}  # slot -> position in the arrays


class PostingIndex:
    """Term id -> the active stories (by slot) holding it, with the story's weight for it."""

    def __init__(self) -> None:
        self.postings: dict[int, _Posting] = {}

    def __len__(self) -> int:
        return len(self.postings)

    def set(self, slot: int, ids: Iterable[int], weights: Iterable[float]) -> None:
        postings = self.postings
        for term, weight in zip(ids, weights, strict=True):
            posting = postings.get(term)
            if posting is None:
                posting = postings[term] = _Posting()
            position = posting.where.get(slot)
            if position is None:
                posting.where[slot] = len(posting.slots)
                posting.slots.append(slot)
                posting.weights.append(weight)
            else:
                posting.weights[position] = weight

    def remove(self, slot: int, ids: Iterable[int]) -> None:
        postings = self.postings
        for term in ids:
            posting = postings.get(term)
            if posting is None:
                continue
            position = posting.where.pop(slot, None)
            if position is None:
                continue
            slots, weights = posting.slots, posting.weights
            last = len(slots) - 1
            if position != last:  # the last entry fills the hole
                moved = slots[position] = slots[last]
                weights[position] = weights[last]
                posting.where[moved] = position
            slots.pop()
            weights.pop()
            if not last:
                del postings[term]

    def dots(self, ids: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(slots, partial dot products) of every story sharing a term with the probe."""
        postings = self.postings
        found = [
            (posting, weight)
            for term, weight in zip(ids.tolist(), weights.tolist(), strict=True)
            if (posting := postings.get(term)) is not None
        ]
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        # The postings' buffers joined once (bytes.join reads an array.array's buffer): three
        # numpy calls a probe term were most of this. Each story weight is multiplied by
        # its term's weight as before, and summed in the same order.
        every_slot = np.frombuffer(b"".join([p.slots for p, _ in found]), dtype=np.int64)
        story_weights = np.frombuffer(b"".join([p.weights for p, _ in found]), dtype=np.float64)
        scale = np.repeat([w for _, w in found], [len(p.slots) for p, _ in found])
        summed = np.bincount(every_slot, weights=story_weights * scale)
        present = np.zeros(len(summed), dtype=bool)
        present[every_slot] = True
        slots = np.flatnonzero(present)
        return slots, summed[slots]


__all__ = [
    "GROUP_INDEX",
    "KEY_GROUPS",
    "KIND_OF_GROUP",
    "ArticleVectors",
    "PostingIndex",
    "StoryVectors",
    "Vocabulary",
    "cosine_rows",
    "unit_weights",
    "vectorize",
]
