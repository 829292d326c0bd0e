"""Blocking finds every pair the all-pairs loops would have matched, and few others."""

from __future__ import annotations

import random
from collections import Counter
from difflib import SequenceMatcher
from itertools import combinations

import pytest

from storyline.compare import quotes, speakers, timeline
from storyline.compare.blocking import least_shared, occurrences, overlap_candidates
from storyline.compare.entities import build_entities
from storyline.compare.matching import comparable, comparable_pairs, overlap
from storyline.compare.transliteration import (
    TRANSLITERATION_RATIO,
    skeleton,
    transliteration_candidates,
    union_transliterations,
)
from storyline.compare.unionfind import UnionFind


def _random_sets(rng: random.Random) -> list[frozenset[str]]:
    return [
        frozenset(rng.sample("abcdefghijkl", rng.randint(0, 8))) for _ in range(rng.randint(2, 14))
    ]


@pytest.mark.parametrize("hits", [1, 2, 3])
@pytest.mark.parametrize("seed", range(200))
def test_every_pair_that_shares_enough_is_a_candidate(seed: int, hits: int) -> None:
    rng = random.Random(seed)
    sets = _random_sets(rng)
    threshold = rng.choice([0.2, 0.5, 0.6, 0.75])
    at_least = rng.randint(0, 4)

    def required(size: int) -> int:
        return max(at_least, least_shared(threshold, size))

    candidates = overlap_candidates(sets, required, hits=hits)
    for i, j in combinations(range(len(sets)), 2):
        a, b = sets[i], sets[j]
        if a and b and len(a & b) >= at_least and overlap(a, b) >= threshold:
            assert (i, j) in candidates


def test_sets_sharing_only_a_common_word_are_never_paired() -> None:
    # 2,000 quotes of ten words each, all sharing "the" and nothing else: the all-pairs loop
    # compared 1,999,000 pairs; the rare prefixes of the sets meet nowhere.
    sets = [occurrences(["the", *(f"w{k}-{n}" for n in range(9))]) for k in range(2_000)]
    assert overlap_candidates(sets, lambda size: least_shared(0.6, size)) == set()


def test_repeated_words_count_with_their_repeats() -> None:
    a = occurrences("we will win we will win".split())
    b = occurrences("we will win".split())
    assert len(a & b) == 3 and len(a) == 6


def test_comparable_pairs_are_the_all_pairs_loop(iraq_analysis) -> None:
    analyses, _ = iraq_analysis
    mentions = [m for a in analyses for m in a.mentions]
    brute = [
        (i, j)
        for i, j in combinations(range(len(mentions)), 2)
        if mentions[i].article_id != mentions[j].article_id and comparable(mentions[i], mentions[j])
    ]
    assert brute  # the five sources share figures (560 troops, 4,647 in Iraq ...)
    assert comparable_pairs(mentions) == brute


def test_quote_candidates_hold_every_matching_pair(iraq_analysis) -> None:
    analyses, ents = iraq_analysis
    by_key = {e.key: e for e in ents}
    people = speakers.StoryPeople.of(by_key)
    raw = [q for a in analyses for q in quotes.extract_quotes(a, by_key, people)]
    same = {
        (i, j)
        for i, j in combinations(range(len(raw)), 2)
        if raw[i].article_id != raw[j].article_id
        and quotes.similarity(raw[i].text, raw[j].text) >= quotes.SAME_QUOTE
    }
    assert same  # Carter's words are quoted by several outlets
    words = [quotes._words(q.text) for q in raw]
    candidates = overlap_candidates(
        [occurrences(w) if len(w) >= quotes.MIN_WORDS else frozenset() for w in words],
        lambda size: least_shared(quotes.SAME_QUOTE, size),
    )
    assert same <= candidates
    assert len(candidates) < len(raw) * (len(raw) - 1) / 2 / 4  # most pairs are never tried


def test_timeline_candidates_hold_every_pair_of_one_event(iraq_analysis) -> None:
    analyses, _ = iraq_analysis
    items = [(a, d) for a in analyses for d in a.dates]
    undated = [timeline._undated(a, d) for a, d in items]
    stems = [timeline._stems(text) for text in undated]
    words = [timeline.words(text) for text in undated]
    candidates = set(timeline._candidate_pairs(items, stems, words))
    for i, j in combinations(range(len(items)), 2):
        (a, d), (b, e) = items[i], items[j]
        if d.resolved.iso == e.resolved.iso and (
            (a is b and d.sentence_index == e.sentence_index)
            or overlap(stems[i], stems[j]) >= timeline.SAME_EVENT
        ):
            assert (i, j) in candidates


def test_entities_are_the_same_whatever_the_order_of_the_articles(iraq_analysis) -> None:
    # Blocked alias matching keeps the union roots (the longest form), so entity keys do not
    # depend on which pairs were tried first.
    analyses, ents = iraq_analysis
    docs = {a.article.id: a.doc for a in analyses}
    reversed_ents, _ = build_entities(dict(reversed(list(docs.items()))))
    assert {e.key: len(e.mentions) for e in ents} == {e.key: len(e.mentions) for e in reversed_ents}


