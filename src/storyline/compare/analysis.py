"""One pass of spaCy over each article, shared by every comparison step."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from storyline.compare import dates, entities, facts, nlp
from storyline.text.sentences import split_sentences
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
    mentions: list[facts.Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    entity_keys: dict[int, str] = field(default_factory=dict)  # mention start -> entity key

    def sentence_of(self, pos: int) -> int:
        for i, (s, e) in enumerate(self.sentences):
            if s <= pos < e:
                return i
        return -1

    def sentence_dates(self, index: int) -> list[DateMention]:
        return [d for d in self.dates if d.sentence_index == index]


def _stems(text: str) -> frozenset[str]:
    return frozenset(w for w in content_words(text) if not any(ch.isdigit() for ch in w))


def analyse(story: Story) -> tuple[list[ArticleAnalysis], list[entities.Entity]]:
    pipeline = nlp.load()
    texts = [a.text for a in story.articles]
    docs = list(pipeline.pipe(texts, batch_size=8))
    analyses: list[ArticleAnalysis] = []
    for article, doc in zip(story.articles, docs, strict=True):
        sentences = split_sentences(article.text)
        stems = [_stems(article.text[s:e]) for s, e in sentences]
        published = article.published.date() if article.published else None
        analyses.append(ArticleAnalysis(article, doc, sentences, stems, published))
    ents, key_of = entities.build_entities({a.article.id: a.doc for a in analyses})
    ent_by_key = {e.key: e for e in ents}
    for a in analyses:
        aid = a.article.id
        a.entity_keys = {start: key for (art, start), key in key_of.items() if art == aid}
        place_key: dict[tuple[int, int], str] = {}
        place_counts: Counter[str] = Counter()
        all_places: dict[int, str] = {}
        for e in ents:
            if e.label not in entities.PLACE_LABELS:
                continue
            for m in e.mentions:
                if m.article_id == aid:
                    all_places[m.start] = e.key
                if m.article_id == aid and m.prepositional:
                    place_key[(m.start, m.end)] = e.key
                    place_counts[e.key] += 1
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
                continue
            a.dates.append(DateMention(aid, idx, ent.start_char, ent.end_char, ent.text, resolved))
        a.mentions = facts.extract_mentions(a.doc, aid, a.sentences, place_key, a.stems, all_places)
    return analyses, ents
