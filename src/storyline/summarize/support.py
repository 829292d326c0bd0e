"""Which sources state a sentence: the basis of every ``[n]`` citation marker.

A sentence of another article supports a summary sentence when it says the same thing: high
lexical similarity, or moderate similarity together with the same figures. Precision matters more
than recall here, since a citation is a promise that the source says it.
"""

from __future__ import annotations

from storyline.summarize.similarity import SentenceSimilarity
from storyline.summarize.units import StorySentences
from storyline.text.numbers import numbers

STRONG_SIMILARITY = 0.5  # says the same thing in mostly the same words
MEDIUM_SIMILARITY = 0.35  # a paraphrase, when the figures do not disagree
WEAK_SIMILARITY = 0.2  # a looser paraphrase that repeats a figure of the sentence


def supporting_sentences(
    story: StorySentences, index: int, similarity: SentenceSimilarity
) -> dict[int, int]:
    """Map article position -> index of its best sentence that supports sentence ``index``.

    The sentence's own article is always included, with the sentence itself.
    """
    own_article = story.article_index[index]
    support = {int(own_article): index}
    figures = numbers(story.sentences[index].text)
    # Only articles with some word in common can support it: an article whose best cosine
    # is 0 never passes the thresholds below.
    for article, (best, cosine) in sorted(similarity.best_in_articles(index).items()):
        if article == own_article:
            continue
        if _supports(cosine, figures, story.sentences[best].text):
            support[article] = best
    return support


def restates(similarity: float, text: str, other_text: str) -> bool:
    """Whether ``other_text`` states what ``text`` states (the same support rule as citations)."""
    return _supports(similarity, numbers(text), other_text)


def normalised(text: str) -> str:
    """A sentence's words but for case and spacing: the same key is the same sentence, which
    the selectors turn down before any cosine (a sentence of stop words alone, "Go now.", has
    an empty TF-IDF row and a cosine of 0 with its own copies)."""
    return " ".join(text.casefold().split())


def _supports(similarity: float, figures: set[str], other_text: str) -> bool:
    other = numbers(other_text)
    if figures & other:
        return similarity >= WEAK_SIMILARITY
    # Same words with different figures is a conflict, not support.
    disagree = bool(figures and other and not figures & other)
    if similarity >= STRONG_SIMILARITY:
        return not disagree
    return similarity >= MEDIUM_SIMILARITY and not disagree and not figures
