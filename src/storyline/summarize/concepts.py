"""The concepts of a story (stemmed word bigrams) and what each one looks like across its sources.

A concept's features describe how the story's articles use it: how many articles and sentences
state it, how early (relative and absolute position of its first use, whether some article's
lead states it), how specific it is (stop words, numbers, capitalised names, word length, how
widely its two words are used apart), and the size of the story. A learned model
(:mod:`.concept_model`) turns them into the probability that a human summary of the story uses
the bigram, after supervised bigram weighting for summarization (Li, Qian & Liu 2013).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from storyline.summarize.units import StorySentences
from storyline.text.tokens import STOP_WORDS, cased_words, stem, words

FEATURES = [
    "articles_share",  # share of the story's articles that use the concept
    "log_articles",
    "single_article",
    "log_sentences",  # sentences that use it
    "sentence_share",
    "rarity",  # log(sentences of the story / sentences that use it)
    "first_relative",  # earliest relative position (0 = first sentence, 1 = last)
    "mean_relative",
    "log_first_position",  # earliest absolute sentence index, log(1 + i)
    "lead1_articles_share",  # share of articles whose first sentence uses it
    "lead3_articles_share",
    "in_lead1",
    "in_lead2",
    "in_lead3",
    "stop_words",  # how many of its two words are stop words
    "numbers",
    "capitalised",  # share of its uses with a capitalised word not at the sentence start
    "mean_word_length",
    "word_articles_min",  # share of articles using the rarer / commoner of its two words
    "word_articles_max",
    "candidate_share",  # share of its sentences that could go in a summary
    "centrality_max",  # cosine of its sentences' TF-IDF rows with the story's mean row
    "centrality_mean",
    "log_story_articles",
    "log_story_sentences",
]


@dataclass
class Concepts:
    """The binary sentence x concept matrix of a story, its vocabulary and per-concept facts."""

    matrix: sparse.csr_matrix
    bigrams: list[tuple[str, str]]
    capitalised: np.ndarray  # uses with a capitalised non-initial word
    numbers: np.ndarray
    stop_words: np.ndarray
    word_length: np.ndarray

    @property
    def size(self) -> int:
        return len(self.bigrams)


def bigrams_of(text: str) -> list[tuple[str, str]]:
    """Stemmed bigrams of a text, not two stop words (the same rule for sources and references)."""
    tokens = [stem(w) for w in words(text)]
    return [
        (a, b) for a, b in itertools.pairwise(tokens)
        if not (a in STOP_WORDS and b in STOP_WORDS)
    ]  # fmt: skip


def extract(story: StorySentences) -> Concepts:
    vocabulary: dict[tuple[str, str], int] = {}
    rows: list[int] = []
    columns: list[int] = []
    capitalised: list[float] = []
    for row, sentence in enumerate(story.sentences):
        raw = cased_words(sentence.text)
        tokens = [stem(w.lower()) for w in raw]
        capital = [i > 0 and w[:1].isupper() for i, w in enumerate(raw)]
        seen: set[int] = set()
        for i, (a, b) in enumerate(itertools.pairwise(tokens)):
            if a in STOP_WORDS and b in STOP_WORDS:
                continue
            column = vocabulary.setdefault((a, b), len(vocabulary))
            if column == len(capitalised):
                capitalised.append(0.0)
            if column in seen:
                continue
            seen.add(column)
            rows.append(row)
            columns.append(column)
            capitalised[column] += capital[i] or capital[i + 1]
    bigrams = list(vocabulary)
    shape = (len(story.sentences), len(bigrams))
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=shape)
    return Concepts(
        matrix=matrix,
        bigrams=bigrams,
        capitalised=np.array(capitalised, dtype=float),
        numbers=np.array([sum(c.isdigit() for c in a + b) > 0 for a, b in bigrams], dtype=float),
        stop_words=np.array(
            [(a in STOP_WORDS) + (b in STOP_WORDS) for a, b in bigrams], dtype=float
        ),
        word_length=np.array([(len(a) + len(b)) / 2 for a, b in bigrams], dtype=float),
    )


def article_counts(story: StorySentences, matrix: sparse.csr_matrix) -> np.ndarray:
    """How many of the story's articles use each column of ``matrix``."""
    n_sentences = len(story.sentences)
    per_article = sparse.csr_matrix(
        (np.ones(n_sentences), (story.article_index, np.arange(n_sentences))),
        shape=(len(story.articles), n_sentences),
    )
    return np.asarray(((per_article @ matrix) > 0).sum(axis=0)).ravel().astype(float)


