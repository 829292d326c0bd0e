from __future__ import annotations

from storyline.compare.schema import Comparison
from storyline.model import Story


def _troop_total(iraq: Comparison):  # type: ignore[no-untyped-def]
    return next(c for c in iraq.conflicts if any("4,600" in v.text for v in c.values))


def test_troop_total_is_one_group_with_all_four(iraq: Comparison, iraq_story: Story) -> None:
    group = _troop_total(iraq)
    outlets = {v.outlet for v in group.values}
    assert outlets == {"Newswire.net", "The New Arab", "Press TV", "The Independent"}
    assert group.status == "conflict"
    for v in group.values:
        assert iraq_story.article(v.article_id).text[v.start : v.end] == v.text
        assert v.published is not None
    phrases = {v.outlet: v.phrase for v in group.values}
    assert phrases["Newswire.net"].startswith("approximately more than 5,000")
    assert phrases["The Independent"].startswith("at least 5,000")


def test_troop_total_pair_verdicts(iraq: Comparison) -> None:
    group = _troop_total(iraq)
    outlet = [v.outlet for v in group.values]
    verdict = {frozenset((outlet[p.a], outlet[p.b])): p.status for p in group.pairs}
    assert verdict[frozenset({"The New Arab", "Press TV"})] == "compatible"  # >4,600 vs >4,647
    assert verdict[frozenset({"Newswire.net", "The New Arab"})] == "conflict"  # >5,000 vs >4,600
    assert verdict[frozenset({"The New Arab", "The Independent"})] == "different dates"


def test_560_is_agreement_of_four(iraq: Comparison) -> None:
    fact = next(f for f in iraq.facts if f.value == "560")
    assert fact.sources == 4
    assert "The Independent" not in fact.outlets
    assert not any(any("560" in v.phrase for v in c.values) for c in iraq.conflicts)


def test_distance_in_miles_and_km_agrees(iraq: Comparison) -> None:
    fact = next(f for f in iraq.facts if f.kind == "length")
    assert {"Newswire.net", "Press TV", "The Christian Science Monitor"} <= set(fact.outlets)
    assert not any(c.kind == "length" for c in iraq.conflicts)


def test_only_conflict_is_troop_total(iraq: Comparison) -> None:
    assert [c.status for c in iraq.conflicts] == ["conflict"]


def test_unique_facts(iraq: Comparison) -> None:
    texts = [u.text for u in iraq.unique]
    assert any("8,400" in t for t in texts)
    assert any("nearly 300" in t for t in texts)  # the Baghdad bombing toll
    assert any("10bn" in t for t in texts)
    assert any("7,000" in t for t in texts)
    for u in iraq.unique:
        assert u.sources == 1


def test_changed_number_in_one_source_is_found(iraq_story: Story) -> None:
    from storyline.compare import compare_story

    articles = [a.model_copy() for a in iraq_story.articles]
    press = next(a for a in articles if a.outlet == "Press TV")
    press.text = press.text.replace("60 kilometers (40 miles)", "90 kilometers (56 miles)")
    changed = compare_story(Story(id="changed", articles=articles))
    lengths = [c for c in changed.conflicts if c.kind == "length" and c.status == "conflict"]
    assert len(lengths) == 1
    assert any(v.outlet == "Press TV" for v in lengths[0].values)
