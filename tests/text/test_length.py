"""Article length in words, with characters counted for scripts written without spaces."""

from __future__ import annotations

import storyline
from storyline.text.length import word_count

# The Iraq story in Chinese, as a Chinese outlet would print it: no spaces between words.
CHINESE = (
    "美国国防部长卡特11日在巴格达宣布，美国将向伊拉克增派560名军人，协助伊拉克政府军"
    "夺回被极端组织“伊斯兰国”占领的北部城市摩苏尔。卡特说，增派的军人将主要部署在"
    "刚刚收复的盖亚拉空军基地，为伊拉克安全部队提供基础设施和后勤支持。增兵之后，"
    "美国在伊拉克的军人总数将超过4600人。伊拉克总理阿巴迪表示欢迎美方的决定。"
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
