from __future__ import annotations

from storyline.compare.entities import initials, normalise, skeleton


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
