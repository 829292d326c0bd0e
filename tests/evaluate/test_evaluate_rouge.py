import numpy as np
import pytest

from storyline.evaluate.rouge import (
    bootstrap_ci,
    fill_budget,
    reference_sentences,
    score,
    truncate,
)

REFERENCE = "The cat sat on the mat."


def test_identical_texts_score_one() -> None:
    text = ["Rescuers pulled 12 survivors from the rubble on Tuesday.", "The quake struck at dawn."]
    result = score(text, [" ".join(text)])
    assert result == pytest.approx(dict.fromkeys(result, 1.0))


def test_known_overlap_matches_hand_count() -> None:
    # ref  the cat sat on the mat   / sys  the cat lay on the rug
    # unigrams: the x2, cat, on -> 4 of 6 each side: F = 2/3
    # bigrams: "the cat", "on the" -> 2 of 5 each side: F = 2/5
    # LCS: the cat on the -> 4: F = 2/3 (one sentence, so rougeLsum is the same)
    result = score(["The cat lay on the rug."], [REFERENCE])
    assert result["rouge1"] == pytest.approx(2 / 3)
    assert result["rouge2"] == pytest.approx(2 / 5)
    assert result["rougeL"] == pytest.approx(2 / 3)
    assert result["rougeLsum"] == pytest.approx(2 / 3)


def test_several_references_are_averaged_not_maxed() -> None:
    summary = ["The cat lay on the rug."]
    both = score(summary, [REFERENCE, "The cat lay on the rug."])
    assert both["rouge1"] == pytest.approx((2 / 3 + 1.0) / 2)


def test_stemming_is_on() -> None:
    assert score(["Troops withdrawing"], ["troop withdraws"])["rouge1"] == pytest.approx(1.0)


def test_reference_line_wraps_are_not_sentence_breaks() -> None:
    # DUC references wrap lines in mid-sentence.
    wrapped = (
        "Danish researchers have shown that family history\nmatters. Season of birth matters too."
    )
    assert reference_sentences(wrapped) == [
        "Danish researchers have shown that family history matters.",
        "Season of birth matters too.",
    ]


def test_fill_budget_lets_last_sentence_overflow_and_truncate_cuts_exactly() -> None:
    sentences = ["one two three four", "five six seven", "eight nine", "ten"]
    chosen = fill_budget(sentences, 6)
    assert chosen == ["one two three four", "five six seven"]  # 7 words: the last overflows
    assert truncate(chosen, 6) == ["one two three four", "five six"]
    assert truncate(sentences, 100) == sentences  # short summaries are not padded
    assert truncate(["a b", "c d"], 2) == ["a b"]  # no empty trailing sentence


def test_bootstrap_contains_mean_and_narrows_with_more_samples() -> None:
    rng = np.random.default_rng(7)
    small = rng.normal(0.3, 0.1, size=20)
    large = rng.normal(0.3, 0.1, size=2000)
    ci_small, ci_large = bootstrap_ci(small), bootstrap_ci(large)
    for ci, data in ((ci_small, small), (ci_large, large)):
        assert ci.low <= ci.mean <= ci.high
        assert ci.mean == pytest.approx(float(np.mean(data)))
    assert ci_large.high - ci_large.low < (ci_small.high - ci_small.low) / 3
    assert bootstrap_ci([0.5]).low == bootstrap_ci([0.5]).high == 0.5
