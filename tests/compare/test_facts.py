from __future__ import annotations

import pytest

from storyline.compare.quantities import Quantity, parse_number, qualifier_before, qualifier_words


def q(value: float, precision: float, qualifier: str = "") -> Quantity:
    return Quantity(value, precision, qualifier, "count")


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("4,647", 4647, 1),
        ("5,000", 5000, 1000),
        ("$10bn", 10e9, 10e9),
        ("around one million", 1e6, 1e6),
        ("2.5 million", 2.5e6, 1e5),
        ("560", 560, 10),
    ],
)
def test_parse_number(text: str, value: float, precision: float) -> None:
    parsed = parse_number(text)
    assert parsed is not None
    assert parsed[0] == pytest.approx(value)
    assert parsed[1] == pytest.approx(precision)


def test_currency_detected() -> None:
    assert parse_number("$10bn")[2] == "$"
    assert parse_number("£8bn")[2] == "£"


@pytest.mark.parametrize(
    ("before", "qualifier"),
    [
        ("there are approximately more than ", "more than"),
        ("the number of US forces in Iraq to more than ", "more than"),
        ("at least ", "at least"),
        ("killed nearly ", "nearly"),
        ("located some ", "about"),
        ("as many as ", "up to"),
        ("an additional ", ""),
    ],
)
def test_qualifier(before: str, qualifier: str) -> None:
    assert qualifier_before(before) == qualifier


def test_written_qualifier_keeps_both_hedges() -> None:
    assert qualifier_words("there are approximately more than ") == "approximately more than"


def test_issue_examples_for_qualifiers() -> None:
    # "more than 4,600" and "4,647" are compatible; "4,600" and "5,000" are not.
    assert q(4600, 100, "more than").compatible(q(4647, 1))
    assert not q(4600, 100).compatible(q(5000, 1000))
    assert q(4600, 100, "more than").compatible(q(4647, 1, "more than"))
    assert not q(5000, 1000, "more than").compatible(q(4600, 100, "more than"))
    assert q(5000, 1000, "more than").compatible(q(5000, 1000, "at least"))


def test_two_ceilings_are_compared_by_their_figures() -> None:
    assert not q(300_000, 100_000, "up to").compatible(q(450_000, 10_000, "up to"))
    assert q(300, 100, "up to").compatible(q(250, 10))


def test_mentions_of_example(iraq_analysis) -> None:  # type: ignore[no-untyped-def]
    analyses, _ = iraq_analysis
    by_outlet = {a.article.outlet: a for a in analyses}
    newswire = by_outlet["Newswire.net"].mentions
    five_k = next(m for m in newswire if "5,000" in m.text)
    assert five_k.quantity.qualifier == "more than"
    assert five_k.thing_class == "personnel" and five_k.kind == "total"
    troops = [m for m in newswire if m.quantity.value == 560]
    assert troops and all(m.kind == "increment" for m in troops)
    afghanistan = next(m for m in newswire if m.quantity.value == 8400)
    assert afghanistan.places == frozenset({"afghanistan"})
    press = by_outlet["Press TV"].mentions
    km = next(m for m in press if m.quantity.dimension == "length")
    assert km.anchor == "mosul"
    assert km.quantity.value == pytest.approx(60_000)
    # "60 kilometers (40 miles)" is one distance, not two
    assert sum(1 for m in press if m.quantity.dimension == "length") == 1


def test_exact_neighbours_differ() -> None:
    # Hurricane Sandy (Multi-News multinews-train-22298): "68 other deaths in the Caribbean"
    # against "killed 69 people in the Caribbean". Each is exact to one death; their ranges
    # only meet at 68.5, and a shared end is no agreement.
    assert not q(68, 1).compatible(q(69, 1))
    assert q(68, 1).compatible(q(68, 1))
    assert q(4600, 100, "more than").compatible(q(4647, 1, "more than"))


def _measures(text: str) -> list[tuple[str, float]]:
    from storyline.compare.mentions import extract_mentions
    from storyline.compare.nlp import load

    doc = load()(text)
    mentions = extract_mentions(doc, "a", [(0, len(text))], {}, [frozenset()])
    return [(m.text, round(m.quantity.value, 3)) for m in mentions]


def test_a_compound_measure_is_one_quantity() -> None:
    # Serena Williams's daughter (multinews-train-18965): one weight, not 6 pounds and 13
    # ounces as two agreed facts; a height in feet and inches is a height, not "feet 4".
    assert _measures("Williams gave birth to a baby girl weighing 6 pounds, 13 ounces.") == [
        ("6 pounds, 13 ounces", 3.09)
    ]
    assert _measures("The player is 6 feet 4 inches tall.") == [("6 feet 4 inches", 1.93)]


def test_figures_in_one_unit_get_no_conversion_slack() -> None:
    pound = 0.45359237

    def pounds(n: float, precision: float) -> Quantity:
        return Quantity(n * pound, precision * pound, "", "mass", "pound", converted=True)

    # "220 pounds" and "225 pounds" differ; "220 pounds" and "100 kg" may be one rounding apart.
    assert not pounds(220, 10).compatible(pounds(225, 1))
    assert pounds(220, 10).compatible(Quantity(100.0, 100.0, "", "mass", "kilogram"))


def test_money_needs_a_currency() -> None:
    # AP on Sandy (multinews-train-22298): the tagger calls a number of customers MONEY.
    text = "The storm cut power to more than 8.2 million across the East."
    from storyline.compare.mentions import extract_mentions
    from storyline.compare.nlp import load

    def dimensions(text: str) -> list[str]:
        doc = load()(text)
        return [
            m.quantity.dimension
            for m in extract_mentions(doc, "a", [(0, len(text))], {}, [frozenset()])
        ]

    assert dimensions(text) == ["count"]
    assert dimensions("The company paid $5 million to settle the case.") == ["money:USD"]
    assert dimensions("The bid cost 33 million dollars in all.") == ["money:USD"]


def test_a_weight_in_pounds_and_a_phone_number_are_no_money_and_no_count() -> None:
    # Global News on Angela Shymanski's crash (multinews-train-39565).
    assert _measures('"Now I can hold him but he\'s 14 pounds," said Angela.') == [
        ("14 pounds", 6.35)
    ]
    assert _measures("It took him a while before he could get cell service to call 911.") == []
