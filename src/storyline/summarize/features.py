"""Sentence features for the learned scorer: position, centrality, cross-source support, shape.

Each feature is cheap, lexical and story-relative (no absolute vocabulary), so the scorer trained
on one collection of news clusters transfers to others.
"""

from __future__ import annotations

import re

import numpy as np

from storyline.summarize.units import StorySentences
from storyline.text import content_words

FEATURE_NAMES = (
    "position_inverse",
    "position_relative",
    "is_lead",
    "length",
    "centrality",
    "centrality_rank",
    "support_mean",
    "support_share_30",
    "support_share_50",
    "word_probability",
    "word_spread",
    "similarity_to_lead",
    "has_number",
    "has_quote",
    "capitalised_share",
    "articles_log",
    "is_candidate",
)
_QUOTE = re.compile(r"[\"“”]")
_NUMBER = re.compile(r"\d")


def sentence_features(story: StorySentences, similarity: np.ndarray) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` values per sentence of the story."""
    n = len(story.sentences)
    n_articles = len(story.articles)
    features = np.zeros((n, len(FEATURE_NAMES)))
    if n == 0:
        return features
    article_sizes = np.bincount(story.article_index, minlength=n_articles)
    position = story.position.astype(float)
    features[:, 0] = 1.0 / (1.0 + position)
    features[:, 1] = position / np.maximum(1, article_sizes[story.article_index])
    features[:, 2] = position == 0
    features[:, 3] = np.minimum(story.n_words, 80) / 40.0

    centroid = np.asarray(story.vectors.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    centrality = np.asarray(story.vectors @ (centroid / norm)).ravel() if norm else np.zeros(n)
    features[:, 4] = centrality
    features[:, 5] = _rank_share(centrality)

    best = _best_per_article(story, similarity)
    others = max(1, n_articles - 1)
    features[:, 6] = best.sum(axis=1) / others
    features[:, 7] = (best >= 0.3).sum(axis=1) / others
    features[:, 8] = (best >= 0.5).sum(axis=1) / others

    tokens = [content_words(s.text) for s in story.sentences]
    features[:, 9], features[:, 10] = _word_statistics(story, tokens)

    lead_of_article = {}
    for i in range(n):
        lead_of_article.setdefault(int(story.article_index[i]), i)
    lead = np.array([lead_of_article[int(a)] for a in story.article_index])
    features[:, 11] = similarity[np.arange(n), lead]

    for i, sentence in enumerate(story.sentences):
        text = sentence.text
        features[i, 12] = bool(_NUMBER.search(text))
        features[i, 13] = bool(_QUOTE.search(text))
        tokens_raw = text.split()
        features[i, 14] = sum(t[:1].isupper() for t in tokens_raw[1:]) / max(1, len(tokens_raw) - 1)
    features[:, 15] = np.log1p(n_articles)
    features[:, 16] = story.is_candidate
    return features


def _rank_share(values: np.ndarray) -> np.ndarray:
    if values.size < 2:
        return np.ones_like(values)
    ranks = values.argsort().argsort()
    return ranks / (values.size - 1)


def _best_per_article(story: StorySentences, similarity: np.ndarray) -> np.ndarray:
    """Similarity of each sentence to its closest sentence in every other article."""
    n_articles = len(story.articles)
    best = np.zeros((len(story.sentences), n_articles))
    for article in range(n_articles):
        members = story.article_index == article
        if members.any():
            best[:, article] = similarity[:, members].max(axis=1)
    best[np.arange(len(story.sentences)), story.article_index] = 0.0
    return best


def _word_statistics(
    story: StorySentences, tokens: list[list[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """SumBasic's mean word probability, and the mean share of articles using each word."""
    counts: dict[str, int] = {}
    articles_using: dict[str, set[int]] = {}
    for words_of_sentence, article in zip(tokens, story.article_index, strict=True):
        for word in words_of_sentence:
            counts[word] = counts.get(word, 0) + 1
            articles_using.setdefault(word, set()).add(int(article))
    total = max(1, sum(counts.values()))
    n_articles = max(1, len(story.articles))
    probability = np.zeros(len(tokens))
    spread = np.zeros(len(tokens))
    for i, words_of_sentence in enumerate(tokens):
        if words_of_sentence:
            probability[i] = np.mean([counts[w] for w in words_of_sentence]) / total * 100
            spread[i] = np.mean([len(articles_using[w]) for w in words_of_sentence]) / n_articles
    return probability, spread
