"""Word tokens, stop words and stems, shared by summarize, dedupe, cluster and compare."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from itertools import islice
from pathlib import Path

_WORD = re.compile(r"[^\W_]+(?:[-'’.,][^\W_]+)*")
# scikit-learn's English stop words, read from a copy beside this module: importing
# scikit-learn for a word list cost every command (``storyline stories``, ``show``) about a
# second before it did anything.
_STOP_WORDS_FILE = Path(__file__).with_name("english_stop_words.txt")
ENGLISH_STOP_WORDS = frozenset(
    line
    for line in _STOP_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
)
STOP_WORDS = ENGLISH_STOP_WORDS | {"said", "says", "say", "told", "would", "could"}


def cased_words(text: str) -> list[str]:
    """Word tokens as written (capitals kept); numbers such as 4,600 and 4.5 stay whole."""
    tokens = _WORD.findall(text)
    return [w.replace("’", "'") for w in tokens] if "’" in text else tokens


def count_words(text: str) -> int:
    """How many word tokens ``words`` gives, without making them (lower-casing is not free)."""
    return len(_WORD.findall(text))


def count_words_up_to(text: str, cap: int) -> int:
    """``min(count_words(text), cap)``, without finding the words past ``cap``."""
    return len(list(islice(_WORD.finditer(text), cap)))


def words(text: str) -> list[str]:
    """Lower-cased word tokens; numbers such as 4,600 and 4.5 stay whole."""
    if text.isascii():
        # Lower-casing ASCII maps letters to letters one for one, so the tokens of the
        # lower-cased text are the lower-cased tokens (and ASCII has no ’ to replace).
        return _WORD.findall(text.lower())
    return [w.lower() for w in cased_words(text)]


STEMS_PATH = Path(__file__).with_name("porter_stems.json")
STEMS_FORMAT = "storyline-porter-stems"


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    # NLTK's Porter stemmer is code only: no NLTK data download is needed.
    if not word.isalpha():
        return word
    known = _known_stems().get(word)
    return known if known is not None else _porter().stem(word)


@lru_cache(maxsize=1)
def _known_stems() -> dict[str, str]:
    """NLTK's stems of news's frequent words, precomputed (``storyline.training.stems``): a
    worker then stems live only the rarer words. Empty, so every word is stemmed live, when
    the table is missing or another NLTK version made it (its stems could differ)."""
    import nltk

    try:
        data = json.loads(STEMS_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("format") != STEMS_FORMAT or data.get("nltk") != nltk.__version__:
        return {}
    return dict(data["stems"])


@lru_cache(maxsize=1)
def _porter():  # type: ignore[no-untyped-def]
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


def content_words(text: str) -> list[str]:
    """Stemmed tokens without stop words: the unit of lexical overlap between sentences."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]
