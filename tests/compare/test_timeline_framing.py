from __future__ import annotations

from storyline.compare.schema import Comparison


def test_timeline_order_and_key_events(iraq: Comparison) -> None:
    dates = [e.date for e in iraq.timeline]
    assert dates == sorted(dates)
    by_date = {e.date: e for e in iraq.timeline}
    assert len(by_date["2016-07-11"].article_ids) == 4  # the announcement
    assert len(by_date["2016-07-09"].article_ids) >= 2  # airbase retaken, "on Saturday"
    withdrawal = next(e for e in iraq.timeline if e.date == "2011" and len(e.article_ids) == 2)
    assert "withdrew" in withdrawal.text
    assert "2017-01-20" in by_date  # "on 20 January", written in December 2016


def test_framing_terms_for_islamic_state(iraq: Comparison) -> None:
    item = next(f for f in iraq.framing if f.kind == "entity_terms" and f.entity == "Islamic State")
    terms = {(t.outlet, t.term) for t in item.terms}
    assert ("Press TV", "Daesh Takfiri militants") in terms
    assert ("The New Arab", "Islamic State group") in terms
    assert ("The Independent", "Isis") in terms


def test_distinctive_words(iraq: Comparison) -> None:
    press = next(
        f for f in iraq.framing if f.kind == "distinctive_words" and f.outlet == "Press TV"
    )
    assert "Daesh" in {t.term for t in press.terms}


def test_a_possessive_is_no_other_name() -> None:
    # DUC 2004 d30002t (Hurricane Mitch): "Mitch's deadly passage" is how one source writes
    # "Mitch", not a framing of it.
    from storyline.compare import compare_story
    from storyline.model import Article, Story

    texts = [
        "Mitch was drifting west at only 2 mph (3 kph) over the Bay Islands, Honduras' most "
        "popular tourist area. Mitch killed at least 32 people.",
        "The aid will be distributed in Nicaragua, El Salvador, Honduras and Guatemala which "
        "have most suffered from Mitch's deadly passage, the EU executive Commission said.",
    ]
    story = Story(
        id="mitch",
        articles=[Article(id=str(i), outlet=f"o{i}", text=t) for i, t in enumerate(texts)],
    )
    framed = {f.entity for f in compare_story(story).framing if f.kind == "entity_terms"}
    assert "Mitch" not in framed
