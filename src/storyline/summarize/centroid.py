"""The centroid summarizer: TF-IDF centrality, cross-source support and position, chosen with
maximal marginal relevance (MMR). Kept as a named alternative (``summarizer="centroid"``) and as
the baseline of the ablation in bench/summarization_ablation.py."""

from __future__ import annotations

import numpy as np

from storyline.summarize.similarity import SentenceSimilarity
from storyline.summarize.support import normalised, restates
from storyline.summarize.units import StorySentences

# Weights of the sentence score; see bench/results for how they were chosen.
WEIGHT_CENTRALITY = 1.0
WEIGHT_SUPPORT = 0.6
WEIGHT_POSITION = 0.5
REDUNDANCY = 0.7  # MMR trade-off: 1.0 ignores redundancy
# Long sentences cost more of the budget: beyond this many words, their score is discounted.
CONCISE_WORDS = 30
LENGTH_EXPONENT = 0.5


def sentence_scores(story: StorySentences, similarity: SentenceSimilarity) -> np.ndarray:
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


def _support_share(story: StorySentences, similarity: SentenceSimilarity) -> np.ndarray:
    """Share of the other articles whose most similar sentence is close to this one."""
    n_articles = len(story.articles)
    return similarity.best_per_article_sums(n_articles) / max(1, n_articles - 1)


def _unit(values: np.ndarray) -> np.ndarray:
    top = values.max() if values.size else 0.0
    return values / top if top > 0 else values


def select(
    story: StorySentences,
    scores: np.ndarray,
    similarity: SentenceSimilarity,
    *,
    words: int,
    sentences: int | None = None,
) -> list[int]:
    """Greedy MMR under the budget; returns sentence indices in selection order."""
    chosen: list[int] = []
    said: set[str] = set()  # the chosen sentences' words
    used_words = 0
    length_discount = (
        np.minimum(1.0, CONCISE_WORDS / np.maximum(1, story.n_words)) ** LENGTH_EXPONENT
    )
    available = story.is_candidate.copy()
    if not available.any():
        available = story.n_words > 0
    # The greatest cosine of each sentence with a chosen one, one column per chosen sentence.
    redundancy = np.zeros(len(scores))
    while available.any():
        mmr = REDUNDANCY * scores * length_discount - (1 - REDUNDANCY) * redundancy
        mmr[~available] = -np.inf
        # Until a sentence is chosen the scores stay the same: candidates are tried best first
        # (first on ties, as argmax) rather than by a new argmax per candidate turned down.
        for best in np.argsort(-mmr, kind="stable").tolist():
            if not available[best]:
                return chosen  # every candidate was turned down
            available[best] = False
            # The cheap tests first: the restatement test costs a sparse product each.
            if sentences is None and chosen and used_words + story.n_words[best] > words:
                continue
            text = story.sentences[best].text
            key = normalised(text)
            if key in said:
                continue  # said already, word for word
            cosines = similarity.pairs(best, chosen)
            if any(
                restates(cosine, text, story.sentences[c].text)
                for cosine, c in zip(cosines, chosen, strict=True)
            ):
                continue  # a paraphrase of a chosen sentence: said once, it only adds citations
            chosen.append(best)
            said.add(key)
            redundancy = np.maximum(redundancy, similarity.column(best))
            used_words += int(story.n_words[best])
            if sentences is not None and len(chosen) >= sentences:
                return chosen
            if sentences is None and used_words >= words:
                return chosen
            break  # redundancy with the chosen sentence changes every score
    return chosen
