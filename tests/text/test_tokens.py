"""Word tokens: counting them gives the number ``words`` makes, on real scrapes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from storyline.text.tokens import cased_words, count_words, words

EXAMPLES = Path(__file__).parents[2] / "examples" / "iraq-troops-2016"


def test_count_words_is_the_number_of_word_tokens() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    assert len(texts) >= 5
    for text in texts:
        assert count_words(text) == len(words(text)) > 50
    # Numbers stay whole, curly apostrophes join, punctuation is no word.
    assert count_words("The U.S. sent 4,600 troops; it’s 4.5% more — officials said.") == 10


@given(st.text(alphabet=st.sampled_from(list("aZ9 .,-'’_\nİé")), max_size=40))
def test_words_are_the_lower_cased_tokens_of_any_text(text: str) -> None:
    # ASCII text takes a shortcut (tokens of the lower-cased text): the same words.
    assert words(text) == [w.lower() for w in cased_words(text)]


def test_curly_apostrophes_are_straightened_in_tokens() -> None:
    assert cased_words("It’s the U.S.’ plan") == ["It's", "the", "U.S", "plan"]
    assert cased_words("It's plain") == ["It's", "plain"]


def test_the_stop_word_copy_is_scikit_learns_list():
    # storyline reads scikit-learn's English stop words from a copy (importing scikit-learn
    # for them cost every command a second): the copy must be the installed list, word for word.
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as SKLEARN_STOP_WORDS

    from storyline.text.tokens import ENGLISH_STOP_WORDS, STOP_WORDS

    assert ENGLISH_STOP_WORDS == SKLEARN_STOP_WORDS
    expected = ENGLISH_STOP_WORDS | {"said", "says", "say", "told", "would", "could"}
    assert expected == STOP_WORDS
