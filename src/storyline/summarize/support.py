"""Which sources state a sentence: the basis of every ``[n]`` citation marker.

A sentence of another article supports a summary sentence when it says the same thing: high
lexical similarity, or moderate similarity together with the same figures. Precision matters more
than recall here, since a citation is a promise that the source says it.
"""

from __future__ import annotations

import re

import numpy as np

from storyline.summarize.units import StorySentences

STRONG_SIMILARITY = 0.5
WEAK_SIMILARITY = 0.3
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def supporting_sentences(
    story: StorySentences, index: int, similarity: np.ndarray
) -> dict[int, int]:
    """Map article position -> index of its best sentence that supports sentence ``index``.

    The sentence's own article is always included, with the sentence itself.
    """
    own_article = story.article_index[index]
    support = {int(own_article): index}
    figures = numbers(story.sentences[index].text)
    row = similarity[index]
    for article in np.unique(story.article_index):
        if article == own_article:
            continue
        members = np.flatnonzero(story.article_index == article)
        best = int(members[np.argmax(row[members])])
        if _supports(row[best], figures, story.sentences[best].text):
            support[int(article)] = best
    return support


def _supports(similarity: float, figures: set[str], other_text: str) -> bool:
    if similarity >= STRONG_SIMILARITY:
        other = numbers(other_text)
        # Same words with different figures is a conflict, not support.
        return not figures or figures <= other or not other
    return similarity >= WEAK_SIMILARITY and bool(figures) and figures <= numbers(other_text)
