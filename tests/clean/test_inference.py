"""Outlet and date inferred from the text alone, on slices of real scrapes."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.clean import outlets
from storyline.clean.date_inference import guess_published
from storyline.clean.outlet_inference import guess_outlet

NEW_ARAB = (
    "The Pentagon chief made the announcement within hours of landing in Baghdad on an "
    "unexpected visit to hold talks with Prime Minister Haider al-Abadi.\n"
    "The duo were met with the Canadian Defence Minister who also made the unexpected journey "
    "to Baghdad a few hours later, The New Arab correspondent in Iraq confirmed. \n"
)
MONITOR = (
    '"While Iraqis mourn, again, analysts say the link between the Fallujah victory and the '
    'Baghdad bomb is a microcosm in Iraq of a broader phenomena," the Christian Science '
    "Monitor's Scott Petersen wrote following the bombing.\n"
    '"[I]t demonstrates (the Islamic State\'s) strength and long-term survival skills," Hassan '
    "Hassan, a resident fellow at the Tahrir Institute for Middle East Policy, writes for the "
    "New York Times.\n"
    "This report contains material from Reuters. \n"
    "of stories this month > Get unlimited stories\n"
    "Unlimited digital access $11/month.\n"
    "Get unlimited Monitor journalism.\n"
)
INDEPENDENT = (
    "Your support helps us to tell the story\n"
    "From reproductive rights to climate change to Big Tech, The Independent is on the ground "
    "when the story is developing.\n"
    "The Independent is trusted by Americans across the entire political spectrum.\n"
    "Join our commenting forum\n"
    "Join thought-provoking conversations, follow other Independent readers and see their "
    "replies\n"
)
CITES_OTHERS = (
    "Obama hopes to hand over a liberated Mosul to his successor, The New York Times reports, "
    "and added that it also means that he will leave the next president with a significant "
    "military presence in Iraq and Afghanistan.\n"
    "Hassan Hassan writes for the New York Times that the threat is not going away.\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NEW_ARAB, "The New Arab"),
        (MONITOR, "The Christian Science Monitor"),
        (INDEPENDENT, "The Independent"),
        (
            "MOSCOW, July 20 (Xinhua) -- The Russian combined federal force in the breakaway "
            "republic of Chechnya has seen 25 people killed and 74 wounded in the past week.",
            "Xinhua",
        ),
        (
            "GOTEBORG, Sweden (AP) _ A panicky telephone call in poor Swedish was the first "
            "word that authorities got of a fire racing through a dance hall.",
            "The Associated Press",
        ),
        (
            "The airbase was retaken on Saturday.\nCarter’s announcement comes as Iraqi forces "
            "prepare to retake Mosul.\nBy Press TV",
            "Press TV",
        ),
    ],
)
def test_outlet_from_self_reference(text: str, expected: str) -> None:
    guess = guess_outlet(text)
    assert guess is not None
    assert guess.name == expected
    assert guess.evidence


def test_citing_another_outlet_is_not_a_self_reference() -> None:
    assert guess_outlet(CITES_OTHERS) is None
    # The Monitor's page cites the New York Times and Reuters; it is still the Monitor's.
    guess = guess_outlet(MONITOR)
    assert guess is not None and guess.name == "The Christian Science Monitor"


def test_footer_copyright_beats_a_picture_credit() -> None:
    body = "Officials said the meeting would resume on Thursday. " * 20
    text = (
        f"© NASA\n{body}\n© 2019 BBC. The BBC is not responsible for the content of external sites."
    )
    guess = guess_outlet(text)
    assert guess is not None and guess.name == "BBC News"


def test_url_names_the_site() -> None:
    guess = guess_outlet("Some text without names.", url="https://www.independent.co.uk/news/x")
    assert guess is not None and guess.name == "The Independent"
    unknown = guess_outlet("Some text.", url="https://www.valleycourier.com/2021/03/04/budget")
    assert unknown is not None and unknown.name == "valleycourier.com"


def test_same_outlet_names_and_domains() -> None:
    assert outlets.same_outlet("The Independent", "https://www.independent.co.uk/a")
    assert outlets.same_outlet("NYT", "nytimes.com")
    assert outlets.same_outlet("Phys.org", "https://phys.org/news/2019-11-x.html")
    assert outlets.same_outlet("CBS", "https://www.cbsnews.com/news/x")
    assert not outlets.same_outlet("The Guardian", "https://www.independent.co.uk/a")


@pytest.mark.parametrize(
    ("name", "site", "same"),
    [
        ("The Republic", "http://www.therepublic.com/2019/11/20/cpd_arrests", True),
        ("Beachbody", "https://www.beachbodyondemand.com/blog/meal-prep", True),
        ("The Paradigm", "http://www.theparadigmng.com/2018/10/09/saraki", True),
        ("Vortex Cannon Entertainment", "https://vortexcannon.org/about-bugs/", True),
        ("Mensagens de Reflexão", "https://www.mensagensreflexao.com.br/quem-se-ama", True),
        # A tail that names another outlet, or a short word, is not the site's brand.
        ("Washington", "https://www.washingtonpost.com/politics/x", False),
        ("CBS News", "https://www.cbssports.com/nfl/news/x", False),
        ("Sky", "https://www.skysports.com/football/x", False),
    ],
)
def test_a_site_label_made_of_the_name_is_its_brand(name: str, site: str, same: bool) -> None:
    assert outlets.same_outlet(name, site) is same


# The footer of a chron.com page (dev extraction data): the copyright names the owner.
HEARST_FOOTER = (
    "Houston Chronicle Archives\neEdition Demo\nToday's eNewspaper\nHearst Newspapers\n"
    "© Copyright Hearst Newspapers, LLC\n"
)


def test_a_company_holding_the_copyright_is_weak_evidence_of_the_outlet() -> None:
    body = "New-car sales in Houston fell 10 percent in October, dealers said. " * 30
    # Two copyright lines of the owner, each with a legal form, count once and weakly.
    text = f"{body}\nView Comments\n© 2019 Hearst Communications, Inc.\n{HEARST_FOOTER}"
    assert guess_outlet(text) is None
    # The same line naming an outlet ("Media" and "LLC" are dropped from the name) still counts.
    globe = f"{body}\n© 2019 Boston Globe Media Partners, LLC. All rights reserved.\n"
    guess = guess_outlet(globe)
    assert guess is not None and guess.name.endswith("Boston Globe")


def test_a_section_name_is_never_the_outlet() -> None:
    menu = "Business\nMarkets\nMoney\nTech\nPolitics\nOpinion\nWorld\nSports\nVideo\n"
    text = menu + "Shares fell sharply on Tuesday, traders said.\n" * 20 + menu
    guess = guess_outlet(text)
    assert guess is None or guess.name.lower() not in {"business", "markets", "money"}


PRESS_TV = (
    "Carter, who is currently in Iraq on an unannounced visit, said on Monday that 560 more US "
    "troops will be sent to Iraq, which will help establish the newly retaken air base in the "
    "town of Qayyarah as a staging hub.\n"
    '[caption id="" align="aligncenter" width="555"] The photo shows the Qayyarah airbase, '
    "following its recapture by Iraqi forces from Daesh militants on July 9, 2016.[/caption]\n"
    '[caption id="" align="aligncenter" width="555"] Visiting US Defense Secretary Ash Carter '
    "arrives at the Ministry of Defense in Baghdad, Iraq, July 11, 2016. (AP photo)[/caption]\n"
)
INDEPENDENT_DATES = (
    'Five years after Barack Obama announced that that "war in Iraq ends this month\u201d, at '
    "least 5,000 American military personnel are currently stationed in the middle eastern "
    "country.\n"
    "Following the president's decree, the last US troops withdrew a week before the Christmas "
    "of 2011. But after Isis gained significant territory in the country three years later, "
    "the US was forced to put boots back on the ground.\n"
    "Between the invasion of Iraq in March 2003 until the end of 2011, around one million US "
    "military personnel were deployed in the country.\n"
)


def test_date_from_the_latest_caption_and_the_ledes_weekday() -> None:
    guess = guess_published(PRESS_TV)
    assert guess is not None
    assert guess.day == date(2016, 7, 11)  # a Monday, the day the lede's "on Monday" names
    assert "caption" in guess.evidence


def test_date_from_an_anniversary_headline() -> None:
    title = "Five years after Barack Obama withdrew US Troops from Iraq, thousands remain"
    guess = guess_published(INDEPENDENT_DATES, title=title)
    assert guess is not None
    assert (guess.day.year, guess.day.month) == (2016, 12)
    assert guess.granularity == "month"
    # Without the headline that names the withdrawal there is no anniversary to count from.
    assert guess_published(INDEPENDENT_DATES) is None


@pytest.mark.parametrize(
    ("text", "url", "expected"),
    [
        ("Menu\nPublished 2 June 2022, 09:15 BST\nThe council met.", None, date(2022, 6, 2)),
        (
            "The council met on Tuesday.",
            "https://x.com/2019/11/18/council-meets",
            date(2019, 11, 18),
        ),
        # The first bare date line is the article's; later ones date teasers.
        (
            "Home\nOctober 06, 2018\nThe actress spoke.\nRelated\nApril 09, 2019\nApril 09, 2019",
            None,
            date(2018, 10, 6),
        ),
        (
            "(Newswire.net — July 13, 2016) —During his visit to Baghdad on Monday",
            None,
            date(2016, 7, 13),
        ),
    ],
)
def test_date_cues(text: str, url: str | None, expected: date) -> None:
    guess = guess_published(text, url=url)
    assert guess is not None and guess.day == expected


def test_a_dateline_without_its_year_is_not_guessed() -> None:
    # Wire copy rarely names its own year; the years it names are past events'.
    text = (
        "MOSCOW, July 20 (Xinhua) -- The federal troops have lost 2,518 killed since the start "
        "of the operation on August 2, 1999, the Interfax news agency reported."
    )
    assert guess_published(text) is None