def features(story: StorySentences, concepts: Concepts) -> np.ndarray:
    """One row of :data:`FEATURES` per concept."""
    matrix = concepts.matrix
    if concepts.size == 0:
        return np.zeros((0, len(FEATURES)))
    n_articles = max(1, len(story.articles))
    n_sentences = max(1, len(story.sentences))
    articles = article_counts(story, matrix)
    sentences = np.asarray(matrix.sum(axis=0)).ravel()
    first_relative = _column_min(matrix, story.relative_position)
    mean_relative = (matrix.T @ story.relative_position) / sentences
    first_position = _column_min(matrix, story.position.astype(float))

    def lead_articles(k: int) -> np.ndarray:
        keep = sparse.diags((story.position < k).astype(float)) @ matrix
        return article_counts(story, keep.tocsr())

    lead1 = lead_articles(1)
    lead2 = lead_articles(2)
    lead3 = lead_articles(3)

    # How widely each word is used on its own, per article.
    words = sorted({w for bigram in concepts.bigrams for w in bigram})
    index = {w: i for i, w in enumerate(words)}
    first = np.array([index[a] for a, _ in concepts.bigrams])
    second = np.array([index[b] for _, b in concepts.bigrams])
    to_words = sparse.csr_matrix(
        (np.ones(2 * concepts.size), (np.concatenate([np.arange(concepts.size)] * 2),
                                      np.concatenate([first, second]))),
        shape=(concepts.size, len(words)),
    )  # fmt: skip
    word_articles = article_counts(story, (matrix @ to_words).tocsr()) / n_articles
    candidates = (matrix.T @ story.is_candidate.astype(float)) / sentences
    return np.column_stack(
        [
            articles / n_articles,
            np.log(articles),
            (articles == 1).astype(float),
            np.log(sentences),
            sentences / n_sentences,
            np.log(n_sentences / sentences),
            first_relative,
            mean_relative,
            np.log1p(first_position),
            lead1 / n_articles,
            lead3 / n_articles,
            (lead1 > 0).astype(float),
            (lead2 > 0).astype(float),
            (lead3 > 0).astype(float),
            concepts.stop_words,
            concepts.numbers,
            concepts.capitalised / sentences,
            concepts.word_length,
            np.minimum(word_articles[first], word_articles[second]),
            np.maximum(word_articles[first], word_articles[second]),
            candidates,
            column_max(matrix, story.centrality),
            (matrix.T @ story.centrality) / sentences,
            np.full(concepts.size, np.log(n_articles)),
            np.full(concepts.size, np.log(n_sentences)),
        ]
    )


def column_max(matrix: sparse.csr_matrix, values: np.ndarray) -> np.ndarray:
    """For each column, the greatest of ``values`` over the rows where the column is set."""
    return -_column_min(matrix, -values)


def _column_min(matrix: sparse.csr_matrix, values: np.ndarray) -> np.ndarray:
    """For each column, the least of ``values`` over the rows where the column is set."""
    csc = matrix.tocsc()
    csc.sort_indices()
    data = values[csc.indices]
    starts = csc.indptr[:-1]
    out = np.full(csc.shape[1], np.inf)
    nonempty = csc.indptr[1:] > starts
    if data.size:
        out[nonempty] = np.minimum.reduceat(data, starts[nonempty])
    return out
