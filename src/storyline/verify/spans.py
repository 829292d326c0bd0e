"""The story's source sentences as spans, and a word index that finds the ones that support a
generated sentence.

Cost is linear: each source sentence is indexed once by its stemmed content words, and a
generated sentence only meets the sentences that share a word with it (no sentence-by-sentence
matrix). Words are weighted by inverse document frequency over the story's sentences, so a
sentence that shares "Qayyarah" counts for more than one that shares "said".
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from storyline.model import Article, Citation
from storyline.text import article_sentences, content_words


@dataclass(frozen=True)
class SourceSpan:
    """One sentence of one article: ``article.text[start:end] == text``."""

    position: int  # in SourceIndex.spans
    article_id: str
    source_number: int  # 1-based, as in [n] markers
    index: int  # sentence index in the article
    start: int
    end: int
    text: str
    outlet: str | None
    published: datetime | None

    def citation(self) -> Citation:
        return Citation(
            article_id=self.article_id, sentence_index=self.index, start=self.start, end=self.end
        )


class SourceIndex:
    """All sentences of a story's articles with an inverted index of their content words."""

    def __init__(self, articles: list[Article]) -> None:
        self.articles = articles
        self.spans: list[SourceSpan] = []
        self.by_article: dict[str, list[int]] = defaultdict(list)
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._span_words: list[frozenset[str]] = []
        for number, article in enumerate(articles, start=1):
            for index, (start, end) in enumerate(article_sentences(article.text)):
                span = SourceSpan(
                    position=len(self.spans),
                    article_id=article.id,
                    source_number=number,
                    index=index,
                    start=start,
                    end=end,
                    text=article.text[start:end],
                    outlet=article.outlet,
                    published=article.published,
                )
                self.by_article[article.id].append(span.position)
                stems = frozenset(content_words(span.text))
                self._span_words.append(stems)
                for stem in stems:
                    self._postings[stem].append(span.position)
                self.spans.append(span)
        n = max(1, len(self.spans))
        self._idf = {w: math.log(1 + n / len(p)) for w, p in self._postings.items()}
        self._unseen_idf = math.log(1 + n)

    def idf(self, stem: str) -> float:
        return self._idf.get(stem, self._unseen_idf)

    def words_of(self, position: int) -> frozenset[str]:
        return self._span_words[position]

    def candidates(
        self, text: str, *, article_ids: set[str] | None = None, limit: int = 8
    ) -> list[tuple[float, int]]:
        """(coverage, position) of the sentences sharing most of ``text``'s weighted words,
        best first; coverage is the idf-weighted share of the text's words the span holds."""
        stems = set(content_words(text))
        total = sum(self.idf(w) for w in stems)
        if not total:
            return []
        scores: dict[int, float] = defaultdict(float)
        for stem in stems:
            weight = self.idf(stem)
            for position in self._postings.get(stem, ()):
                if article_ids is None or self.spans[position].article_id in article_ids:
                    scores[position] += weight
        ranked = sorted(((s / total, p) for p, s in scores.items()), key=lambda x: (-x[0], x[1]))
        return ranked[:limit]

    def coverage(self, text: str, positions: list[int]) -> float:
        """The idf-weighted share of ``text``'s content words found in these spans together."""
        stems = set(content_words(text))
        total = sum(self.idf(w) for w in stems)
        if not total:
            return 0.0
        held: set[str] = set()
        for position in positions:
            held |= self._span_words[position]
        return sum(self.idf(w) for w in stems & held) / total

    def context(self, position: int, before: int = 2) -> list[SourceSpan]:
        """The span and the sentences just before it in its article: who "he" is, which
        "the city" is meant."""
        span = self.spans[position]
        siblings = self.by_article[span.article_id]
        at = span.index
        return [self.spans[p] for p in siblings[max(0, at - before) : at + 1]]

    def article(self, article_id: str) -> Article:
        return next(a for a in self.articles if a.id == article_id)

    def articles_of_outlet(self, who: str) -> set[str]:
        """Ids of the articles whose outlet is ``who`` ("the New Arab" = "The New Arab")."""
        key = _outlet_key(who)
        if not key:
            return set()
        return {a.id for a in self.articles if a.outlet and _outlet_key(a.outlet) == key}


def _outlet_key(name: str) -> str:
    form = name.lower().replace("’", "'").strip()
    for prefix in ("the ",):
        form = form.removeprefix(prefix)
    for suffix in ("'s", ".com", " news agency", " newspaper"):
        form = form.removesuffix(suffix)
    return " ".join(form.split())
