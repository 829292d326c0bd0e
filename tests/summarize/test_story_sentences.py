"""A story's sentences: verbatim spans of their articles, wire datelines left out."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.model import Article
from storyline.summarize.units import build, segment

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mds" / "mini.jsonl"


def wire_articles() -> list[Article]:
    for line in MINI.open(encoding="utf-8"):
        cluster = json.loads(line)
        if cluster["id"].startswith("duc2007"):
            return [Article(text=d) for d in cluster["documents"]]
    raise AssertionError("the DUC 2007 cluster is missing from the fixture")


def test_wire_datelines_do_not_open_a_sentence() -> None:
    articles = wire_articles()
    assert articles[0].text.startswith("BRUSSELS, Belgium (AP) - ")
    assert articles[2].text.startswith("BUCHAREST, November 12 (Xinhua) -- ")
    for article in articles:
        sentences = segment(article)
        first = sentences[0]
        assert first.index == 0
        assert not first.text.split()[0].isupper(), first.text
        assert "(AP)" not in first.text and "(Xinhua)" not in first.text
        assert [s.index for s in sentences] == list(range(len(sentences)))
        for s in sentences:
            assert article.text[s.start : s.end] == s.text  # still a verbatim span
    first = segment(articles[0])[0].text
    assert first.startswith("Eleven of the European Union's 15 members")


def test_capitals_inside_a_paragraph_are_kept() -> None:
    text = (
        "The talks ended on Friday. NATO - the alliance - said little.\n"
        "US-led forces said on Monday that they would stay in the region."
    )
    sentences = [s.text for s in segment(Article(text=text))]
    assert sentences == [
        "The talks ended on Friday.",
        "NATO - the alliance - said little.",
        "US-led forces said on Monday that they would stay in the region.",
    ]


def test_an_agency_tag_alone_is_a_dateline_too() -> None:
    text = (
        "(CNN) Sudanese President Omar al-Bashir has left South Africa, officials said.\n"
        "(Reuters) - Shares fell sharply in Tokyo on Monday.\n"
        "(BEGIN OPTIONAL TRIM)\n\nThe court met on Friday (in closed session) to decide."
    )
    assert [s.text for s in segment(Article(text=text))] == [
        "Sudanese President Omar al-Bashir has left South Africa, officials said.",
        "Shares fell sharply in Tokyo on Monday.",
        "The court met on Friday (in closed session) to decide.",
    ]


# From a New York Times wire story of DUC 2003 (d100a), as LDC distributes it: typesetting
# codes and ``double quotes'' written as backticks and apostrophes.
NYT_WIRE = (
    "&UR; &LR; Schizophrenia may be one of the most baffling of mental illnesses.\n\n"
    "Treatments known to work are woefully underused and support services &UR; &LR; are "
    "often non-existent, the federally funded project concluded.\n\n"
    "&QL;\n\n"
    "``It's a complicated system,'' Dalack said. ``Families struggle for years. Many never "
    "find the help they need.''\n\n"
    "``But we have to make these preparations.''"
)


def test_newswire_codes_and_quotes() -> None:
    story = build([Article(text=NYT_WIRE)])
    texts = [s.text for s in story.sentences]
    assert texts[0] == "Schizophrenia may be one of the most baffling of mental illnesses."
    assert "&QL;" not in texts
    candidates = {s.text for s, ok in zip(story.sentences, story.is_candidate, strict=True) if ok}
    assert texts[0] in candidates
    assert "``It's a complicated system,'' Dalack said." in candidates
    # A code inside the sentence, and the halves of a quotation running over two sentences,
    # cannot stand alone in a summary.
    assert not any("&UR;" in text for text in candidates)
    assert not any(text.startswith("``Families") for text in candidates)
    assert not any(text.startswith("Many never") for text in candidates)
    # A quotation alone does not say who speaks.
    assert "``But we have to make these preparations.''" in texts
    assert not any(text.startswith("``But") for text in candidates)


def test_a_quotation_that_quotes_someone_is_still_speakerless() -> None:
    # Multi-News multinews-train-27493: the speaker is named one sentence before, and the
    # nested quotation hid that this sentence is nothing but a quotation. Then a DUC 2003 wire
    # quote with a nested single-quoted one, and sentences that do say who speaks.
    text = (
        '"The danger for the president is [that] it would be very... seductive for him to '
        'embrace this [and] say "see, I\'ve been vindicated"."\n'
        "``I think the Jesus ethic is, `Always look for redemption.'''\n"
        "``Please,'' Bush whimpers, his lips pursed in mock desperation, ``don't kill me.''\n"
        '"I would be very careful if I was President Trump here," the host often dubbed '
        "'El Rushbo' said.\n"
        '"Star Wars" opened on Friday in more than 3,000 theaters across North America.'
    )
    assert _candidate_flags(text) == [False, False, True, True, True]


def test_a_teaser_cut_short_is_no_candidate() -> None:
    # A scraped page (Multi-News) keeps the cut-off teaser of a related story.
    text = (
        "The House voted 219-197 on Thursday to block the president's immigration orders.\n"
        "Just days before government funding expires, House Republican leaders are trying to "
        "strike...\n"
        "The Senate is not expected to take up the bill before the end of the year."
    )
    assert _candidate_flags(text) == [True, False, True]


def test_an_exclamation_is_no_candidate_unless_quoted() -> None:
    # Real Multi-News sentences: a tweet and an advertisement, then a quoted exclamation.
    text = (
        "Establishment wants to kill this movement!\n"
        "Ask about our 30-day free trial!\n"
        '"We will not back down!" the senator told supporters in Ohio on Tuesday night.'
    )
    assert _candidate_flags(text) == [False, False, True]


def _candidate_flags(text: str) -> list[bool]:
    """Whether each sentence of a one-article story may appear in a summary."""
    return [bool(flag) for flag in build([Article(text=text)]).is_candidate]


def test_the_middle_of_a_quoted_statement_is_no_summary_candidate() -> None:
    # BBC on Charlie Gard (Multi-News multinews-val-46925): the hospital's statement runs over
    # paragraphs; its second sentence, shown alone, would read as the outlet's own words.
    statement = (
        "Great Ormond Street Hospital has applied for a fresh hearing in the case of Charlie "
        'Gard following claims of "new evidence relating to potential treatment".\n'
        'A hospital spokesman said: "Two international hospitals and their researchers have '
        "communicated to us as late as the last 24 hours that they have fresh evidence.\n"
        "\"Our view has not changed. We believe it is right to seek the High Court's view in "
        "light of the claimed new evidence.\n"
        "Under a High Court ruling, GOSH is forbidden from allowing Charlie to be transferred "
        "for nucleoside therapy anywhere."
    )
    story = build([Article(text=statement)])
    candidates = {s.text for s, ok in zip(story.sentences, story.is_candidate, strict=True) if ok}
    assert not any(text.startswith("We believe it is right") for text in candidates)
    assert any(text.startswith("Under a High Court ruling") for text in candidates)
    assert any(text.startswith("Great Ormond Street Hospital has applied") for text in candidates)
