"""The clusterer's inverted index: what it returns after any mix of updates and removals."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.cluster.vectors import PostingIndex

_OPERATIONS = st.lists(
    st.tuples(
        st.booleans(),  # set (True) or remove
        st.integers(0, 6),  # story slot
        st.lists(st.tuples(st.integers(0, 12), st.floats(0.01, 1.0)), max_size=8),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(_OPERATIONS, st.lists(st.tuples(st.integers(0, 14), st.floats(0.01, 1.0)), max_size=6))
def test_dots_are_the_sums_over_the_terms_each_story_holds(operations, probe) -> None:
    index = PostingIndex()
    expected: dict[int, dict[int, float]] = {}  # term -> slot -> weight
    for is_set, slot, terms in operations:
        ids = [term for term, _ in terms]
        if is_set:
            index.set(slot, ids, [weight for _, weight in terms])
            for term, weight in terms:
                expected.setdefault(term, {})[slot] = weight
        else:
            index.remove(slot, ids)
            for term in ids:
                expected.get(term, {}).pop(slot, None)
        # Dots in between: a posting must still grow after it was read.
        index.dots(np.array([0, 1, 2]), np.array([0.5, 0.25, 1.0]))
    assert len(index) == sum(1 for slots in expected.values() if slots)
    probe_ids = np.array([term for term, _ in probe], dtype=np.int64)
    probe_weights = np.array([weight for _, weight in probe])
    slots, dots = index.dots(probe_ids, probe_weights)
    want: dict[int, float] = {}
    for term, weight in probe:
        for slot, story_weight in expected.get(term, {}).items():
            want[slot] = want.get(slot, 0.0) + story_weight * weight
    assert slots.tolist() == sorted(want)
    assert np.allclose(dots, [want[slot] for slot in sorted(want)])
