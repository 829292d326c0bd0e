"""People's ages: one person given two ages by two sources is a disagreement; ages of
different people, or ages a birthday apart in reports a year apart, are not."""

from __future__ import annotations

from datetime import datetime

from storyline.compare import compare_story
from storyline.compare.ages import age_mentions
from storyline.compare.analysis import analyse
from storyline.model import Article, Story

# Sentences of real wire copy (DUC 2006, the Stephen Lawrence inquiry), one age changed.
LAWRENCE = (
    "Stephen Lawrence, 18, was stabbed in April 1993 at a London bus stop by a group of white "
    "attackers. The five suspects were never convicted."
)
LAWRENCE_CHANGED = (
    "Black teenager Stephen Lawrence, 19, was stabbed to death at a bus stop in south London "
    "in 1993. An inquiry found the police investigation was marred by racism."
)


def _story(*articles: Article) -> Story:
    return Story(id="t", articles=list(articles))


def _conflicts(story: Story) -> list[tuple[str, str, list[str]]]:
    return [
        (c.subject, c.status, [v.value for v in c.values]) for c in compare_story(story).conflicts
    ]


def test_two_ages_of_one_person_conflict() -> None:
    story = _story(Article(id="a", text=LAWRENCE), Article(id="b", text=LAWRENCE_CHANGED))
    assert _conflicts(story) == [("age of Stephen Lawrence", "conflict", ["18", "19"])]


def test_a_bare_surname_mistagged_by_the_model_is_the_full_name() -> None:
    # The small English model tags "Slepian" here as a nationality (NORP).
    a = "Barnett Slepian, 51, was shot by a sniper in his home in Amherst, police said Saturday."
    b = "Police said Slepian, 52, was shot through a window of his home in Amherst on Friday."
    found = _conflicts(_story(Article(id="a", text=a), Article(id="b", text=b)))
    assert found == [("age of Barnett Slepian", "conflict", ["51", "52"])]


def test_ages_of_different_people_are_not_compared() -> None:
    a = "Stephen Lawrence, 18, was stabbed in April 1993 at a London bus stop."
    b = "Duwayne Brooks, 19, was with him at the bus stop in April 1993 when he was stabbed."
    assert _conflicts(_story(Article(id="a", text=a), Article(id="b", text=b))) == []


def test_ages_a_birthday_apart_in_reports_a_year_apart_are_different_dates() -> None:
    # Undated sentences: each age holds on its article's day, 13 months apart.
    a = Article(id="a", text=LAWRENCE.replace(" in April 1993", ""), published=datetime(1993, 5, 1))
    b = Article(
        id="b", text=LAWRENCE_CHANGED.replace(" in 1993", ""), published=datetime(1994, 6, 1)
    )
    assert _conflicts(_story(a, b)) == [
        ("age of Stephen Lawrence", "different dates", ["18", "19"])
    ]


def test_ages_far_apart_conflict_even_in_reports_a_year_apart() -> None:
    undated = LAWRENCE_CHANGED.replace(" in 1993", "").replace("19,", "29,")
    a = Article(id="a", text=LAWRENCE.replace(" in April 1993", ""), published=datetime(1993, 5, 1))
    b = Article(id="b", text=undated, published=datetime(1994, 6, 1))
    assert _conflicts(_story(a, b)) == [("age of Stephen Lawrence", "conflict", ["18", "29"])]


def test_age_forms_tied_to_a_name() -> None:
    text = (
        "John Smith, a 33-year-old teacher, was arrested on Monday. "
        "The 41-year-old Mary Jones was released. "
        "Officers questioned Tom Brown, who is 64, for an hour. "
        "He has known the emir since he was 9 years old, the 27-year-old said."
    )
    (analysis,), _ = analyse(_story(Article(id="a", text=text)))
    ages = {m.extras["person"]: m.quantity.value for m in analysis.mentions if m.thing == "age"}
    assert ages == {"John Smith": 33, "Mary Jones": 41, "Tom Brown": 64}
    assert all(m.thing != "age" for m in age_mentions(analysis.doc, "a", [], []))


def test_an_age_is_no_unique_claim_but_an_agreement_is_a_fact() -> None:
    a = "Stephen Lawrence, 18, was stabbed in April 1993 at a London bus stop."
    b = "Stephen Lawrence, 18, died after he was stabbed at a bus stop in Eltham."
    comparison = compare_story(_story(Article(id="a", text=a), Article(id="b", text=b)))
    assert [f.subject for f in comparison.facts if f.kind == "age"] == ["age of Stephen Lawrence"]
    solo = compare_story(_story(Article(id="a", text=a), Article(id="b", text="Police met.")))
    assert all(f.kind != "age" for f in solo.unique)


def test_the_age_of_one_person_is_matched_past_another_persons_equal_age() -> None:
    # Sentences of DUC 2007 wire copy: Henderson's 21 must not stand in for McKinney's.
    a = (
        "Henderson and the 21-year-old McKinney both face the death penalty if convicted in a "
        "case that has become a central focus for gay rights activists."
    )
    b = (
        "A visiting county judge ordered Aaron McKinney, 22, to stand trial on charges of "
        "first-degree murder. The other suspect, Russell Henderson, 21, a friend of McKinney, "
        "has waived his right to a preliminary hearing."
    )
    found = _conflicts(_story(Article(id="a", text=a), Article(id="b", text=b)))
    assert found == [("age of McKinney", "conflict", ["21", "22"])]
