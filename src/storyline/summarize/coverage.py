"""storyline's default extractive summarizer: cover what many sources say, within a word budget.

A *concept* is a stemmed word bigram (not two stop words). Its weight is the number of articles
that use it, so a fact that several sources state is worth more than one only one source states
(with fewer than three articles, the count of sentences using it stands in). Sentences are chosen
greedily by the weight of concepts they add that are not covered yet, plus a lead-position prior,
per word of length (concept-coverage summarization, after Gillick & Favre 2009, solved greedily).
A sentence that restates a chosen one (the citation rule of :mod:`support`) is never added: it
only adds citations to the sentence already chosen.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from storyline.summarize.support import restates
from storyline.summarize.units import StorySentences
from storyline.text.tokens import STOP_WORDS, stem, words

SINGLE_ARTICLE_LEAD_FACTOR = 4.0


@dataclass(frozen=True)
class CoverageConfig:
    """The knobs of the objective; bench/summarization_ablation.py measures each one."""

    position_weight: float = 10.0  # weight of the lead prior 1/sqrt(1 + position)
    length_exponent: float = 0.7  # gain per word**exponent: 0 ignores length, 1 is gain per word
    # A summary should read as several sentences, not two long ones: sentences longer than
    # budget / target_sentences words pay an extra (words / that length) ** long_penalty.
    target_sentences: int = 5
    long_penalty: float = 1.0
    min_articles: int = 2  # a concept counts when this many articles use it
    lead_bonus: float = 0.5  # extra weight of concepts that some article states in its lead
    lead_sentences: int = 3
    skip_restatements: bool = True


def concept_matrix(
    story: StorySentences, min_articles: int = 2
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Binary sentence x concept matrix, and each concept's weight."""
    vocabulary: dict[tuple[str, str], int] = {}
    rows: list[int] = []
    columns: list[int] = []
    for row, sentence in enumerate(story.sentences):
        tokens = [stem(w) for w in words(sentence.text)]
        bigrams = {
            (a, b) for a, b in itertools.pairwise(tokens)
            if not (a in STOP_WORDS and b in STOP_WORDS)
        }  # fmt: skip
        for bigram in bigrams:
            rows.append(row)
            columns.append(vocabulary.setdefault(bigram, len(vocabulary)))
    shape = (len(story.sentences), len(vocabulary))
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=shape)
    return matrix, np.zeros(0) if not vocabulary else _weights(story, matrix, min_articles)


def _lead_bonus(
    story: StorySentences, matrix: sparse.csr_matrix, config: CoverageConfig
) -> np.ndarray:
    """Journalists put what matters first: concepts of some article's lead weigh more."""
    lead_rows = np.flatnonzero(story.position < config.lead_sentences)
    in_lead = np.asarray(matrix[lead_rows].sum(axis=0)).ravel() > 0
    return 1.0 + config.lead_bonus * in_lead


def _weights(story: StorySentences, matrix: sparse.csr_matrix, min_articles: int) -> np.ndarray:
    n_articles = len(story.articles)
    if n_articles >= 3:
        per_article = sparse.csr_matrix(
            (np.ones(len(story.sentences)), (story.article_index, np.arange(len(story.sentences)))),
            shape=(n_articles, len(story.sentences)),
        )
        weights = np.asarray(((per_article @ matrix) > 0).sum(axis=0)).ravel().astype(float)
        weights[weights < min_articles] = 0.0
    else:
        # Too few sources to vote: repetition across sentences shows what the story is about.
        weights = np.asarray(matrix.sum(axis=0)).ravel()
        weights[weights < 2] = 0.0
    return weights


def select(
    story: StorySentences,
    similarity: np.ndarray,
    *,
    words_budget: int,
    sentences_budget: int | None = None,
    config: CoverageConfig = CoverageConfig(),  # frozen, so one shared default is safe
) -> list[int]:
    """Indices of the chosen sentences, in the order they were chosen."""
    matrix, weights = concept_matrix(story, config.min_articles)
    remaining = weights * _lead_bonus(story, matrix, config) if weights.size else weights
    prior = config.position_weight / np.sqrt(1.0 + story.position)
    if len(story.articles) == 1:
        # One article has no second source to vote: its lead is the best evidence there is.
        prior *= SINGLE_ARTICLE_LEAD_FACTOR
    n_words = np.maximum(1, story.n_words)
    concise = max(15.0, words_budget / config.target_sentences)
    cost = (
        n_words**config.length_exponent * np.maximum(1.0, n_words / concise) ** config.long_penalty
    )
    available = story.is_candidate.copy()
    if not available.any():
        available = story.n_words > 0
    chosen: list[int] = []
    used = 0
    while available.any():
        gain = (matrix @ remaining if remaining.size else np.zeros(len(cost))) + prior
        value = np.where(available, gain / cost, -np.inf)
        best = int(np.argmax(value))
        available[best] = False
        text = story.sentences[best].text
        if config.skip_restatements and any(
            restates(similarity[best, c], text, story.sentences[c].text) for c in chosen
        ):
            continue
        if sentences_budget is None and chosen and used + story.n_words[best] > words_budget:
            continue
        chosen.append(best)
        used += int(story.n_words[best])
        if remaining.size:
            remaining[matrix[best].indices] = 0.0
        if sentences_budget is not None and len(chosen) >= sentences_budget:
            break
        if sentences_budget is None and used >= words_budget:
            break
    return chosen
