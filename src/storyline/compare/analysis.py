"""One pass of spaCy over each article, shared by every comparison step."""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy

from storyline.compare import dates, entities, nlp
from storyline.compare.ages import age_mentions
from storyline.compare.mentions import Mention, extract_mentions
from storyline.text.sentences import article_sentences
from storyline.text.tokens import content_words

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from storyline.model import Article, Story

_THE_COUNTRY = re.compile(r"\bthe (?:[\w-]+ ){0,2}(?:country|nation)\b", re.I)


@dataclass
class DateMention:
    article_id: str
    sentence_index: int
    start: int
    end: int
    text: str
    resolved: dates.ResolvedDate


@dataclass
class ArticleAnalysis:
    article: Article
    doc: Doc
    sentences: list[tuple[int, int]]
    stems: list[frozenset[str]]
    published: date | None
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    entity_keys: dict[int, str] = field(default_factory=dict)  # mention start -> entity key
    idf: dict[str, float] = field(default_factory=dict)  # shared by the story's analyses
    vectors: list[dict[str, float]] = field(default_factory=list)  # TF-IDF per sentence
    # Lookup tables built on first use (a scan per lookup is quadratic in a long article).
    _starts: list[int] | None = field(default=None, repr=False, compare=False)
    _dates_by_sentence: tuple[int, dict[int, list[DateMention]]] | None = field(
        default=None, repr=False, compare=False
    )

    def sentence_of(self, pos: int) -> int:
        if self._starts is None or len(self._starts) != len(self.sentences):
            ordered = all(
                e <= s for (_, e), (s, _) in zip(self.sentences, self.sentences[1:], strict=False)
            )
            self._starts = [s for s, _ in self.sentences] if ordered else []
        if len(self._starts) != len(self.sentences):  # spans out of order: scan them
            return next((i for i, (s, e) in enumerate(self.sentences) if s <= pos < e), -1)
        # Sentences in text order, none overlapping: only the last one starting at or before
        # ``pos`` can hold it.
        i = bisect.bisect_right(self._starts, pos) - 1
        return i if i >= 0 and pos < self.sentences[i][1] else -1

    def sentence_dates(self, index: int) -> list[DateMention]:
        if self._dates_by_sentence is None or self._dates_by_sentence[0] != len(self.dates):
            table: dict[int, list[DateMention]] = {}
            for d in self.dates:
                table.setdefault(d.sentence_index, []).append(d)
            self._dates_by_sentence = (len(self.dates), table)
        return list(self._dates_by_sentence[1].get(index, ()))


def _stems(text: str) -> frozenset[str]:
    return frozenset(w for w in content_words(text) if not any(ch.isdigit() for ch in w))


# Parsed articles by text: a story is often compared again after one article changes (a new
# source joins, the text is re-cleaned), and re-parsing is most of the cost. The parse, the
# sentences and their stems depend on the text alone.
_CACHE: OrderedDict[str, tuple[Doc, list[tuple[int, int]], list[frozenset[str]]]] = OrderedDict()
CACHE_SIZE = 64


def clear_cache() -> None:
    _CACHE.clear()


def _parse_all(texts: list[str]) -> list[tuple[Doc, list[tuple[int, int]], list[frozenset[str]]]]:
    missing = list(dict.fromkeys(t for t in texts if t not in _CACHE))
    if missing:
        # One nlp.pipe pass over every new article: batching is where spaCy is fast.
        for text, doc in zip(missing, nlp.load().pipe(missing, batch_size=16), strict=True):
            # The tagger's token vectors (96 floats a token, 500 MB for a story of 2,000
            # articles) are used by no comparison step: only tags, parses and entities are.
            doc.tensor = numpy.zeros((0,), dtype="float32")
            sentences = article_sentences(text)
            stems = [_stems(text[s:e]) for s, e in sentences]
            _CACHE[text] = (doc, sentences, stems)
    out = []
    for text in texts:
        _CACHE.move_to_end(text)
        out.append(_CACHE[text])
    while len(_CACHE) > max(CACHE_SIZE, len(texts)):
        _CACHE.popitem(last=False)
    return out


