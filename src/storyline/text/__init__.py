"""Text primitives every stage shares: sentence spans and word tokens."""

from storyline.text.sentences import split_sentences
from storyline.text.tokens import content_words, stem, words

__all__ = ["content_words", "split_sentences", "stem", "words"]
