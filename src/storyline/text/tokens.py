"""Word tokens, stop words and stems, shared by summarize, dedupe, cluster and compare."""

from __future__ import annotations

import re
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_WORD = re.compile(r"[^\W_]+(?:[-'’.,][^\W_]+)*")
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "told", "would", "could"}


def cased_words(text: str) -> list[str]:
    """Word tokens as written (capitals kept); numbers such as 4,600 and 4.5 stay whole."""
    return [w.replace("’", "'") for w in _WORD.findall(text)]


def count_words(text: str) -> int:
    """How many word tokens ``words`` gives, without making them (lower-casing is not free)."""
    return len(_WORD.findall(text))


def words(text: str) -> list[str]:
    """Lower-cased word tokens; numbers such as 4,600 and 4.5 stay whole."""
    return [w.lower() for w in cased_words(text)]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    # NLTK's Porter stemmer is code only: no NLTK data download is needed.
    return _porter().stem(word) if word.isalpha() else word


@lru_cache(maxsize=1)
def _porter():  # type: ignore[no-untyped-def]
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


def content_words(text: str) -> list[str]:
    """Stemmed tokens without stop words: the unit of lexical overlap between sentences."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]
