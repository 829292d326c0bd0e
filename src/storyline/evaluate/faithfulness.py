"""Does each summary sentence say only what its citations show?

Two figures, over summary sentences:

* ``span`` — at least one citation's span ``article.text[start:end]`` contains the sentence
  (whitespace-normalised): an extractive sentence must be traceable to where it was copied from.
* ``numbers`` — every number in the sentence occurs in some cited article; a sentence without
  numbers passes. Numbers are the facts a bad citation most often gets wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storyline.model import Article, SummarySentence
from storyline.text.numbers import numbers


def _normal(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Faithfulness:
    sentences: int = 0
    span_ok: int = 0
    numbers_ok: int = 0
    with_numbers: int = 0
    uncited: int = 0

    def add(self, other: Faithfulness) -> None:
        self.sentences += other.sentences
        self.span_ok += other.span_ok
        self.numbers_ok += other.numbers_ok
        self.with_numbers += other.with_numbers
        self.uncited += other.uncited

    @property
    def span_share(self) -> float:
        return self.span_ok / self.sentences if self.sentences else 0.0

    @property
    def numbers_share(self) -> float:
        return self.numbers_ok / self.sentences if self.sentences else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "sentences": self.sentences,
            "span_contains_sentence": round(self.span_share, 4),
            "numbers_in_cited_source": round(self.numbers_share, 4),
            "sentences_with_numbers": self.with_numbers,
            "uncited": self.uncited,
        }


def faithfulness(summary: Sequence[SummarySentence], articles: Sequence[Article]) -> Faithfulness:
    by_id = {a.id: a for a in articles}
    result = Faithfulness()
    for sentence in summary:
        result.sentences += 1
        wanted = _normal(sentence.text)
        cited = [c for c in sentence.citations if c.article_id in by_id]
        if not cited:
            result.uncited += 1
        spans = [by_id[c.article_id].text[c.start : c.end] for c in cited if 0 <= c.start < c.end]
        if wanted and any(wanted in _normal(span) for span in spans):
            result.span_ok += 1
        figures = numbers(sentence.text)
        if figures:
            result.with_numbers += 1
        available: set[str] = set()
        for article_id in {c.article_id for c in cited}:
            available |= numbers(by_id[article_id].text)
        if figures <= available:
            result.numbers_ok += 1
    return result
