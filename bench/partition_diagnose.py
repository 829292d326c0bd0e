"""Why time-partitioned online clustering differs from the single process (dev stream).

    .venv/bin/python bench/partition_diagnose.py   # engine.json, "partition-diagnose"

The partitioned run (:func:`storyline.engine.partition.partitioned_cluster`) starts each block
from a fresh clusterer that sees only the block's lead-in (its overlap). The single process
starts each block's lead-in with everything it has learnt before. The two differ in

* the document frequencies (IDF) of everything before the lead-in, and
* the open stories: a story active at the lead-in's start has its whole history in the single
  process's centroid, time features and size; the block only sees what fell in the lead-in;
* the stitch: a block's merge of two stories that earlier blocks kept apart re-labels the
  earlier articles in the single process, while the stitch joins a block's story to one
  earlier story (the majority of its context articles).

Each is switched off in turn by taking that part of the state from the single process at the
lead-in's start (an oracle, for diagnosis only): "prefix IDF" (the document frequencies and
article count), "oracle state" (the whole clusterer), and "oracle state + joined stitch" (the
stitch joins every earlier story a block's story holds context articles of). "second pass" is
a fix a parallel run can have: every block clustered again, its lead-in now the whole history
(per the first pass) of the stories open at its start, at the cost of those articles. Per block
it also says how many of the block's own articles end in a different story and how many of
those are in a single-process story that began before the block's lead-in.
"""

from __future__ import annotations

import copy
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from engine import DEV, record

from storyline.cluster.features import article_terms
from storyline.cluster.online import OnlineClusterer
from storyline.engine.partition import (
    DAY_SECONDS,
    Block,
    BlockMerger,
    cluster_block,
    effective_times,
    merge_blocks,
    time_blocks,
)
from storyline.evaluate.clusters import bcubed, read_stream
from storyline.model import Article

CONFIGS = ((200, 200), (365, 365), (600, 600))


def per_article_f1(reference: Sequence[Any], labels: Sequence[Any]) -> list[float]:
    """Each article's B-cubed F1: 1.0 when its story holds exactly the same articles."""
    by_reference: defaultdict[Any, set[int]] = defaultdict(set)
    by_label: defaultdict[Any, set[int]] = defaultdict(set)
    for i, (r, label) in enumerate(zip(reference, labels, strict=True)):
        by_reference[r].add(i)
        by_label[label].add(i)
    scores = []
    for r, label in zip(reference, labels, strict=True):
        shared = len(by_reference[r] & by_label[label])
        p, q = shared / len(by_label[label]), shared / len(by_reference[r])
        scores.append(2 * p * q / (p + q))
    return scores


class JoiningMerger(BlockMerger):
    """The stitch that joins every earlier story a block's story holds context articles of."""

    def __init__(self) -> None:
        super().__init__()
        self.parent: list[int] = []

    def find(self, story: int) -> int:
        while self.parent[story] != story:
            story = self.parent[story]
        return story

    def merge(self, block: Block, labels: Sequence[Any]) -> dict[int, int]:
        context = set(block.context)
        earlier: dict[Any, set[int]] = {}
        for position, label in zip(block.positions(), labels, strict=True):
            if position in context and position in self._last:
                earlier.setdefault(label, set()).add(self.find(self._last[position]))
        joined: dict[Any, int] = {}
        for label, stories in earlier.items():
            root = min(stories)
            for story in stories:
                self.parent[story] = root
            joined[label] = root
        own: dict[int, int] = {}
        for position, label in zip(block.positions(), labels, strict=True):
            if position in context:
                continue
            if label not in joined:
                joined[label] = self.stories
                self.parent.append(self.stories)
                self.stories += 1
            own[position] = joined[label]
        self._last = own
        return own


def main() -> None:
    articles, _ = read_stream(DEV)
    terms = {a.id: article_terms(a) for a in articles}  # once: every run below reuses them

    class Clusterer(OnlineClusterer):
        def add(self, article: Article) -> str:
            return self.add_terms(terms[article.id])

    times = effective_times([a.published for a in articles])
    rows = [_diagnose(articles, times, Clusterer, block, overlap) for block, overlap in CONFIGS]
    record("partition-diagnose", {"articles": len(articles), "rows": rows},
           command="bench/partition_diagnose.py")


