"""The centroid summarizer: TF-IDF centrality, cross-source support and position, chosen with
maximal marginal relevance (MMR). Kept as a named alternative (``summarizer="centroid"``) and as
the baseline of the ablation in bench/summarization_ablation.py."""

from __future__ import annotations

import numpy as np

from storyline.summarize.support import restates
from storyline.summarize.units import StorySentences

# Weights of the sentence score; see bench/results for how they were chosen.
WEIGHT_CENTRALITY = 1.0
WEIGHT_SUPPORT = 0.6
WEIGHT_POSITION = 0.5
REDUNDANCY = 0.7  # MMR trade-off: 1.0 ignores redundancy
# Long sentences cost more of the budget: beyond this many words, their score is discounted.
CONCISE_WORDS = 30
LENGTH_EXPONENT = 0.5


def sentence_scores(story: StorySentences, similarity: np.ndarray) -> np.ndarray:
    n = len(story.sentences)
    if n == 0:
        return np.zeros(0)
    centroid = np.asarray(story.vectors.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    centrality = story.vectors @ (centroid / norm) if norm else np.zeros(n)
    centrality = np.asarray(centrality).ravel()
    n_articles = len(story.articles)
    support = _support_share(story, similarity) if n_articles > 1 else np.zeros(n)
    position = 1.0 / np.sqrt(1.0 + story.position)
    return (
        WEIGHT_CENTRALITY * _unit(centrality)
        + WEIGHT_SUPPORT * support
        + WEIGHT_POSITION * position
    )


def _support_share(story: StorySentences, similarity: np.ndarray) -> np.ndarray:
    """Share of the other articles whose most similar sentence is close to this one."""
    n_articles = len(story.articles)
    best_per_article = np.zeros((len(story.sentences), n_articles))
    for article in range(n_articles):
        members = story.article_index == article
        if members.any():
            best_per_article[:, article] = similarity[:, members].max(axis=1)
    own = story.article_index
    best_per_article[np.arange(len(own)), own] = 0.0
    return best_per_article.sum(axis=1) / max(1, n_articles - 1)


def _unit(values: np.ndarray) -> np.ndarray:
    top = values.max() if values.size else 0.0
    return values / top if top > 0 else values


def select(
    story: StorySentences,
    scores: np.ndarray,
    similarity: np.ndarray,
    *,
    words: int,
    sentences: int | None = None,
) -> list[int]:
    """Greedy MMR under the budget; returns sentence indices in selection order."""
    chosen: list[int] = []
    used_words = 0
    length_discount = (
        np.minimum(1.0, CONCISE_WORDS / np.maximum(1, story.n_words)) ** LENGTH_EXPONENT
    )
    available = story.is_candidate.copy()
    if not available.any():
        available = story.n_words > 0
    while available.any():
        redundancy = similarity[:, chosen].max(axis=1) if chosen else np.zeros(len(scores))
        mmr = REDUNDANCY * scores * length_discount - (1 - REDUNDANCY) * redundancy
        mmr[~available] = -np.inf
        best = int(np.argmax(mmr))
        available[best] = False
        text = story.sentences[best].text
        if any(restates(similarity[best, c], text, story.sentences[c].text) for c in chosen):
            continue  # a paraphrase of a chosen sentence: said once, it only adds citations
        if sentences is None and chosen and used_words + story.n_words[best] > words:
            continue
        chosen.append(best)
        used_words += int(story.n_words[best])
        if sentences is not None and len(chosen) >= sentences:
            break
        if sentences is None and used_words >= words:
            break
    return chosen
