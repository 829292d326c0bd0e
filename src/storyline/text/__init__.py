"""Text primitives every stage shares: sentence spans, word tokens and figures."""

from storyline.text.numbers import numbers
from storyline.text.sentences import article_sentences, split_sentences
from storyline.text.tokens import content_words, stem, words

__all__ = ["article_sentences", "content_words", "numbers", "split_sentences", "stem", "words"]
