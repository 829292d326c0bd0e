"""The clusterer's array arithmetic against plain Python sums taken in the same order.

Story sums, the positions ``StoryVectors.add`` returns, and ``cosine_rows`` are checked for
exact equality (not approximately): the store's clusterer state and its story decisions must
not move by a bit when these routines are rewritten for speed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.cluster.features import GROUPS, article_terms
from storyline.cluster.online import _LIMITS, RETRIEVAL
from storyline.cluster.vectors import (
    KEY_GROUPS,
    ArticleVectors,
    StoryVectors,
    Vocabulary,
    cosine_rows,
    vectorize,
)
from storyline.model import Article

STORIES = Path(__file__).parents[1] / "fixtures" / "cluster" / "stories.jsonl"

# An article: distinct (term id, group) pairs with positive weights, unit norm per group.
_ARTICLE = st.dictionaries(
    st.tuples(st.integers(0, 40), st.integers(0, len(GROUPS) - 1)),
    st.floats(0.05, 3.0),
    max_size=30,
)


def _vectors(terms: dict[tuple[int, int], float]) -> ArticleVectors:
    norms = [0.0] * len(GROUPS)
    for (_, group), weight in terms.items():
        norms[group] += weight * weight
    keys = np.array([term * KEY_GROUPS + group for term, group in terms], dtype=np.int64)
    weights = np.array([w / math.sqrt(norms[g]) for (_, g), w in terms.items()])
    units = np.array([1.0 if n > 0 else 0.0 for n in norms])
    return ArticleVectors(keys, weights, units, np.zeros(0, np.int64), np.zeros(0))


@settings(max_examples=200, deadline=None)
@given(st.lists(_ARTICLE, min_size=1, max_size=6))
def test_story_sums_and_positions_are_those_of_a_dict(articles) -> None:
    story, expected = StoryVectors(), {}
    for terms in articles:
        vectors = _vectors(terms)
        positions = story.add(vectors)
        for key, weight in zip(vectors.keys.tolist(), vectors.weights.tolist(), strict=True):
            expected[key] = expected[key] + weight if key in expected else weight
        assert story.keys.tolist() == sorted(expected)
        assert story.weights.tolist() == [expected[k] for k in sorted(expected)]
        # Where each of the article's keys sits in the story now (place() re-posts those).
        assert story.keys[positions].tolist() == vectors.keys.tolist()


@settings(max_examples=200, deadline=None)
@given(_ARTICLE, st.lists(st.lists(_ARTICLE, max_size=3), min_size=1, max_size=5))
def test_cosines_are_the_per_group_dots_summed_in_key_order(article, stories) -> None:
    vectors = _vectors(article)
    sums = []
    for members in stories:
        story = StoryVectors()
        for terms in members:
            story.add(_vectors(terms))
        sums.append(story)
    rows = cosine_rows(vectors, sums)
    for row, story in zip(rows, sums, strict=True):
        weights = dict(zip(story.keys.tolist(), story.weights.tolist(), strict=True))
        dots = [0.0] * len(GROUPS)
        for key, weight in zip(vectors.keys.tolist(), vectors.weights.tolist(), strict=True):
            if key in weights:
                dots[key % KEY_GROUPS] += weight * weights[key]
        for group in range(len(GROUPS)):
            norm = story.squared_norms[group]
            usable = vectors.units[group] > 0 and norm > 0
            assert row[group] == (dots[group] / math.sqrt(norm) if usable else 0.0)


def test_a_model_leaving_groups_out_gets_the_other_groups_unchanged() -> None:
    """With some groups unused the clusterer masks the rest out of the article's terms; the
    groups it keeps weigh exactly what they weigh when every group is computed."""
    row = json.loads(STORIES.read_text().splitlines()[0])  # a real article of the fixtures
    packed = article_terms(Article(id=row["id"], title=row["title"], text=row["text"])).pack()
    used = np.zeros(len(GROUPS), dtype=bool)
    used[[GROUPS.index("stems_all"), GROUPS.index("entities_title")]] = True
    every = vectorize(packed, [Vocabulary() for _ in range(3)], 1, None, _LIMITS, RETRIEVAL)
    some = vectorize(packed, [Vocabulary() for _ in range(3)], 1, used, _LIMITS, RETRIEVAL)
    mine = used[every.groups]
    assert mine.any() and not mine.all()
    assert some.keys.tolist() == every.keys[mine].tolist()
    assert some.weights.tolist() == every.weights[mine].tolist()
    assert some.units.tolist() == (every.units * used).tolist()
    assert some.retrieval_ids.tolist() == every.retrieval_ids.tolist()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["iraq", "troops", "", "4,600", "ö"]) | st.text(max_size=3)),
        max_size=6,
    )
)
def test_vocabulary_numbers_new_terms_in_the_order_first_seen(calls: list[list[str]]) -> None:
    vocabulary = Vocabulary()
    numbers: dict[str, int] = {}
    for terms in calls:
        expected = [numbers.setdefault(term, len(numbers)) for term in terms]
        assert vocabulary.lookup(terms).tolist() == expected
        assert vocabulary.lookup(iter(terms)).tolist() == expected  # any iterable
    assert vocabulary.terms == list(numbers)
    assert len(vocabulary.frequency) >= len(numbers)
