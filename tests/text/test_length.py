"""Article length in words, with characters counted for scripts written without spaces."""

from __future__ import annotations

from pathlib import Path

import storyline
from storyline.text.length import word_count

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
