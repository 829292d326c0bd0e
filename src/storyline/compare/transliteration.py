"""One name written two ways: transliterations ("Qayyarah" / "Qayara", "Haider al-Abadi" /
"Haidar al-Abadi") found without comparing every two forms of a story.

Forms are reduced to a rough phonetic skeleton; skeletons whose difflib ratio reaches
:data:`TRANSLITERATION_RATIO` are one name. Candidate pairs come from shared letter bigrams
with a bound derived from difflib's matching blocks (:func:`transliteration_candidates`), so
a story's thousands of names cost far less than all pairs.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from functools import lru_cache

from storyline.compare.blocking import occurrences, overlap_candidates
from storyline.compare.unionfind import UnionFind

# Skeletons at least this similar (difflib ratio) are one name transliterated two ways.
TRANSLITERATION_RATIO = 0.88


def skeleton(form: str) -> str:
    """A rough phonetic key for transliterated names: Qayyarah, Qayara -> kayara."""
    s = re.sub(r"\b(al|el|ad|ash|as|an|ar)[- ]", "", form.lower())
    s = re.sub(r"[^a-z ]", "", s)
    s = s.replace("q", "k").replace("ou", "u").replace("ee", "i").replace("ph", "f")
    s = re.sub(r"(.)\1+", r"\1", s)
    s = re.sub(r"h\b", "", s)
    return s.strip()


def union_transliterations(
    form_list: list[str], forms: dict[str, Counter[str]], uf: UnionFind[str]
) -> None:
    """Unite forms whose skeletons are the same or nearly ("Qayyarah" / "Qayara")."""
    skeletons = {f: skeleton(f) for f in form_list}
    rank = {f: i for i, f in enumerate(form_list)}
    blocks: dict[tuple[str, int, bool], list[str]] = defaultdict(list)
    for f in form_list:
        sk = skeletons[f]
        if len(sk) >= 4:
            # "Iraqi" is about Iraq, but it is not the name of Iraq: nationalities apart.
            blocks[(sk[0], len(sk.split()), forms[f]["NORP"] > 0)].append(f)
    for block in blocks.values():
        for x, y in sorted(transliteration_candidates([skeletons[f] for f in block])):
            a, b = block[x], block[y]
            sa, sb = skeletons[a], skeletons[b]
            # SequenceMatcher's ratio is at most 2 * shorter / (both lengths).
            if 2.0 * min(len(sa), len(sb)) / (len(sa) + len(sb)) < TRANSLITERATION_RATIO:
                continue
            if sa == sb:
                uf.union(a, b)
                continue
            # The ratio is not symmetric: compare in the forms' sorted order, as always.
            first, second = (sa, sb) if rank[a] < rank[b] else (sb, sa)
            matcher = SequenceMatcher(None, first, second)
            # The quick ratios are upper bounds of the ratio (difflib's own advice).
            if (
                matcher.real_quick_ratio() >= TRANSLITERATION_RATIO
                and matcher.quick_ratio() >= TRANSLITERATION_RATIO
                and matcher.ratio() >= TRANSLITERATION_RATIO
            ):
                uf.union(a, b)


def transliteration_candidates(skeletons: list[str]) -> set[tuple[int, int]]:
    """Every pair ``(i, j)`` of skeletons (at least 4 letters) whose difflib ratio can reach
    ``TRANSLITERATION_RATIO``, and usually few others.

    Why letter pairs find them all: a ratio of ``r`` means ``M >= r * L / 2`` letters matched,
    ``L`` both lengths together, in ``k`` blocks of consecutive letters common to both. Two
    neighbouring blocks are separated by at least one unmatched letter of one skeleton or the
    other (difflib joins adjacent blocks), so ``k <= L - 2M + 1``, and the blocks hold
    ``M - k >= 3M - L - 1`` letter pairs (bigrams) that both skeletons have. Letters alone are
    too common to prune ("a", "i", "r" are in most names); bigrams are rare enough for prefix
    filtering (``blocking.overlap_candidates``) to skip most pairs of a big block.
    """
    grams = [occurrences([s[k : k + 2] for k in range(len(s) - 1)]) for s in skeletons]
    candidates = overlap_candidates(grams, _least_shared_bigrams)
    # Prefix filtering only says that a pair shares one rare bigram; the bound for the
    # pair's own lengths, counted, drops most of the rest before any sequence matching.
    return {
        (i, j)
        for i, j in candidates
        if len(grams[i] & grams[j])
        >= 3 * _least_matched(len(skeletons[i]) + len(skeletons[j]))
        - len(skeletons[i])
        - len(skeletons[j])
        - 1
    }


@lru_cache(maxsize=1024)
def _least_matched(total: int) -> int:
    """The fewest matched letters giving the ratio, as difflib computes it: 2.0 * M / total."""
    matched = 0
    while 2.0 * matched / total < TRANSLITERATION_RATIO:
        matched += 1
    return matched


@lru_cache(maxsize=512)
def _least_shared_bigrams(bigrams: int) -> int:
    """The fewest bigrams a skeleton with ``bigrams`` bigrams must share with any skeleton at
    least as long to reach the ratio (the bound of ``transliteration_candidates``, at its
    weakest over the longer lengths the ratio allows)."""
    shorter = bigrams + 1
    need = []
    longer = shorter
    while 2.0 * shorter / (shorter + longer) >= TRANSLITERATION_RATIO:
        total = shorter + longer
        need.append(3 * _least_matched(total) - total - 1)
        longer += 1
    least = min(need)
    if least < 1:  # a void bound: prefix filtering would miss pairs sharing no bigram
        raise ValueError(f"no bigram bound for skeletons of {shorter} letters")
    return least