def _diagnose(articles: Sequence[Article], times: Sequence[float],
              make: Callable[[], OnlineClusterer], block_days: float,
              overlap_days: float) -> dict[str, Any]:
    blocks = time_blocks(times, block_days=block_days, overlap_days=overlap_days)
    starts = {b.positions()[0] for b in blocks}
    single_run = make()
    at_start: dict[int, OnlineClusterer] = {}  # the single process at each lead-in's start
    raw = []
    for position, article in enumerate(articles):
        if position in starts:
            at_start[position] = copy.deepcopy(single_run)
        raw.append(single_run.add(article))
    single = [single_run.resolve(label) for label in raw]

    def prefix_idf(position: int) -> OnlineClusterer:
        fresh = make()
        fresh.vocabularies = copy.deepcopy(at_start[position].vocabularies)
        fresh.seen = at_start[position].seen
        return fresh

    starts_with: dict[str, Callable[[int], OnlineClusterer]] = {
        "cold (as shipped)": lambda _: make(),
        "prefix IDF": prefix_idf,
        "oracle state": lambda position: copy.deepcopy(at_start[position]),
    }
    labels: dict[str, list[list[Any]]] = {}
    f1: dict[str, float] = {}
    for mode, start in starts_with.items():
        labels[mode] = [
            cluster_block([articles[p] for p in b.positions()],
                          functools.partial(start, b.positions()[0]))
            for b in blocks
        ]
        f1[mode] = bcubed(single, merge_blocks(blocks, labels[mode], len(articles)))[2]
    joining, story_of = JoiningMerger(), [-1] * len(articles)
    for b, block_labels in zip(blocks, labels["oracle state"], strict=True):
        for position, story in joining.merge(b, block_labels).items():
            story_of[position] = story
    f1["oracle state + joined stitch"] = bcubed(single, [joining.find(s) for s in story_of])[2]
    first = merge_blocks(blocks, labels["cold (as shipped)"], len(articles))
    second, lead_in = _second_pass(articles, times, make, blocks, first)
    f1["second pass"] = bcubed(single, second)[2]
    return {"block_days": block_days, "overlap_days": overlap_days, "blocks": len(blocks),
            "second_pass_lead_in_articles": lead_in, "f1": f1,
            "per_block": _moved(blocks, labels["cold (as shipped)"], single, times)}


def _second_pass(articles: Sequence[Article], times: Sequence[float],
                 make: Callable[[], OnlineClusterer], blocks: Sequence[Block],
                 first: Sequence[int]) -> tuple[list[int], int]:
    """Each block again (cold, as shipped), its lead-in now every earlier article of the
    stories the first pass has open at the block's start (newest article within the window),
    however old; stitched in block order by the majority of the lead-in's (new) stories."""
    window = make().window_days or float("inf")
    story_of = list(first)
    stories, lead_in = max(first) + 1, 0
    for block in blocks:
        begin = min(block.own)
        newest: dict[int, float] = {}
        for p in range(begin):
            newest[first[p]] = max(newest.get(first[p], times[p]), times[p])
        open_ = {s for s, t in newest.items() if times[begin] - t <= window * DAY_SECONDS}
        context = [p for p in range(begin) if first[p] in open_]
        lead_in += len(context)
        labels = cluster_block([articles[p] for p in context + block.own], make)
        votes: dict[Any, Counter[int]] = {}
        for p, label in zip(context, labels, strict=False):
            votes.setdefault(label, Counter())[story_of[p]] += 1
        joined = {label: min(s for s, n in c.items() if n == max(c.values()))
                  for label, c in votes.items()}
        for p, label in zip(block.own, labels[len(context):], strict=True):
            if label not in joined:
                joined[label], stories = stories, stories + 1
            story_of[p] = joined[label]
    return story_of, lead_in


def _moved(blocks: Sequence[Block], labels: Sequence[Sequence[Any]], single: Sequence[str],
           times: Sequence[float]) -> list[dict[str, Any]]:
    """Per block: own articles whose story differs, and how many of them belong to a story
    the single process opened before the block's lead-in."""
    opened: dict[str, int] = {}
    for position, story in enumerate(single):
        opened.setdefault(story, position)
    size = Counter(single)
    result = []
    for block, block_labels in zip(blocks, labels, strict=True):
        positions = block.positions()
        own = set(block.own)
        mine = [(p, label) for p, label in zip(positions, block_labels, strict=True) if p in own]
        scores = per_article_f1([single[p] for p, _ in mine], [label for _, label in mine])
        moved = [p for (p, _), score in zip(mine, scores, strict=True) if score < 1.0]
        begin = min(times[p] for p in block.own)
        result.append({
            "block": block.number, "context": len(block.context), "own": len(block.own),
            "moved": len(moved),
            "moved_in_story_older_than_lead_in": sum(opened[single[p]] < positions[0]
                                                     for p in moved),
            "moved_median_days_into_block": sorted((times[p] - begin) / DAY_SECONDS
                                                   for p in moved)[len(moved) // 2]
            if moved else None,
            "moved_median_story_size": sorted(size[single[p]] for p in moved)[len(moved) // 2]
            if moved else None,
        })
    return result


__all__ = ["JoiningMerger", "main", "per_article_f1"]

if __name__ == "__main__":
    main()