def analyse(story: Story) -> tuple[list[ArticleAnalysis], list[entities.Entity]]:
    # Near copies are evidence too: a copy edited apart is a disagreement a reader wants.
    sources = [*story.articles, *story.copies]
    parsed = _parse_all([a.text for a in sources])
    analyses: list[ArticleAnalysis] = []
    for article, (doc, sentences, stems) in zip(sources, parsed, strict=True):
        published = article.published.date() if article.published else None
        analyses.append(ArticleAnalysis(article, doc, sentences, stems, published))
    ents, key_of = entities.build_entities({a.article.id: a.doc for a in analyses})
    ent_by_key = {e.key: e for e in ents}
    # Per article, in the story-wide order: one pass over the story, not one per article.
    keys_by_article: dict[str, dict[int, str]] = {}
    for (art, start), key in key_of.items():
        keys_by_article.setdefault(art, {})[start] = key
    places_by_article: dict[str, list[tuple[entities.EntityMention, str]]] = {}
    for e in ents:
        if e.label in entities.PLACE_LABELS:
            for m in e.mentions:
                places_by_article.setdefault(m.article_id, []).append((m, e.key))
    for a in analyses:
        aid = a.article.id
        a.entity_keys = keys_by_article.get(aid, {})
        place_key: dict[tuple[int, int], str] = {}
        place_counts: Counter[str] = Counter()
        all_places: dict[int, str] = {}
        for m, key in places_by_article.get(aid, ()):
            all_places[m.start] = key
            if m.prepositional:
                place_key[(m.start, m.end)] = key
                place_counts[key] += 1
        # "stationed in the middle eastern country": the country the article is mostly about.
        if place_counts:
            main_place = place_counts.most_common(1)[0][0]
            if ent_by_key[main_place].label == "GPE":
                for m in _THE_COUNTRY.finditer(a.article.text):
                    place_key[(m.start(), m.end())] = main_place
        for ent in a.doc.ents:
            if ent.label_ != "DATE":
                continue
            resolved = dates.resolve(ent.text, a.published)
            idx = a.sentence_of(ent.start_char)
            if resolved is None or idx < 0:
                # A wire dateline ("BUCHAREST, November 12 (Xinhua) --") lies outside every
                # sentence (text.article_sentences): when it was filed, not an event.
                continue
            a.dates.append(DateMention(aid, idx, ent.start_char, ent.end_char, ent.text, resolved))
        a.mentions = extract_mentions(a.doc, aid, a.sentences, place_key, a.stems, all_places)
        a.mentions += age_mentions(a.doc, aid, a.sentences, a.stems)
    idf = inverse_document_frequency(analyses)
    for a in analyses:
        a.idf = idf
        a.vectors = [tfidf(stems, idf) for stems in a.stems]
        sentence_entities: dict[int, set[str]] = {}
        for start, key in a.entity_keys.items():
            sentence_entities.setdefault(a.sentence_of(start), set()).add(key)
        for m in a.mentions:
            m.vector = a.vectors[m.sentence_index]
            m.entities = frozenset(sentence_entities.get(m.sentence_index, ()))
            m.actor = a.entity_keys.get(m.actor_start, "")
    return analyses, ents


def inverse_document_frequency(analyses: list[ArticleAnalysis]) -> dict[str, float]:
    """IDF of stems over the story's sentences: words every source repeats (the story's own
    topic) weigh little when deciding whether two sentences say the same thing."""
    df: Counter[str] = Counter(w for a in analyses for stems in a.stems for w in stems)
    n = sum(len(a.stems) for a in analyses)
    return {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}


def tfidf(stems: frozenset[str], idf: dict[str, float]) -> dict[str, float]:
    weights = {w: idf.get(w, 1.0) for w in stems}
    norm = math.sqrt(sum(x * x for x in weights.values())) or 1.0
    return {w: x / norm for w, x in weights.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    # Only the shared words add anything (adding 0.0 leaves a sum of positive terms as it is),
    # in the same order as a sum over all of ``a``, so the float is the same.
    return sum([x * b[w] for w, x in a.items() if w in b])
