"""Whether two figures of different sources measure the same thing: the tests behind the
comparison's facts and conflicts (:mod:`storyline.compare.conflicts` groups and judges them).

Two mentions can be compared only with the same key (dimension, counted class, role, and for
an age the person), compatible places and anchors, and magnitudes within a factor of ten
(:func:`comparable`, and :func:`comparable_pairs` to find every such pair without meeting
every other mention). Whether they then state the same measure is for the sentences to say
(:func:`same_measure`), and a clash needs more evidence than an agreement (``strict``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import combinations

from storyline.compare.ages import AGE
from storyline.compare.analysis import cosine
from storyline.compare.mentions import Mention
from storyline.compare.quantities import magnitude_close

AGREE_CONTEXT = 0.2
AGREE_COSINE = 0.2
LOCAL_CONTEXT = 0.5
# TF-IDF cosine of the two sentences (numbers removed) for a clash; tuned on multinews.
CONFLICT_COSINE = 0.45
LOCAL_CONFLICT_COSINE = 0.2
CUED_CONFLICT_COSINE = 0.3
GENERIC_CONFLICT = 0.3
PERCENT_CONFLICT = 0.4
# Share of content stems (numbers removed) two sentences must have in common to be copies.
NEAR_COPY = 0.75
NEAR_COPY_MIN_STEMS = 5
# The same statement, paraphrased or edited: Jaccard of the sentences' content stems (numbers
# masked) and overlap of the words around the number (the counted noun left out).
STATEMENT = 0.5
STATEMENT_LOCAL = 0.6
STATEMENT_MIN_STEMS = 4
# The very same sentence, numbers masked: short sentences have too few content words for the
# Jaccard test, but their wording, function words included, is evidence enough.
SAME_SENTENCE_MIN_WORDS = 6


# log10 of the widest ratio ``magnitude_close`` accepts (10), with room for rounding.
MAGNITUDE_WINDOW = 1.0 + 1e-9


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


# Dimensions and counted nouns too generic to identify a measure by themselves: "56 percent"
# and "17 percent" in two articles are usually different statistics.
GENERIC = frozenset(
    {"percent", "points", "degree", "year", "time", "day", "hour", "month", "week", "speed"}
    | {"magnitude", "minute", "stage", "round", "area"}
)


def comparable(a: Mention, b: Mention) -> bool:
    if a.key != b.key:
        return False
    if a.quantity.dimension == AGE:
        # The key holds the person; an age of nobody the story resolved is compared with none.
        return bool(a.actor)
    if a.quantity.dimension == "count" and not a.thing_class and not same_statement(a, b):
        # A bare count ("8 million were not counted") names no measure by itself; the same
        # statement around it does.
        return False
    if a.places and b.places and not (a.places & b.places):
        return False
    if a.anchor and b.anchor and a.anchor != b.anchor:
        return False
    return magnitude_close(a.quantity.value, b.quantity.value)


def score(a: Mention, b: Mention) -> float:
    """How surely two comparable mentions measure the same thing (higher is surer)."""
    return pair_score(a, b, a.local - {a.thing}, b.local - {b.thing})


def pair_score(a: Mention, b: Mention, around_a: frozenset[str], around_b: frozenset[str]) -> float:
    local_sim = overlap(around_a, around_b)
    shared_place = bool(a.places & b.places) or bool(a.anchor and a.anchor == b.anchor)
    return (
        cosine(a.vector, b.vector)
        + 0.5 * local_sim
        + 0.3 * shared_place
        + 0.1 * bool(a.entities & b.entities)
    )


def near_copy(a: Mention, b: Mention) -> bool:
    """Whether the two mentions sit in (nearly) the same sentence, syndicated or edited apart."""
    if len(a.context) < NEAR_COPY_MIN_STEMS or len(b.context) < NEAR_COPY_MIN_STEMS:
        return False
    jaccard = len(a.context & b.context) / len(a.context | b.context)
    return jaccard >= NEAR_COPY and overlap(a.local, b.local) >= NEAR_COPY


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def same_statement(a: Mention, b: Mention) -> bool:
    """Whether the two sentences make the same statement about the number, in the same or
    other words: most of their content words (numbers masked) are shared, and so are the
    words around the number. Unlike the story-wide TF-IDF cosine this does not depend on how
    often the story repeats those words, so a lead sentence reprinted with another figure is
    recognised even when its words are the story's topic words."""
    if a.shape == b.shape and a.shape.count(" ") + 1 >= SAME_SENTENCE_MIN_WORDS:
        return True  # "That's an increase of 12 percent since 1991." with 19 percent
    if len(a.context) < STATEMENT_MIN_STEMS or len(b.context) < STATEMENT_MIN_STEMS:
        return False
    if _jaccard(a.context, b.context) < STATEMENT:
        return False
    return overlap(a.local - {a.thing}, b.local - {b.thing}) >= STATEMENT_LOCAL


def different_periods(a: Mention, b: Mention) -> bool:
    """Both sentences name a period (year, month, quarter) and the periods differ."""
    return bool(a.periods and b.periods and not (a.periods & b.periods))


