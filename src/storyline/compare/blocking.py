"""Which pairs of items can pass a similarity test at all, found without trying every pair.

The comparison steps match sentences, quotes and dates across a story's sources by word
overlap. Trying every pair costs the square of the story: 400 articles took 3.5 times as long as
200. Most pairs share no word, or too few to pass; an inverted index and *prefix filtering*
(Chaudhuri, Ganti & Kaushik 2006; Bayardo, Ma & Srikant 2007) find every pair that might pass,
and only those are tested, with the very test as before, so the result does not change.

Prefix filtering: order all tokens from rarest to commonest. If a set of ``m`` tokens must
share ``t`` of them with another set, then one of its first ``m - t + 1`` tokens is shared (else
at most ``t - 1`` are). So each set looks up only its rare prefix in the index of every set.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence

# Tokens of its prefix a pair must meet in (see ``overlap_candidates``).
HITS = 2


def least_shared(threshold: float, size: int) -> int:
    """The smallest count ``k`` with ``k / size >= threshold`` (the test as the code writes it,
    in floating point), at least 1."""
    if size <= 0:
        return 1
    k = max(1, int(threshold * size))
    while k > 1 and (k - 1) / size >= threshold:
        k -= 1
    while k / size < threshold:
        k += 1
    return k


def overlap_candidates(
    sets: Sequence[frozenset[Hashable]], required: Callable[[int], int], hits: int = HITS
) -> set[tuple[int, int]]:
    """Every pair ``(i, j)``, ``i < j``, whose sets could share ``required(m)`` tokens, where
    ``m`` is the size of the smaller set (an overlap coefficient test); a superset of the pairs
    that pass, usually a small one.

    The prefix is ``hits - 1`` tokens longer than the least one and a pair must meet in
    ``hits`` of its tokens (or in ``required(m)``, if that is fewer): a set sharing ``t``
    tokens with another shares at least ``k`` of its first ``m - t + k``, since at most
    ``t - k`` come after them. With one hit, a quote meets every quote that shares one rare
    word with it; two hits drop most of those pairs (most sharing one word only).
    """
    frequency: Counter[Hashable] = Counter(token for tokens in sets for token in tokens)
    postings: defaultdict[Hashable, list[int]] = defaultdict(list)
    for index, tokens in enumerate(sets):
        for token in tokens:
            postings[token].append(index)
    sizes = [len(tokens) for tokens in sets]
    # A total order of the tokens, rarest first (ties by first appearance: the order only has
    # to be the same for every set).
    rank = {token: n for n, (token, _) in enumerate(sorted(frequency.items(), key=_by_count))}
    pairs: set[tuple[int, int]] = set()
    for index, tokens in enumerate(sets):
        size = sizes[index]
        if not size:
            continue  # an empty set shares nothing
        need = required(size)
        if need > size:
            continue  # too small to share that many with any set at least as large
        least = max(1, min(hits, need))
        met: Counter[int] = Counter()
        for token in sorted(tokens, key=rank.__getitem__)[: size - need + least]:
            met.update(postings[token])
        for other, count in met.items():
            if count >= least and other != index and sizes[other] >= size:
                pairs.add((min(index, other), max(index, other)))
    return pairs


def _by_count(item: tuple[Hashable, int]) -> int:
    return item[1]


def occurrences(words: Sequence[str]) -> frozenset[tuple[str, int]]:
    """A word list as a set of (word, n-th occurrence): the size of the intersection of two
    such sets is the size of the multiset intersection of the lists."""
    seen: Counter[str] = Counter()
    out = []
    for word in words:
        seen[word] += 1
        out.append((word, seen[word]))
    return frozenset(out)
