from __future__ import annotations

import pytest

from storyline.compare import units
from storyline.compare.quantities import Quantity


def _distance(value: float, unit_name: str, qualifier: str = "") -> Quantity:
    name, unit = units.lookup(unit_name) or ("", units.UNITS["m"])
    assert name, unit_name
    return Quantity(
        units.to_base(value, unit), 10 * unit.factor, qualifier, unit.dimension, name, True
    )


def test_lookup_plural_and_spelling() -> None:
    assert units.lookup("miles south of Mosul")[0] == "mile"
    assert units.lookup("kilometres (225 miles)")[0] == "kilometre"
    assert units.lookup("kilometers")[1].dimension == "length"
    assert units.lookup("square miles")[0] == "square mile"


def test_ambiguous_symbols_only_glued() -> None:
    assert units.lookup("in Iraq") is None
    assert units.lookup_symbol("km") is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [((40, "miles"), (60, "kilometers")), ((225, "miles"), (360, "kilometres"))],
)
def test_converted_distances_agree(a: tuple[int, str], b: tuple[int, str]) -> None:
    assert _distance(*a).compatible(_distance(*b))


def test_different_distances_conflict() -> None:
    assert not _distance(40, "miles").compatible(_distance(100, "kilometers"))


def test_fahrenheit_to_celsius() -> None:
    name, unit = units.lookup("degrees Fahrenheit")
    assert units.to_base(212, unit) == pytest.approx(100)
    assert name == "degrees fahrenheit"


def test_parsed_articles_keep_no_token_vectors(iraq_analysis) -> None:
    # The tagger's vectors (96 floats a token) would be most of a big story's memory; no
    # comparison step reads them, while entities, lemmas and parses stay.
    analyses, ents = iraq_analysis
    assert all(a.doc.tensor.size == 0 for a in analyses)
    assert ents and all(any(t.dep_ for t in a.doc) for a in analyses)
