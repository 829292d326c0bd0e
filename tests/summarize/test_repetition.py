"""A summary never says one thing twice, even in words the lexical vectors cannot see."""

from __future__ import annotations

import pytest

from storyline import digest

# Issue 20's hostile article: two-word sentences of stop words only, so every TF-IDF row is
# empty and the cosine of two copies is 0.
GO_NOW = "Dots\n" + "Go now. " * 2_000


@pytest.mark.parametrize("summarizer", ["storyline", "centroid"])
def test_a_sentence_repeated_word_for_word_is_summarized_once(summarizer: str) -> None:
    report = digest([GO_NOW], compare=False, summarizer=summarizer)
    texts = [" ".join(s.text.casefold().split()) for s in report.stories[0].summary]
    assert "go now." in texts
    assert len(texts) == len(set(texts)), texts


def test_case_and_spacing_do_not_make_a_new_sentence() -> None:
    text = "Dots\n" + "Go now.  GO NOW. go   now. " * 500
    texts = [" ".join(s.text.casefold().split()) for s in digest([text]).stories[0].summary]
    assert texts.count("go now.") == 1, texts
