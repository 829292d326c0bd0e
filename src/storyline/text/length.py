"""How long a text is in words, for scripts written with and without spaces between words.

Chinese, Japanese, Thai, Lao, Khmer and Myanmar text has no spaces between words, so a
tokenizer that splits on spaces sees a 169-character Chinese article as a handful of "words".
For those scripts each character counts as a word: a Chinese word is one to two characters,
so this errs towards keeping an article rather than rejecting it as too short.
"""

from __future__ import annotations

import re

from storyline.text.tokens import count_words, count_words_up_to

_UNSPACED = re.compile(
    "["
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0002fa1f"  # CJK extensions B-F
    "]"
)


def word_count(text: str) -> int:
    """Words of spaced scripts plus characters of unspaced ones."""
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return count_words(text)
    return count_words(_UNSPACED.sub(" ", text)) + unspaced


def word_count_up_to(text: str, cap: int) -> int:
    """``min(word_count(text), cap)``: whether a text is long enough, without tokenizing all
    of a long article (the length check of every cleaned article)."""
    if _UNSPACED.search(text) is None:
        return count_words_up_to(text, cap)
    return min(word_count(text), cap)
