"""Dedupe split in two: MinHash signatures (a pure map, run in parallel) and the LSH pass.

:func:`storyline.dedupe.dedupe` signs each article inside its loop; at scale the signing is the
cost (every 5-shingle hashed ``permutations`` times) and needs nothing but the article, so an
engine computes the signatures in parallel and only the index pass, which holds state, runs in
one place. The pass here makes the same decisions as :func:`storyline.dedupe.dedupe` (richest
copy first, same threshold, same tie rule), which ``tests/engine`` checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from storyline.dedupe import _shingles, dedupe
from storyline.model import Article, Duplicate
from storyline.stages import Deduplicated

if TYPE_CHECKING:
    from datasketch import MinHash


@lru_cache(maxsize=1)
def _datasketch() -> tuple[Any, Any, Any]:
    """datasketch's MinHash and MinHashLSH, and a default MinHash's hashing scheme (which
    signatures rebuilt from hash values must say). Imported on first use, not with the module:
    datasketch pulls in scipy (about 0.4 s), which every command would pay through the CLI's
    import of the engines."""
    from datasketch import MinHash, MinHashLSH

    return MinHash, MinHashLSH, MinHash(num_perm=16).scheme


def signature(article: Article, permutations: int) -> np.ndarray:
    """The MinHash hash values of an article's word 5-shingles (datasketch, seed 1)."""
    MinHash = _datasketch()[0]
    minhash = MinHash(num_perm=permutations)
    minhash.update_batch(list(_shingles(article.text)))
    return minhash.hashvalues


def dedupe_signed(
    articles: Sequence[Article],
    hashvalues: Sequence[np.ndarray],
    *,
    threshold: float,
    permutations: int,
) -> Deduplicated:
    """The LSH pass of :func:`storyline.dedupe.dedupe` over precomputed signatures."""
    MinHash, _, scheme = _datasketch()
    signed = [MinHash(num_perm=permutations, hashvalues=h, scheme=scheme) for h in hashvalues]
    return dedupe(articles, threshold=threshold, permutations=permutations, signatures_given=signed)


class WindowedIndex:
    """The LSH pass for an endless stream: first copy kept, copies looked for within a window.

    Syndicated copies of a wire story appear within days of each other, so an article leaves
    the index ``window_days`` after it arrived; memory is then bounded by the articles of one
    window, not the whole stream. Unlike the batch pass, the copy kept is the first to arrive
    (the stream cannot wait for a richer one).
    """

    def __init__(self, *, threshold: float, permutations: int, window_days: float = 7.0) -> None:
        self.permutations = permutations
        self.window_seconds = window_days * 86_400.0
        self._lsh = _datasketch()[1](threshold=threshold, num_perm=permutations)
        self._signatures: dict[str, MinHash] = {}
        self._arrivals: list[tuple[float, str]] = []  # (time, id) in arrival order
        self._oldest = 0

    def __len__(self) -> int:
        return len(self._signatures)

    def offer(self, article_id: str, hashvalues: np.ndarray, time: float) -> Duplicate | None:
        """None when the article is new (it joins the index), else the duplicate it is."""
        self._expire(time)
        if article_id in self._signatures:
            return Duplicate(dropped=article_id, kept=article_id, reason="exact duplicate")
        MinHash, _, scheme = _datasketch()
        signed = MinHash(num_perm=self.permutations, hashvalues=hashvalues, scheme=scheme)
        matches = self._lsh.query(signed)
        if matches:
            best = max(matches, key=lambda key: signed.jaccard(self._signatures[key]))
            score = signed.jaccard(self._signatures[best])
            return Duplicate(
                dropped=article_id,
                kept=best,
                reason=f"near duplicate (estimated Jaccard {score:.2f})",
            )
        self._lsh.insert(article_id, signed)
        self._signatures[article_id] = signed
        self._arrivals.append((time, article_id))
        return None

    def _expire(self, now: float) -> None:
        while self._oldest < len(self._arrivals) and (
            now - self._arrivals[self._oldest][0] > self.window_seconds
        ):
            _, old = self._arrivals[self._oldest]
            self._lsh.remove(old)
            del self._signatures[old]
            self._oldest += 1
        if self._oldest > 10_000:  # drop the expired prefix now and then, not on every call
            del self._arrivals[: self._oldest]
            self._oldest = 0


__all__ = ["WindowedIndex", "dedupe_signed", "signature"]
