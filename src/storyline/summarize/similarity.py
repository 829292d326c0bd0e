"""Cosines between a story's sentences, computed where they are needed, never as an n x n matrix.

A story of thousands of articles has tens of thousands of sentences: their dense cosine matrix
takes gigabytes (20,000 sentences, 3.2 GB). The scorers only ever need one row (the sources of a
chosen sentence), a few entries (does a candidate restate a chosen sentence?), one column per
chosen sentence (redundancy) or a per-row reduction over all rows (how many other articles say
the same thing); rows are computed in blocks of sparse products and reduced block by block, so
memory stays linear in the number of sentences.

Every value is bit-for-bit the entry of ``(V @ V.T).toarray()`` the scorers used before: scipy's
sparse product sums entry (i, j) over the words of row i in their stored order, whichever rows
or columns are computed, so summaries are unchanged (bench/summary_identity.py checks it).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy import sparse

# Rows per block of a full pass: at most BLOCK_ROWS, and fewer in a big story so that a block
# (its cosines with every sentence, a dense per-article table) never holds more than
# BLOCK_ENTRIES values: memory per block stays the same however many sentences there are.
BLOCK_ROWS = 256
BLOCK_ENTRIES = 4_000_000


class SentenceSimilarity:
    """TF-IDF cosines between the sentences of one story, on demand.

    ``vectors`` are the L2-normalised TF-IDF rows; ``article_index`` gives each sentence's
    article, in non-decreasing order (a story's sentences are listed article by article).
    """

    def __init__(self, vectors: sparse.csr_matrix, article_index: np.ndarray) -> None:
        self.vectors = vectors.tocsr()
        self.article_index = np.asarray(article_index, dtype=int)
        if np.any(np.diff(self.article_index) < 0):
            raise ValueError("sentences must be listed article by article")
        self.n_articles = int(self.article_index.max()) + 1 if self.article_index.size else 0
        self._transposed = self.vectors.T.tocsr()
        # Where each article's sentences start and end: articles are contiguous runs of rows.
        articles = np.arange(self.n_articles)
        self.article_start = np.searchsorted(self.article_index, articles, side="left")
        self.article_end = np.searchsorted(self.article_index, articles, side="right")

    def __len__(self) -> int:
        return self.vectors.shape[0]

    def row(self, index: int) -> np.ndarray:
        """Cosines of sentence ``index`` with every sentence (a dense vector of length n)."""
        return self._rows(index, index + 1).toarray().ravel()

    def pairs(self, index: int, others: list[int]) -> np.ndarray:
        """Cosines of sentence ``index`` with each of ``others``."""
        if not others:
            return np.zeros(0)
        product = self.vectors[index] @ self.vectors[others].T
        return np.asarray(product.toarray()).ravel()

    def column(self, index: int) -> np.ndarray:
        """Cosines of every sentence with sentence ``index`` (entry i is cosine(i, index) as
        row i computes it)."""
        return np.asarray((self.vectors @ self.vectors[index].T).toarray()).ravel()

    def blocks(self) -> Iterator[tuple[int, sparse.csr_matrix]]:
        """(first row, sparse cosines of a block of rows with every sentence), all rows once."""
        step = max(1, min(BLOCK_ROWS, BLOCK_ENTRIES // max(1, len(self))))
        for start in range(0, len(self), step):
            yield start, self._rows(start, min(len(self), start + step))

    def _rows(self, start: int, end: int) -> sparse.csr_matrix:
        return (self.vectors[start:end] @ self._transposed).tocsr()

    def best_in_articles(self, index: int) -> dict[int, tuple[int, float]]:
        """For each article with a sentence similar to sentence ``index`` at all (cosine > 0):
        (its most similar sentence, the cosine); the first such sentence on ties, as argmax."""
        product = self._rows(index, index + 1)
        columns, values = product.indices, product.data
        keep = values > 0
        columns, values = columns[keep], values[keep]
        if not columns.size:
            return {}
        articles = self.article_index[columns]
        # Sorted by article, then cosine (greatest first), then position (first first).
        order = np.lexsort((columns, -values, articles))
        articles, columns, values = articles[order], columns[order], values[order]
        first = np.flatnonzero(np.r_[True, articles[1:] != articles[:-1]])
        return {
            int(articles[k]): (int(columns[k]), float(values[k])) for k in first
        }  # fmt: skip

    def other_articles_at_least(self, threshold: float) -> np.ndarray:
        """For each sentence, how many other articles have a sentence with cosine >= threshold."""
        counts = np.zeros(len(self), dtype=float)
        for start, block in self.blocks():
            rows = np.repeat(np.arange(block.shape[0]), np.diff(block.indptr))
            keep = block.data >= threshold
            rows, columns = rows[keep], block.indices[keep]
            articles = self.article_index[columns]
            other = articles != self.article_index[start + rows]
            pairs = np.unique(rows[other] * max(1, self.n_articles) + articles[other])
            counts[start : start + block.shape[0]] = np.bincount(
                pairs // max(1, self.n_articles), minlength=block.shape[0]
            )
        return counts

    def best_per_article_sums(self, n_articles: int) -> np.ndarray:
        """For each sentence, the sum over the other articles of its greatest cosine with one of
        their sentences (the row sums of a sentences x articles table, built a block at a time
        so that the sum is the same as over the whole table)."""
        sums = np.zeros(len(self))
        for start, block in self.blocks():
            best = np.zeros((block.shape[0], n_articles))
            rows = np.repeat(np.arange(block.shape[0]), np.diff(block.indptr))
            np.maximum.at(best, (rows, self.article_index[block.indices]), block.data)
            own = self.article_index[start : start + block.shape[0]]
            best[np.arange(block.shape[0]), own] = 0.0
            sums[start : start + block.shape[0]] = best.sum(axis=1)
        return sums
