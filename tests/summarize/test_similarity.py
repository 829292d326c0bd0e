"""Sentence cosines on demand: the same values as the dense matrix, never its memory."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from storyline.model import Article
from storyline.summarize import build
from storyline.summarize import similarity as similarity_module
from storyline.summarize.extractive import summarize_story
from storyline.summarize.similarity import BLOCK_ROWS, SentenceSimilarity
from storyline.summarize.support import MEDIUM_SIMILARITY

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mds" / "mini.jsonl"


@pytest.fixture(scope="module")
def dense(example_story) -> np.ndarray:
    """The n x n matrix the scorers used before, as the reference (the example is small)."""
    return (example_story.vectors @ example_story.vectors.T).toarray()


def test_rows_columns_and_pairs_are_the_dense_entries_bit_for_bit(example_story, dense) -> None:
    similarity = example_story.similarity
    n = len(example_story.sentences)
    assert len(similarity) == n
    others = list(range(0, n, 3))
    for index in range(n):
        assert np.array_equal(similarity.row(index), dense[index])
        assert np.array_equal(similarity.column(index), dense[:, index])
        assert np.array_equal(similarity.pairs(index, others), dense[index, others])


def test_per_article_reductions_match_the_dense_table(
    example_story, dense, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small blocks, so the reductions cross many block boundaries; no product ever holds more
    # than one block of rows.
    monkeypatch.setattr(similarity_module, "BLOCK_ROWS", 16)
    computed: list[int] = []
    rows = SentenceSimilarity._rows

    def recording_rows(self: SentenceSimilarity, start: int, end: int):
        block = rows(self, start, end)
        computed.append(block.shape[0])
        return block

    monkeypatch.setattr(SentenceSimilarity, "_rows", recording_rows)
    article_index = example_story.article_index
    n_articles = len(example_story.articles)
    table = np.zeros((len(article_index), n_articles))
    for article in range(n_articles):
        table[:, article] = dense[:, article_index == article].max(axis=1)
    table[np.arange(len(article_index)), article_index] = 0.0
    similarity = example_story.similarity
    counts = similarity.other_articles_at_least(MEDIUM_SIMILARITY)
    assert np.array_equal(counts, (table >= MEDIUM_SIMILARITY).sum(axis=1))
    assert counts.max() >= 1  # the five sources restate each other
    assert np.array_equal(similarity.best_per_article_sums(n_articles), table.sum(axis=1))
    assert max(computed) == 16
    assert sum(computed) == 2 * len(article_index)  # every row once per pass


def test_best_sentence_per_article_is_the_first_argmax(example_story, dense) -> None:
    similarity = example_story.similarity
    article_index = example_story.article_index
    for index in range(0, len(article_index), 5):
        best = similarity.best_in_articles(index)
        for article in range(len(example_story.articles)):
            members = np.flatnonzero(article_index == article)
            top = int(members[np.argmax(dense[index, members])])
            if dense[index, top] > 0:
                assert best[article] == (top, dense[index, top])
            else:
                assert article not in best


def _big_story():
    documents = [d for line in MINI.open(encoding="utf-8") for d in json.loads(line)["documents"]]
    # Eight copies with new ids: a story of about 2,400 sentences whose n x n float64 cosine
    # matrix would take 47 MB.
    return build(
        [Article(id=f"a{copy}-{i}", text=t) for copy in range(8) for i, t in enumerate(documents)]
    )


@pytest.mark.slow
def test_summarizing_a_big_story_never_allocates_an_n_by_n_matrix(example_story) -> None:
    summarize_story(example_story, words=100)  # load the shipped models before measuring
    story = _big_story()
    n = len(story.sentences)
    assert n > 2_000
    tracemalloc.start()
    try:
        for method in ("storyline", "centroid"):
            summary = summarize_story(story, words=100, method=method)
            assert summary and all(s.citations for s in summary)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    dense_bytes = n * n * 8
    # Blocks of BLOCK_ROWS rows at a time: far below one dense matrix.
    assert peak < dense_bytes / 4, (peak, dense_bytes)
    assert n / 4 > BLOCK_ROWS


@pytest.mark.slow
def test_copies_of_an_article_support_each_other_in_the_citations() -> None:
    story = _big_story()
    summary = summarize_story(story, words=60)
    # Every summary sentence is stated by all eight copies of its article (cosine 1).
    assert summary
    for sentence in summary:
        cited = {c.article_id.split("-")[0] for c in sentence.citations}
        assert cited == {f"a{copy}" for copy in range(8)}


def test_a_bigger_story_gets_smaller_blocks(example_story, monkeypatch: pytest.MonkeyPatch) -> None:
    similarity = example_story.similarity
    n = len(similarity)
    # As if the story were so big that only 7 rows of cosines fit the block budget.
    monkeypatch.setattr(similarity_module, "BLOCK_ENTRIES", 7 * n + 3)
    shapes = [block.shape for _, block in similarity.blocks()]
    assert {rows for rows, _ in shapes[:-1]} == {7}
    assert sum(rows for rows, _ in shapes) == n
    assert {columns for _, columns in shapes} == {n}
