"""What the verifier reads out of a sentence, parsed as the comparison parses it."""

from __future__ import annotations

from storyline.verify import claims


def _values(text: str) -> list[tuple[float, str, str]]:
    return [
        (f.quantity.value, f.quantity.dimension, f.quantity.qualifier) for f in claims.figures(text)
    ]


def test_one_figure_written_three_ways() -> None:
    for text in ("4,600 troops", "4600 troops", "4.6 thousand troops"):
        assert _values(text) == [(4600.0, "count", "")]


def test_units_and_money_and_qualifiers() -> None:
    (miles,) = claims.figures("some 40 miles south of Mosul")
    assert miles.quantity.dimension == "length" and round(miles.quantity.value) == 64374
    assert miles.quantity.qualifier == "about"
    assert _values("more than $2.5 million")[0] == (2_500_000.0, "money:USD", "more than")


def test_dates_are_not_figures() -> None:
    extracted = claims.extract("Iraqi forces took the base on July 9, 2016, and 560 troops follow.")
    assert [f.text for f in extracted.figures] == ["560"]
    assert extracted.date_phrases == ["July 9, 2016"]


def test_names_aliases_and_attribution() -> None:
    assert "Ash Carter" in claims.names("Defense Secretary Ash Carter said on Monday.")
    assert claims.canonical("Daesh") == claims.canonical("the Islamic State") == "islamic state"
    assert claims.credited_to("Press TV put the total at 4,647, according to Reuters.") == [
        "Reuters",
        "Press TV",
    ]


def test_quotations_and_negation() -> None:
    assert claims.quotations('Carter said it was "a key moment" in the fight.') == ["a key moment"]
    assert claims.quotations("He called it ``a key moment'' there.") == ["a key moment"]
    assert claims.negation_count("The troops will not stay.") == 1
    assert claims.negation_count("The troops won't stay.") == 1
    assert claims.negation_count("The troops will stay.") == 0
