from __future__ import annotations

import pytest

from storyline.clean import clean_text
from storyline.clean.glue import extract_shortcodes, normalize_spaces, repair_glue


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("makes all the difference.Five years after", "makes all the difference. Five years after"),
        ("he said.“We will", "he said. “We will"),
        ("the end of the war”.The next", "the end of the war”. The next"),
        ("Really?Yes, really!Then", "Really? Yes, really! Then"),
    ],
)
def test_glue_is_repaired(raw: str, fixed: str) -> None:
    assert repair_glue(raw) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. Army and the U.K. government",
        "It cost $4.5bn, up 3.5% on last year.",
        "Fruit, e.g. apples, and i.e. pears",
        "See https://example.com/a.B and www.Example.org/Page.Html for details",
        "Write to jane.Doe@example.com today",
        "a path like docs/readme.Md stays",
    ],
)
def test_glue_leaves_legitimate_dots(text: str) -> None:
    assert repair_glue(text) == text


def test_shortcode_caption_is_pulled_out() -> None:
    text, captions = extract_shortcodes(
        'Before.\n[caption id="" align="aligncenter" width="555"] A photo, (AP photo)[/caption]'
        "\nAfter."
    )
    assert captions == ["A photo, (AP photo)"]
    assert "caption" not in text
    assert "Before." in text and "After." in text


def test_odd_spaces_are_normalised() -> None:
    assert normalize_spaces("a\u00a0 b\u200b\r\nc ") == "a b\nc"


def test_clean_text_on_empty_input() -> None:
    cleaned = clean_text("")
    assert cleaned.text == ""
    assert cleaned.title is None
