"""Cluster: group articles into stories, incrementally, one article at a time.

Each article joins the story whose centroid is most similar to it (cosine of TF-IDF vectors)
when that similarity clears a threshold, otherwise it opens a new story. Arrival order matters
as in a live feed: :class:`StoryClusterer` can be fed new articles at any time.

* Terms are content-word stems of the title (counted twice: it says what the story is) and the
  first 3,000 characters (the tail of long articles drifts), plus capitalised names ("Ash
  Carter", "Mosul"), which single out a story better than common words.
* IDF comes from the stream seen so far, so rare names weigh more as the feed grows.
* Stories are found through an inverted index (term -> stories using it) holding each story's
  vector sum and norm, so an article is compared only with stories sharing a term with it,
  and a centroid update costs the article's own terms (`bench/results/clustering.md`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from storyline.cluster.features import NAME
from storyline.model import Article
from storyline.settings import Settings
from storyline.stages import Clustered, register
from storyline.text import content_words

JOIN_SIMILARITY = 0.2
LEAD_CHARACTERS = 3000


def article_terms(article: Article) -> Counter[str]:
    """Term counts of an article: title and lead stems, and the names of the lead."""
    lead = article.text[:LEAD_CHARACTERS]
    terms = Counter(content_words(((article.title or "") + "\n") * 2 + lead))
    # Names as the online clusterer finds them: capitalised runs not at a sentence start.
    for match in NAME.finditer(lead):
        terms["name:" + match.group(1).lower()] += 1
    return terms


@dataclass
class StoryClusterer:
    threshold: float = JOIN_SIMILARITY
    members: list[list[str]] = field(default_factory=list)
    _document_frequency: Counter[str] = field(default_factory=Counter)
    _seen: int = 0
    # term -> story -> that term's weight summed over the story's (unit) article vectors
    _index: defaultdict[str, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))
    _squared_norms: list[float] = field(default_factory=list)  # of each story's vector sum

    def add(self, article: Article) -> int:
        """Assign one article to a story; returns the story's index."""
        vector = self._vector(article_terms(article))
        dots: defaultdict[int, float] = defaultdict(float)
        for term, weight in vector.items():
            for story, story_weight in self._index.get(term, {}).items():
                dots[story] += weight * story_weight
        best, best_similarity = -1, 0.0
        for story, dot in dots.items():
            similarity = dot / math.sqrt(self._squared_norms[story])
            if similarity > best_similarity:
                best, best_similarity = story, similarity
        if best >= 0 and best_similarity >= self.threshold:
            return self._place(article, vector, best, dots[best])
        return self._place(article, vector, None, 0.0)

    def follow(self, article: Article, story: int | None) -> int:
        """Put an article into ``story`` (a new one when None) without deciding: a labelled
        replay (the partitioned run's second pass, :mod:`storyline.engine.history`)."""
        vector = self._vector(article_terms(article))
        dot = 0.0
        if story is not None:
            dot = sum(w * self._index.get(t, {}).get(story, 0.0) for t, w in vector.items())
        return self._place(article, vector, story, dot)

    def _place(self, article: Article, vector: dict[str, float], story: int | None,
               dot: float) -> int:
        if story is not None:
            # |sum + v|^2 = |sum|^2 + 2 sum.v + |v|^2, with |v| = 1
            self._squared_norms[story] += 2 * dot + 1.0
            self.members[story].append(article.id)
        else:
            story = len(self.members)
            self._squared_norms.append(1.0)
            self.members.append([article.id])
        for term, weight in vector.items():
            postings = self._index[term]
            postings[story] = postings.get(story, 0.0) + weight
        return story

    def _vector(self, terms: Counter[str]) -> dict[str, float]:
        self._seen += 1
        self._document_frequency.update(terms.keys())
        weights = {
            term: (1 + math.log(count))
            * (math.log((1 + self._seen) / (1 + self._document_frequency[term])) + 1)
            for term, count in terms.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {term: w / norm for term, w in weights.items()}


def cluster(articles: list[Article], *, threshold: float = JOIN_SIMILARITY) -> list[list[Article]]:
    """Group articles into stories, in arrival order; the biggest story first."""
    clusterer = StoryClusterer(threshold=threshold)
    groups: dict[int, list[Article]] = {}
    for article in articles:
        groups.setdefault(clusterer.add(article), []).append(article)
    return sorted(groups.values(), key=len, reverse=True)


@register("clusterer", "centroid")
class CentroidClusterer:
    """Online TF-IDF centroid clustering in arrival order (:class:`StoryClusterer`)."""

    def cluster(self, articles: list[Article], settings: Settings) -> Clustered:
        return Clustered(stories=cluster(articles, threshold=settings.cluster.threshold))


__all__ = ["JOIN_SIMILARITY", "CentroidClusterer", "StoryClusterer", "article_terms", "cluster"]

# The online clusterer registers itself as "online"; imported last, as it builds on the above.
from storyline.cluster import online as _online  # noqa: E402, F401
