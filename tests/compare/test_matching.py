"""The generic rules behind conflict precision and recall, on small synthetic stories."""

from __future__ import annotations

from storyline.compare import compare_story
from storyline.compare.analysis import analyse
from storyline.compare.quantities import Quantity
from storyline.model import Article, Story


def _story(*texts: str) -> Story:
    return Story(
        id="t", articles=[Article(id=f"a{i}", outlet=f"o{i}", text=t) for i, t in enumerate(texts)]
    )


def _conflicts(*texts: str) -> list[str]:
    return [c.status for c in compare_story(_story(*texts)).conflicts]


def test_range_is_an_interval() -> None:
    r = Quantity(130, 10, "", "count", high=170)
    assert r.compatible(Quantity(150, 10, "", "count"))
    assert not r.compatible(Quantity(120, 10, "", "count"))
    assert r.display() == "130–170"


def test_changed_count_in_paraphrase_is_a_conflict() -> None:
    a = "The company said it would close its plant in Ohio and cut 1,200 jobs by March."
    b = "Officials said the company plans to cut 1,800 jobs by March when it closes the Ohio plant."
    assert _conflicts(a, b) == ["conflict"]


def test_killed_and_wounded_are_different_counts() -> None:
    a = "Police said 20 people were killed and 10 others were wounded in the clashes."
    b = "A spokesman said 10 people were wounded in the clashes in the province."
    assert _conflicts(a, b) == []


# A running tally in two undated reports.
FLIGHTS = (
    "More than 18,000 flights had been canceled as the storm hit the coast.",
    "Airlines canceled more than 15,000 flights as the storm hit the coast.",
)


def test_running_tally_is_not_a_conflict() -> None:
    assert "conflict" not in _conflicts(*FLIGHTS)


def test_ages_are_not_quantities() -> None:
    analyses, _ = analyse(
        _story("He has known the emir since he was 9 years old, the 33-year-old said.")
    )
    assert analyses[0].mentions == []


def test_rate_is_not_compared_with_a_total() -> None:
    a = "With 11 children dead in July, it was the worst month for hot car deaths."
    b = "An estimated 37 children die in hot cars each year, the website says."
    assert _conflicts(a, b) == []


def test_document_cache_reuses_parses() -> None:
    from storyline.compare import analysis

    story = _story(
        "The plant employs 400 workers in Caracas.", "About 400 workers lost their jobs."
    )
    first, _ = analysis.analyse(story)
    second, _ = analysis.analyse(story)
    assert first[0].doc is second[0].doc


def test_numbers_that_name_things_are_not_amounts() -> None:
    a = "Alexander Vinokourov of Kazakhstan has won stage 13 of the 2007 Tour de France."
    b = "Alexandre Vinokourov of Kazakhstan has won stage 15 of the 2007 Tour de France."
    assert _conflicts(a, b) == []


def test_distances_from_different_places_do_not_clash() -> None:
    a = "At 0900 GMT Tuesday, Mitch was 95 miles north of Honduras, near the Swan Islands."
    b = "Caught near the storm were the Bay Islands, about 25 miles off Honduras' coast."
    assert _conflicts(a, b) == []


def test_dateline_is_not_an_event_date() -> None:
    a = "BUCHAREST, November 12 (Xinhua) -- The euro would pose problems to the economy."
    b = "BUCHAREST, December 15 (Xinhua) -- The banking system is ready for the euro economy."
    story = _story(a, b)
    comparison = compare_story(story)
    assert comparison.conflicts == []
    assert all(e.date != "--11-12" for e in comparison.timeline)


def test_mixed_case_dateline_is_not_an_event_date() -> None:
    a = "Bucharest, Nov. 12 (Xinhua) -- The euro would pose problems to the economy."
    b = "Bucharest, Dec. 15 (Xinhua) -- The banking system is ready for the euro economy."
    comparison = compare_story(_story(a, b))
    assert comparison.conflicts == []
    assert comparison.timeline == []


def test_day_without_year_still_compares() -> None:
    a = "Olsen interviewed openly gay actor Leon Acord on her talk radio segment on December 7."
    b = "The star spoke with openly gay actor Leon Acord on her talk radio segment on December 10."
    statuses = _conflicts(a, b)
    assert statuses == ["conflict"]


def test_wire_datelines_stay_out_of_reported_sentences() -> None:
    a = "WASHINGTON _ The Senate approved the $1.2 billion aid bill on March 3, 2009."
    b = "WASHINGTON (AP) -- On March 3, 2009, senators approved a $1.2 billion aid bill."
    comparison = compare_story(_story(a, b))
    shown = [e.text for e in comparison.timeline] + [
        ev.text for item in comparison.facts + comparison.unique for ev in item.evidence
    ]
    assert shown
    assert not any(text.startswith("WASHINGTON") for text in shown)


def test_the_same_short_sentence_with_another_figure_is_a_conflict() -> None:
    # Too few content words for the Jaccard test of same_statement; the wording is the same.
    a = "Rents went up again this year. That's an increase of 12 percent since 1991."
    b = "Rents rose in every district. That's an increase of 19 percent since 1991."
    assert _conflicts(a, b) == ["conflict"]


def test_a_short_sentence_worded_differently_is_no_same_statement() -> None:
    a = "Rents went up again this year. That's an increase of 12 percent since 1991."
    b = "Wages rose in every district. Pay grew 19 percent since 1991."
    assert _conflicts(a, b) == []


def test_a_four_digit_count_the_tagger_calls_a_date_is_a_number() -> None:
    a = "Chicago had 1117 homicides in 1998, surpassing New York City's totals for the first time."
    b = "Chicago had 698 homicides in 1998, surpassing New York City's totals for the first time."
    assert _conflicts(a, b) == ["conflict"]


def test_an_undated_running_tally_says_its_times_are_not_known() -> None:
    (conflict,) = compare_story(_story(*FLIGHTS)).conflicts
    assert conflict.status == "different dates"
    assert "undated" in conflict.pairs[0].reason
