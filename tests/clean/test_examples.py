"""The five real scrapes of examples/iraq-troops-2016: boilerplate out, body and metadata kept."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from storyline.clean import CleanedText, clean_article, clean_text
from storyline.model import Article

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "iraq-troops-2016"


def _clean(prefix: str) -> CleanedText:
    path = next(EXAMPLES.glob(f"{prefix}_*.txt"))
    return clean_text(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cleaned() -> dict[str, CleanedText]:
    return {prefix: _clean(prefix) for prefix in ("000", "001", "002", "003", "004")}


BOILERPLATE = {
    "000": ["Photo of author", "(Newswire.net"],
    "001": ["2 min read", "[Getty]", "11 July, 2016"],
    "002": ["[caption", "[/caption]", "(AP photo)", "By Press TV"],
    "003": [
        "center left, walks with",
        "of stories this month",
        "free articles",
        "Subscribe to continue",
        "Unlimited digital access",
        "Get unlimited Monitor journalism",
        "This report contains material from Reuters",
    ],
    "004": [
        "Your support helps us to tell the story",
        "Your donation allows us",
        "paywalls",
        "reproductive rights",
        "Your support makes all the difference",
        "Join our commenting forum",
        "Join thought-provoking conversations",
    ],
}


@pytest.mark.parametrize("prefix", sorted(BOILERPLATE))
def test_boilerplate_is_gone(cleaned: dict[str, CleanedText], prefix: str) -> None:
    text = cleaned[prefix].text
    for phrase in BOILERPLATE[prefix]:
        assert phrase not in text, (prefix, phrase)
    assert "Comments" not in text.splitlines()


BODY = {
    "000": [
        "560 more troops",
        "5,000 Americans",
        "8,400 troops",
        "Mosul is currently the only major city in the country that the Iraqis do not control.",
        "During his visit to Baghdad on Monday",
    ],
    "001": [
        "more than 4,600",
        '"I am pleased to report today that... we agreed for the United States',
        "the recapture of all of Iraqi territory",
        "Hundreds of additional US soldiers",
    ],
    "002": [
        "more than 4,647",
        "These additional US forces will bring unique capabilities",
        "That's its strategic role, and that's its strategic importance",
        "The top US defense official had called the recapture of Qayyarah a key strategic victory.",
    ],
    "003": [
        "With these additional US forces I'm describing today",
        "one of the hubs from which",
        "560 more troops to Iraq later this year",
        "The threat is not going away.",
    ],
    "004": [
        "Five years after Barack Obama announced",
        "at least 5,000 American military personnel",
        "$10bn",
        "over 7,000",
        "4,486",
        "32,000",
        "certainly possible",
        "Hundreds of thousands of Iraqis died",
    ],
}


@pytest.mark.parametrize("prefix", sorted(BODY))
def test_body_is_kept(cleaned: dict[str, CleanedText], prefix: str) -> None:
    for phrase in BODY[prefix]:
        assert phrase in cleaned[prefix].text, (prefix, phrase)


def test_every_long_body_paragraph_survives(cleaned: dict[str, CleanedText]) -> None:
    # All real paragraphs of 002 (a clean scrape apart from captions and the byline) remain.
    assert len(cleaned["002"].text.splitlines()) == 11
    assert len(cleaned["001"].text.splitlines()) == 12


def test_glued_plea_is_cut_and_sentence_kept(cleaned: dict[str, CleanedText]) -> None:
    lines = cleaned["004"].text.splitlines()
    assert any(line.startswith("Five years after Barack Obama announced") for line in lines)
    assert ("Your support makes all the difference.", "plea sentence") in cleaned["004"].removed


def test_metadata(cleaned: dict[str, CleanedText]) -> None:
    assert cleaned["000"].outlet == "Newswire.net"
    assert cleaned["000"].published == datetime(2016, 7, 13)
    assert cleaned["001"].published == datetime(2016, 7, 11)
    assert cleaned["002"].outlet == "Press TV"
    assert cleaned["002"].author is None


def test_titles(cleaned: dict[str, CleanedText]) -> None:
    assert cleaned["000"].title == "US to Send 560 More Troops to Iraq"
    assert cleaned["001"].title == "US will send 560 more soldiers to Iraq"
    assert "US will send 560 more soldiers to Iraq" not in cleaned["001"].text
    assert cleaned["002"].title is None  # its first line is a body sentence
    assert cleaned["002"].text.startswith("US Defense Secretary Ash Carter says")


def test_captions(cleaned: dict[str, CleanedText]) -> None:
    captions = cleaned["002"].captions
    assert len(captions) == 2
    assert captions[0].startswith("The photo shows the Qayyarah airbase")
    assert captions[1].endswith("(AP photo)")
    assert any("[Getty]" in c for c in cleaned["001"].captions)
    assert any(c.startswith("Visiting US Defense Secretary") for c in cleaned["003"].captions)


def test_clean_article_fills_only_missing_metadata() -> None:
    raw = next(EXAMPLES.glob("000_*.txt")).read_text(encoding="utf-8")
    article = Article(text=raw, outlet="Kept Outlet", source="000.txt")
    out = clean_article(article)
    assert out.outlet == "Kept Outlet"
    assert out.published == datetime(2016, 7, 13)
    assert out.title == "US to Send 560 More Troops to Iraq"
    assert "Photo of author" not in out.text
    assert out.id != article.id  # derived from content, so it follows the cleaned text
    assert article.text == raw  # the input is not modified
