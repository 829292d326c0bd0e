"""Cluster: group articles into stories, incrementally, one article at a time.

Each article joins the most similar existing story when its TF-IDF similarity to the story's
centroid clears a threshold, otherwise it opens a new story. Arrival order matters as in a live
feed: :class:`StoryClusterer` can be fed new articles at any time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from storyline.model import Article
from storyline.text import content_words

JOIN_SIMILARITY = 0.2


def _article_text(article: Article) -> str:
    # The title and lead say what the story is; the tail of long articles drifts.
    return ((article.title or "") + "\n") * 2 + article.text[:3000]


@dataclass
class StoryClusterer:
    threshold: float = JOIN_SIMILARITY
    _hasher: HashingVectorizer = field(
        default_factory=lambda: HashingVectorizer(
            analyzer=content_words, n_features=2**18, alternate_sign=False, norm=None
        )
    )
    _document_frequency: dict[int, int] = field(default_factory=dict)
    _seen: int = 0
    centroids: list[dict[int, float]] = field(default_factory=list)
    members: list[list[str]] = field(default_factory=list)

    def add(self, article: Article) -> int:
        """Assign one article to a story; returns the story's index."""
        counts = self._hasher.transform([_article_text(article)])
        self._seen += 1
        for column in counts.indices:
            self._document_frequency[column] = self._document_frequency.get(column, 0) + 1
        idf = np.array(
            [
                np.log((1 + self._seen) / (1 + self._document_frequency[c])) + 1
                for c in counts.indices
            ]
        )
        weights = (1 + np.log(counts.data)) * idf
        vector = dict(
            zip(counts.indices.tolist(), weights / (np.linalg.norm(weights) or 1.0), strict=True)
        )
        best, best_similarity = -1, 0.0
        for story, centroid in enumerate(self.centroids):
            similarity = sum(value * centroid.get(key, 0.0) for key, value in vector.items())
            if similarity > best_similarity:
                best, best_similarity = story, similarity
        if best >= 0 and best_similarity >= self.threshold:
            self._merge(best, vector)
            self.members[best].append(article.id)
            return best
        self.centroids.append(vector)
        self.members.append([article.id])
        return len(self.centroids) - 1

    def _merge(self, story: int, vector: dict[int, float]) -> None:
        size = len(self.members[story])
        centroid = self.centroids[story]
        for key in set(centroid) | set(vector):
            centroid[key] = (centroid.get(key, 0.0) * size + vector.get(key, 0.0)) / (size + 1)
        norm = np.sqrt(sum(v * v for v in centroid.values())) or 1.0
        for key in centroid:
            centroid[key] /= norm


def cluster(articles: list[Article], *, threshold: float = JOIN_SIMILARITY) -> list[list[Article]]:
    """Group articles into stories, in arrival order; the biggest story first."""
    clusterer = StoryClusterer(threshold=threshold)
    groups: dict[int, list[Article]] = {}
    for article in articles:
        groups.setdefault(clusterer.add(article), []).append(article)
    return sorted(groups.values(), key=len, reverse=True)


__all__ = ["StoryClusterer", "cluster"]
