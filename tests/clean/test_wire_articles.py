"""Short wire and Wikinews articles keep their leads and their news about donations.

The line model learned page chrome from web pages; these plain articles (from the TAC 2011
MultiLing and DUC 2003 sets in ../shared/data/mds) were losing real paragraphs to it.
"""

from storyline.clean import clean_text
from storyline.clean.boilerplate import looks_like_headline
from storyline.clean.rules import is_plea

# Wikinews, 2005-01-08 (tac2011ml-en-M000): a news paragraph about donations, no appeal.
DONATIONS = (
    "After the U.S. increased it's funding donation to 350 million USD, Japanese Prime Minister "
    "Junichiro Koizumi announced a half-billion dollar donation on Saturday, Jan. 1. China has "
    "promised 60.5 million USD, after Japan and the U.S., the United Kingdom and Sweden for "
    "largest single-nation donation. Norway increased it's funding donation to 180 million USD"
)

# Wikinews, 2007-07-24 (tac2011ml-en-M003): headline, date line, then a 21-word lead.
VINOKOUROV = (
    "Tour de France: Alexander Vinokourov fails blood test\n\n"
    "Tuesday, July 24, 2007\n\n"
    "Astana Team announced today that Alexander Vinokourov of Kazakhstan failed a blood test "
    "following his victory in Saturday's time trial.\n\n"
    '"Vino has tested positive having to do with a blood transfusion, and the team is leaving '
    "the Tour,\" team spokesperson Corinne Druey said. Vinokourov also won yesterday's stage.\n\n"
    '"There is the presence of a double population of haematids, which implies there has been '
    'a blood transfusion with homological blood," read an Astana Team statement. "Tour '
    "organizers have asked Astana Cycling Team to leave the race, which has been accepted "
    'spontaneously."\n\n'
    'Astana manager Marc Biver declared: "Vino denies any blood manipulation. He says after his '
    'crash on July 12, there may be blood anomalies." He added that his team was in shock after '
    "the events.\n\n"
    "Vinokourov was a pre-Tour favorite, but despite winning two stages, he has dropped out of "
    "contention. However, Astana Team, which has now withdrawn, had two other riders in the top "
    "ten, Andreas Klöden, fifth overall, and Andrey Kashechkin, eighth overall.\n\n"
    'Pat McQuaid, president of Union Cycliste Internationale (UCI) told Reuters: "I cannot '
    "comment on this until the result of the B sample's analysis.\"\n\n"
    '"Jesus Christ, I\'m speechless," said David Millar of the United Kingdom, who rides for '
    'Saunier Duval-Prodir. "It makes me sad. I have the impression the riders will never '
    'understand."\n\n'
    "When asked if the Tour was too hard on the cyclists, Tour director Christian Prudhomme "
    'told reporters that "You do not cheat because it is too hard, you cheat because you want '
    'to be first."'
)

# AP via DUC 2003 (duc2003-d30028t): the first line is the lead, under a wire dateline.
ISTANBUL_LEAD = (
    "ISTANBUL, Turkey _ Tension between Turkey and Syria has risen to the point where the top "
    "Turkish military commander says the two hostile neighbors have reached ``a state of "
    "undeclared war.''"
)


def test_news_about_donations_is_not_a_plea() -> None:
    assert not is_plea(DONATIONS)
    assert "half-billion dollar donation" in clean_text(DONATIONS).text


def test_a_plea_to_the_reader_still_is_one() -> None:
    assert is_plea(
        "Your donation keeps our journalism free for everyone. Donate today: a monthly "
        "donation of any size helps us report the news that matters to you."
    )


def test_the_lead_under_a_date_line_is_kept() -> None:
    cleaned = clean_text(VINOKOUROV)
    assert cleaned.title == "Tour de France: Alexander Vinokourov fails blood test"
    assert cleaned.published is not None and cleaned.published.day == 24
    assert cleaned.text.startswith("Astana Team announced today that Alexander Vinokourov")
    assert cleaned.text.endswith('you cheat because you want to be first."')


def test_a_wire_lead_is_not_taken_for_a_headline() -> None:
    assert not looks_like_headline(ISTANBUL_LEAD)
    text = ISTANBUL_LEAD + "\n\n``We are trying to be patient,'' said the commander."
    cleaned = clean_text(text)
    assert cleaned.title is None
    assert cleaned.text.startswith("ISTANBUL, Turkey _ Tension between Turkey and Syria")


def test_a_headline_ending_in_a_quotation_is_still_a_headline() -> None:
    assert looks_like_headline('Trump on Puerto Rico: "We will not leave"')
