"""Hand-written scrapes in the style of other outlets: menus, cookie banners, newsletters..."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from storyline.clean import CleanedText, clean_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "clean"


def _clean(name: str) -> CleanedText:
    return clean_text((FIXTURES / name).read_text(encoding="utf-8"))


CASES = {
    "harbour_council.txt": {
        "gone": [
            "Skip to main content",
            "We use cookies",
            "Accept all cookies",
            "3 min read",
            "Share this article",
            "Advertisement",
            "Read more:",
            "Sign up",
            "newsletter",
            "Related stories",
            "Coastal towns brace for spring tides",
            "Council tax to rise",
            "Follow us",
            "All rights reserved",
            "Privacy Policy",
            "By Priya Raman",
        ],
        "kept": [
            "The harbour council voted on Tuesday to approve a £42m flood barrier",
            '"We have waited long enough," said council leader Martin Okafor.',
            "The barrier, a 600-metre wall with three tidal gates, is due to be finished by 2026.",
            "1,250 properties",
            "£18.5m",
            "Work will begin in September, the council said.",
        ],
        "title": "Harbour council approves £42m flood barrier after decade of delays",
        "author": "Priya Raman",
        "published": datetime(2023, 3, 14),
    },
    "vaccine_trial.txt": {
        "gone": [
            "Home | World",
            "Published 2 June",
            "Photo: A nurse",
            "Continue reading below",
            "Reporting by",
            "Most Read",
            "Heatwave warnings",
            "Central bank raises rates",
            "You may also like",
            "Comments",
            "Be the first to comment",
        ],
        "kept": [
            "A new malaria vaccine reduced deaths among young children",
            "cut severe malaria cases by 42%",
            "the strongest evidence yet",
            "619,000",
            "The U.S. government and the Gates Foundation funded the trial at a cost of $4.5bn",
            "Prof. Daniel Osei",
            "The WHO is expected to review the data later this year.",
        ],
        "title": "Malaria vaccine cuts child deaths by a third in large African trial",
        "author": None,
        "published": datetime(2022, 6, 2),
    },
    "stadium_vote.txt": {
        "gone": [
            "Subscribe",
            "Log In",
            "LOCAL NEWS",
            "Posted on",
            "by Carlos Mendez",
            "Tweet",
            "ADVERTISEMENT",
            "free articles",
            "Already a subscriber",
            "Trending Now",
            "Police identify victim",
            "High school football scores",
            "Copyright",
        ],
        "kept": [
            "The City Council voted 7-2 on Monday night",
            "The $120 million project",
            "Opponents questioned the city's share.",
            '"We are being asked to take on debt for a private business,"',
            "8,000 people",
            "Mayor Luis Ortega said he would sign the measure this week.",
        ],
        "title": "City Council backs new downtown stadium in 7-2 vote",
        "author": "Carlos Mendez",
        "published": datetime(2021, 10, 3),
    },
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture(name: str) -> None:
    case = CASES[name]
    cleaned = _clean(name)
    for phrase in case["gone"]:
        assert phrase not in cleaned.text, (name, phrase)
    for phrase in case["kept"]:
        assert phrase in cleaned.text, (name, phrase)
    assert cleaned.title == case["title"]
    assert cleaned.author == case["author"]
    assert cleaned.published == case["published"]
    # The headline is metadata, not a body paragraph.
    assert case["title"] not in cleaned.text


def test_rules_alone_keep_body_of_an_article_file() -> None:
    cleaned = clean_text(
        (FIXTURES / "stadium_vote.txt").read_text(encoding="utf-8"), use_model=False
    )
    assert "Mayor Luis Ortega said he would sign the measure this week." in cleaned.text
    assert "free articles" not in cleaned.text