def _transliterations_all_pairs(form_list, forms, uf) -> None:  # type: ignore[no-untyped-def]
    """The loop over every two forms that the blocked version replaced."""
    skeletons = {f: skeleton(f) for f in form_list}
    for i, a in enumerate(form_list):
        for b in form_list[i + 1 :]:
            sa, sb = skeletons[a], skeletons[b]
            if len(sa) < 4 or len(sb) < 4 or sa[0] != sb[0]:
                continue
            if len(sa.split()) != len(sb.split()):
                continue
            if (forms[a]["NORP"] > 0) != (forms[b]["NORP"] > 0):
                continue
            if sa == sb or SequenceMatcher(None, sa, sb).ratio() >= 0.88:
                uf.union(a, b)


@pytest.mark.parametrize("seed", range(20))
def test_blocked_transliterations_unite_what_all_pairs_did(seed: int) -> None:
    rng = random.Random(seed)
    stems = ["qayyarah", "qayara", "mosul", "mosoul", "baghdadi", "bagdadi", "erdogan"]
    form_list = sorted(
        {
            " ".join(
                "".join(c for c in rng.choice(stems) if rng.random() > 0.1)
                for _ in range(rng.randint(1, 2))
            )
            for _ in range(60)
        }
    )
    forms = {f: Counter({"NORP" if rng.random() < 0.2 else "GPE": 1}) for f in form_list}

    def longest_form_root() -> UnionFind[str]:
        return UnionFind(prefer=lambda form: (len(form), form))

    blocked, all_pairs = longest_form_root(), longest_form_root()
    union_transliterations(form_list, forms, blocked)
    _transliterations_all_pairs(form_list, forms, all_pairs)
    assert {f: blocked.find(f) for f in form_list} == {f: all_pairs.find(f) for f in form_list}
    assert any(blocked.find(f) != f for f in form_list)  # some forms were united


def _spellings(rng: random.Random, names: list[str]) -> list[str]:
    """Real names of the Iraq story, respelt as transliterations differ: letters dropped,
    doubled or swapped for a neighbour."""
    out = set(names)
    for _ in range(400):
        letters = list(rng.choice(names))
        for _edit in range(rng.randint(1, 2)):
            k = rng.randrange(len(letters))
            op = rng.random()
            if op < 0.4 and len(letters) > 4:
                del letters[k]
            elif op < 0.7:
                letters.insert(k, letters[k])
            else:
                letters[k] = rng.choice("aeiouhkqy")
        out.add("".join(letters))
    return sorted(out)


@pytest.mark.parametrize("seed", range(5))
def test_bigram_blocking_keeps_every_pair_the_ratio_accepts(iraq_analysis, seed: int) -> None:

    _, ents = iraq_analysis
    names = sorted({skeleton(e.key) for e in ents if len(skeleton(e.key)) >= 4})
    assert "baghdad" in names and len(names) > 40
    skeletons = [s for s in _spellings(random.Random(seed), names) if len(s) >= 4]
    candidates = transliteration_candidates(skeletons)
    passing = {
        (i, j)
        for i, j in combinations(range(len(skeletons)), 2)
        if SequenceMatcher(None, skeletons[i], skeletons[j]).ratio() >= TRANSLITERATION_RATIO
        or SequenceMatcher(None, skeletons[j], skeletons[i]).ratio() >= TRANSLITERATION_RATIO
    }
    assert len(passing) > 100  # the respellings are close: many pairs pass
    assert passing <= candidates
    # ... and the letters pairs prune: most of the 100,000+ pairs are never tried.
    assert len(candidates) < len(skeletons) * (len(skeletons) - 1) / 2 / 10


def test_two_prefix_hits_drop_pairs_that_share_one_rare_word(iraq_analysis) -> None:
    # The Iraq story's quotes: with one hit, a quote meets every quote sharing one of its rare
    # words; with two, far fewer pairs are tried and every pair that matches is still there.
    analyses, ents = iraq_analysis
    by_key = {e.key: e for e in ents}
    people = speakers.StoryPeople.of(by_key)
    raw = [q for a in analyses for q in quotes.extract_quotes(a, by_key, people)]
    words = [quotes._words(q.text) for q in raw]
    sets = [occurrences(w) if len(w) >= quotes.MIN_WORDS else frozenset() for w in words]
    same = {
        (i, j)
        for i, j in combinations(range(len(raw)), 2)
        if quotes._word_similarity(words[i], words[j]) >= quotes.SAME_QUOTE
    }
    one, two = (
        overlap_candidates(sets, lambda size: least_shared(quotes.SAME_QUOTE, size), hits=k)
        for k in (1, 2)
    )
    assert same and same <= two <= one
    assert len(two) < len(one)
