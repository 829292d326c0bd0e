from __future__ import annotations

from storyline.compare.entities import initials, normalise
from storyline.compare.transliteration import skeleton


def test_normalise_strips_titles_and_generic_heads() -> None:
    assert normalise("Mr. Carter", "PERSON") == "carter"
    assert normalise("the Islamic State group", "ORG") == "islamic state"


def test_skeleton_transliterations() -> None:
    assert skeleton("qayyarah") == skeleton("qayara")
    assert skeleton("haider al-abadi") == skeleton("haider al abadi")


def test_initials() -> None:
    assert initials("islamic state") == "is"
    assert initials("islamic state of iraq and syria") == "isis"


def _entity(ents, alias: str):  # type: ignore[no-untyped-def]
    return next(e for e in ents if alias in e.aliases)


def test_example_aliases(iraq_analysis) -> None:  # type: ignore[no-untyped-def]
    _, ents = iraq_analysis
    islamic_state = _entity(ents, "Daesh")
    for alias in ("Islamic State", "IS", "Isis"):
        assert alias in islamic_state.aliases
    assert _entity(ents, "Qayara") is _entity(ents, "Qayyarah")
    carter = _entity(ents, "Ash Carter")
    for alias in ("Ashton Carter", "Carter", "the Pentagon chief"):
        assert alias in carter.aliases
    assert carter.name == "Ash Carter"
    # a role must not swallow someone else: "the next president" is Obama's successor
    obama = _entity(ents, "Barack Obama")
    assert "the next president" not in obama.aliases
    assert _entity(ents, "Afghanistan") is not _entity(ents, "Iraq")


def _entities_of(*texts: str):  # type: ignore[no-untyped-def]
    from storyline.compare.entities import build_entities
    from storyline.compare.nlp import load

    docs = {str(i): load()(text) for i, text in enumerate(texts)}
    return build_entities(docs)[0]


def test_a_country_alias_does_not_swallow_other_names() -> None:
    # Multi-News multinews-train-18965: "the source tells Us" (Us Weekly) is no United States,
    # and the U.S. Open is a tournament, not the country.
    ents = _entities_of(
        "ESPN shared the news as Venus Williams prepared to play at the 2017 U.S. Open.",
        "Williams gave birth in Florida on Friday, the source tells Us. The US embassy in "
        "London sent flowers.",
    )
    by_alias = {alias: e for e in ents for alias in e.aliases}
    assert "Us" not in by_alias
    assert "U.S. Open" in by_alias
    assert by_alias["U.S. Open"].label == "EVENT"
    assert all(alias in {"U.S. Open"} for alias in by_alias["U.S. Open"].aliases)
