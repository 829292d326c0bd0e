"""Article length in words, with characters counted for scripts written without spaces."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import storyline
from storyline.text.length import word_count, word_count_up_to

# The Iraq story in Chinese, as a Chinese outlet would print it: no spaces between words.
CHINESE = (
    (Path(__file__).parents[1] / "fixtures" / "text" / "zh_iraq_troops.txt")
    .read_text(encoding="utf-8")
    .strip()
)


def test_unspaced_scripts_count_characters() -> None:
    assert 140 <= word_count(CHINESE) <= len(CHINESE)
    assert word_count("The US will send 560 more troops.") == 7
    assert word_count("東京 and Kyoto") == 4  # two characters and two words
    assert word_count("ทหารสหรัฐ") == 9  # Thai letters


def test_a_chinese_article_is_not_rejected_as_a_few_words() -> None:
    report = storyline.digest([CHINESE], compare=False)
    assert report.problems == []
    assert len(report.stories) == 1
    (sentence, *_) = report.stories[0].summary
    assert sentence.text in CHINESE


@given(
    st.text(alphabet=st.sampled_from(list("ab 4,6.-'’東ทx\n_")), max_size=60),
    st.integers(min_value=0, max_value=12),
)
def test_counting_up_to_a_limit_is_the_count_capped(text: str, cap: int) -> None:
    assert word_count_up_to(text, cap) == min(word_count(text), cap)


def test_an_article_below_the_limit_is_reported_with_its_word_count() -> None:
    short = storyline.Article(text="Troops arrive in Iraq, officials say today.")
    report = storyline.digest([short], compare=False)
    (problem,) = report.problems
    assert "(7 words)" in problem.reason
