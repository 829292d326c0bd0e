"""The partitioned clustering's second pass: each block replays the history of its open stories.

A block of the first pass (:mod:`storyline.engine.partition`) starts from a fresh clusterer
that sees only its lead-in, so a story open at the block's start enters it with a few articles
while one clusterer fed the whole stream holds its whole history (its centroid, its oldest and
mean dates, its size). On the dev stream, whose stories are followed for years, that is what
keeps the partitioned stories from the single process's (``bench/partition_diagnose.py``).

A further pass gives each block that history back, from the pass before it: the block's
clusterer first *replays* every earlier article of the stories the previous pass had open
within ``horizon_days`` of the block's start, each put into its story without a decision
(``follow(article, story) -> story``), then clusters its own articles as usual. The blocks
are still independent (a Ray task each); the stitch that follows is one cheap pass in block
order: a block's story that holds replayed articles joins the stories (of this pass) those
articles are in, every one of them (when the block merged two replayed stories, so would the
single process); a story holding none is new.

This is a fixed-point iteration: when the previous pass's stories are the single process's,
a block starts from the single process's state (up to the document frequencies, which come
from the replayed articles only) and its stories are the single process's too. The first
block is exact in every pass, so pass ``k`` makes at least the first ``k`` blocks exact; in
practice one or two further passes are most of the way (``bench/results/engine.md``). The
cost of a pass is its blocks plus the replayed histories: small for a live feed, whose stories
last days, and up to the stream again when stories are followed for years.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Protocol

from storyline.engine.partition import DAY_SECONDS, Block, MapTasks, final_labels
from storyline.model import Article


class Follows(Protocol):
    """A clusterer that can also be told an article's story (a labelled replay)."""

    def add(self, article: Article) -> Hashable: ...
    def follow(self, article: Article, story: Any) -> Hashable: ...


def replay_block(
    history: Sequence[Article],
    keys: Sequence[Hashable],
    own: Sequence[Article],
    make_clusterer: Callable[[], Follows],
) -> tuple[list[Any], list[Any]]:
    """One block's work in a further pass: (the final story of each replayed article, the
    final story of each own article), both in this block's labels.

    ``keys`` say which replayed articles go together (the previous pass's stories).
    """
    clusterer = make_clusterer()
    local: dict[Hashable, Any] = {}
    replayed = []
    for article, key in zip(history, keys, strict=True):
        local[key] = clusterer.follow(article, local.get(key))
        replayed.append(local[key])
    labels = [clusterer.add(article) for article in own]
    # After the block's merges, as cluster_block reports them.
    return final_labels(clusterer, replayed), final_labels(clusterer, labels)


def histories(
    blocks: Sequence[Block], times: Sequence[float], previous: Sequence[int], horizon_days: float
) -> list[list[int]]:
    """Per block, the positions to replay: every article before the block's first own
    article's time whose story (per ``previous``) has an article within ``horizon_days`` of
    that time, in arrival order."""
    order = sorted(range(len(times)), key=lambda p: (times[p], p))
    sorted_times = [times[p] for p in order]
    members: dict[int, list[int]] = {}  # story -> its positions in time order
    member_times: dict[int, list[float]] = {}  # story -> their times, for bisect
    for p in order:
        members.setdefault(previous[p], []).append(p)
        member_times.setdefault(previous[p], []).append(times[p])
    result = []
    for block in blocks:
        begin = min(times[p] for p in block.own)
        low = bisect.bisect_left(sorted_times, begin - horizon_days * DAY_SECONDS)
        high = bisect.bisect_left(sorted_times, begin)
        open_stories = {previous[p] for p in order[low:high]}
        chosen: list[int] = []
        for story in open_stories:
            chosen.extend(members[story][: bisect.bisect_left(member_times[story], begin)])
        result.append(sorted(chosen))
    return result


class _Joined:
    """Union-find over this pass's story numbers."""

    def __init__(self) -> None:
        self.parent: list[int] = []

    def new(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, story: int) -> int:
        while self.parent[story] != story:
            self.parent[story] = self.parent[self.parent[story]]
            story = self.parent[story]
        return story

    def union(self, a: int, b: int) -> int:
        a, b = self.find(a), self.find(b)
        keep, gone = min(a, b), max(a, b)
        self.parent[gone] = keep
        return keep


def further_pass(
    articles: Sequence[Article],
    blocks: Sequence[Block],
    times: Sequence[float],
    previous: Sequence[int],
    make_clusterer: Callable[[], Follows],
    *,
    horizon_days: float,
    map_tasks: MapTasks | None = None,
) -> list[int]:
    """One story number per stream position, from a pass whose blocks replay the history
    that ``previous`` (a story number per position) gives them; see the module docstring."""
    replays = histories(blocks, times, previous, horizon_days)
    work = [
        ([articles[p] for p in replay], [previous[p] for p in replay],
         [articles[p] for p in block.own], make_clusterer)
        for block, replay in zip(blocks, replays, strict=True)
    ]
    if map_tasks is None:
        results = [replay_block(*item) for item in work]
    else:
        results = list(map_tasks(replay_block, work))
    joined = _Joined()
    story_of: list[int] = [-1] * len(articles)
    for block, replay, (replayed, own_labels) in zip(blocks, replays, results, strict=True):
        number: dict[Any, int] = {}
        for p, label in zip(replay, replayed, strict=True):
            earlier = story_of[p]
            if earlier < 0:  # replayed but not yet placed: cannot happen in time order
                raise ValueError(f"block {block.number}: replayed article {p} has no story yet")
            number[label] = joined.union(number[label], earlier) if label in number else earlier
        for p, label in zip(block.own, own_labels, strict=True):
            if label not in number:
                number[label] = joined.new()
            story_of[p] = number[label]
    return [joined.find(s) for s in story_of]


__all__ = ["Follows", "further_pass", "histories", "replay_block"]
