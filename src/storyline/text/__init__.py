"""Text primitives every stage shares: sentence spans, word tokens and figures."""

from storyline.text.numbers import numbers
from storyline.text.sentences import split_sentences
from storyline.text.tokens import content_words, stem, words

__all__ = ["content_words", "numbers", "split_sentences", "stem", "words"]