def same_measure(a: Mention, b: Mention, *, strict: bool) -> bool:
    """Whether two comparable mentions state the same measure.

    The counted noun and unit are already equal (``comparable``); the sentences decide. A
    clash (``strict``) needs similar sentences by TF-IDF cosine, or moderately similar ones
    that also share a place, an entity or the words around the number, or the same place
    phrase ("troops in Iraq") with some shared content. Generic measures
    (percent, money, time spans) need both similar sentences and shared words around the
    number, since one story has many unrelated percentages and sums.
    """
    if not comparable(a, b):
        return False
    if near_copy(a, b) or a.quantity.dimension == AGE:
        return True
    cos = cosine(a.vector, b.vector)
    sim = overlap(a.context - {a.thing}, b.context - {b.thing})
    shared_local = (a.local & b.local) - {a.thing, b.thing}
    local_sim = overlap(a.local - {a.thing}, b.local - {b.thing})
    shared_place = bool(a.places & b.places) or bool(a.anchor and a.anchor == b.anchor)
    shared_entity = bool(a.entities & b.entities)
    generic = (
        a.thing_class in GENERIC
        or a.quantity.dimension in GENERIC
        or a.thing_class.startswith("money")
    )
    if strict:
        if different_periods(a, b):
            return False
        if a.actor and b.actor and a.actor != b.actor:
            return False  # "North Korea will send 317 athletes" / "China will send 596"
        if same_statement(a, b):
            # "The crash killed 11 people Monday night" / "... killed 25 people Monday night":
            # whatever is counted, the same statement with two figures is a disagreement.
            return True
        if a.quantity.dimension in {"length", "area"} and not (a.anchor and a.anchor == b.anchor):
            # "95 miles north of Honduras" and "25 miles off Honduras' coast", or two stages
            # of a race: a distance is one measure only between the same named places (and
            # the area of a park is not the area of the building site next to it).
            return False
        if generic:
            # One story has many unrelated percentages, sums and spans: the words around the
            # number must match too ("66 percent of Americans favor" / "56 percent favored").
            need = PERCENT_CONFLICT if a.quantity.dimension == "percent" else GENERIC_CONFLICT
            return cos >= need and len(shared_local) >= 2 and local_sim >= LOCAL_CONTEXT
        if local_sim >= LOCAL_CONTEXT and len(shared_local) >= 3 and cos >= LOCAL_CONFLICT_COSINE:
            # The words around the number match; the story's topic words ("death penalty",
            # "Salt Lake City") match everywhere, so the sentences must share something more.
            return True
        if cos >= CONFLICT_COSINE:
            return True
        if shared_place and sim >= AGREE_CONTEXT:
            # "troops in Iraq" in differently worded sentences: the specific counted class
            # and the place name the measure even when little else is shared.
            return True
        cue = shared_place or shared_entity or len(shared_local) >= 2
        return cos >= CUED_CONFLICT_COSINE and cue
    return (
        shared_place
        or cos >= AGREE_COSINE
        or sim >= AGREE_CONTEXT
        or len(shared_local) >= 2
        or same_statement(a, b)
    )


def comparable_pairs(mentions: list[Mention]) -> list[tuple[int, int]]:
    """Every pair (i < j, in order) of mentions of two articles that ``comparable`` accepts.

    Only mentions with the same key (dimension, counted thing, kind) and magnitudes within
    a factor of ten can be comparable: they are blocked by key and, within a key, sorted by
    magnitude so that each mention meets only those close to its own value, instead of
    every mention of the story meeting every other.
    """
    blocks: dict[tuple[str, str, str], list[int]] = {}
    for idx, m in enumerate(mentions):
        blocks.setdefault(m.key, []).append(idx)
    pairs: list[tuple[int, int]] = []
    for members in blocks.values():
        positive = [k for k in members if mentions[k].quantity.value > 0]
        # magnitude_close: values <= 0 match only the same value.
        by_value: dict[float, list[int]] = {}
        for k in members:
            if mentions[k].quantity.value <= 0:
                by_value.setdefault(mentions[k].quantity.value, []).append(k)
        for same in by_value.values():
            pairs.extend(_comparable_in_block(mentions, combinations(same, 2)))
        positive.sort(key=lambda k: mentions[k].quantity.value)
        logs = [math.log10(mentions[k].quantity.value) for k in positive]
        for first, low in enumerate(logs):
            last = first + 1
            # A little past a factor of ten: the exact test below has the last word.
            while last < len(logs) and logs[last] - low < MAGNITUDE_WINDOW:
                last += 1
            # magnitude_close on positive values is |log10 a - log10 b| < log10(10.0), which
            # is 1.0: the same test on the logs already taken.
            close = (
                (positive[first], positive[k])
                for k in range(first + 1, last)
                if abs(logs[k] - low) < 1.0
            )
            pairs.extend(_comparable_in_block(mentions, close))
    pairs.sort()  # the order of the all-pairs loop: ties in ``best`` keep the first pair
    return pairs


def _comparable_in_block(
    mentions: list[Mention], candidates: Iterable[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The pairs of ``candidates`` (same key, magnitudes close) of two articles that
    ``comparable`` accepts, each in the order of the pair (``comparable`` itself, so that
    a rule added to it holds here too)."""
    out = []
    for x, y in candidates:
        i, j = (x, y) if x < y else (y, x)
        a, b = mentions[i], mentions[j]
        if a.article_id != b.article_id and comparable(a, b):
            out.append((i, j))
    return out
