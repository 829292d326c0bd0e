"""Story clustering partitioned by time: overlapping time blocks clustered apart, then merged.

Stories are only candidates within a time window, so the stream can be cut into blocks of
``block_days`` that are clustered independently (in parallel, on any engine), each block also
seeing the last ``overlap_days`` of the block before it as context. The context articles are
clustered twice, once by their own block and once as the next block's lead-in, and that is what
joins a story across the boundary: each story of a block that holds context articles is merged
with the story (of the earlier block) that most of them belong to. The merge is one sequential
pass over the overlaps, cheap next to the clustering.

Any clusterer with ``add(article) -> story label`` works (:class:`StoryClusterer`, the online
clusterer); a fresh one is made for each block by ``make_clusterer``.

Where the result can differ from one clusterer fed the whole stream (measured on the dev
stream by ``bench/partition_diagnose.py``, ``bench/results/engine.md``):

* a story silent for longer than the overlap and then taken up again is two stories;
* a story still open when a block's lead-in starts enters the block with its lead-in articles
  only, while the single process's story holds its whole history (centroid, oldest and mean
  date, size), so later articles can be placed otherwise. The online clusterer keeps a story
  open while news keeps coming within its window (a year), so stories live for years and
  this is the main cause there: no overlap short of the longest story removes it (an overlap
  of at least the window keeps every open story a candidate, not its history), and starting
  a block from the single process's state at its lead-in would make it exact, which is the
  sequential run itself;
* a block that merges two stories the blocks before it kept apart (the online clusterer's
  merge step) does not reach back: its story joins the earlier story most of its context
  articles belong to, the other keeps its earlier articles. Joining all of them is exact when
  the block's state is the single process's, but joins wrongly from a cold start;
* each block's clusterer learns its IDF from its own block, not the whole stream so far (a
  small part of the difference);
* an undated article has no time: it takes the time of the dated article before it in arrival
  order (the first dated one when it comes first), as a live feed would place it, so it can only
  join stories of its block.

Within a block the articles keep their arrival order, so with a single block the stories are
exactly those of the single-process clusterer.

Further passes (``passes``, :mod:`storyline.engine.history`) take the second cause away where
the blocks are long enough: each block replays the whole history, per the pass before, of the
stories open at its start, and the stitch joins every story a block's story holds replayed
articles of, which also carries a block's merges back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from storyline.model import Article

DAY_SECONDS = 86_400.0


class Adds(Protocol):
    def add(self, article: Article) -> Hashable: ...


# Runs one function over argument tuples (one per block), results in order: a loop, or Ray tasks.
MapTasks = Callable[[Callable[..., Any], list[tuple[Any, ...]]], Iterable[Any]]


@dataclass(frozen=True)
class Block:
    """Positions (into the stream) of a block's own articles and of its lead-in context."""

    number: int
    own: list[int]
    context: list[int]

    def positions(self) -> list[int]:
        """Context and own articles in arrival order: the order the clusterer is fed."""
        return sorted(self.context + self.own)


def effective_times(published: Sequence[datetime | None]) -> list[float]:
    """POSIX seconds per article; an undated one takes the time of the dated one before it."""
    times: list[float | None] = [_seconds(p) if p is not None else None for p in published]
    first = next((t for t in times if t is not None), 0.0)
    result: list[float] = []
    last = first
    for t in times:
        last = t if t is not None else last
        result.append(last)
    return result


def _seconds(moment: datetime) -> float:
    if moment.tzinfo is None:  # a naive date is read as UTC, the same on every worker
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def time_blocks(times: Sequence[float], *, block_days: float, overlap_days: float) -> list[Block]:
    """Cut a stream into blocks of ``block_days`` (empty ones left out), with their context."""
    if block_days <= 0:
        raise ValueError("block_days must be positive")
    if not 0 <= overlap_days <= block_days:
        raise ValueError("overlap_days must be between 0 and block_days")
    if not times:
        return []
    start = min(times)
    width = block_days * DAY_SECONDS
    by_block: dict[int, list[int]] = {}
    for position, t in enumerate(times):
        by_block.setdefault(int((t - start) // width), []).append(position)
    numbers = sorted(by_block)
    blocks: list[Block] = []
    for index, number in enumerate(numbers):
        context: list[int] = []
        if index and numbers[index - 1] == number - 1 and overlap_days > 0:
            block_start = start + number * width
            lead_in = block_start - overlap_days * DAY_SECONDS
            context = [p for p in by_block[number - 1] if times[p] >= lead_in]
        blocks.append(Block(number=number, own=by_block[number], context=context))
    return blocks


def cluster_block(articles: Iterable[Article], make_clusterer: Callable[[], Adds]) -> list[Any]:
    """The story label of each article, fed in order to a fresh clusterer: one block's work.

    The labels are the block's final stories: the online clusterer merges two stories when
    they turn out to be one (``resolve`` gives the story an earlier id is in now), and the
    single-process run (:func:`storyline.cluster.online.cluster_online`) reports the merged
    stories too; the id ``add`` gave an article would leave such merges out.
    """
    clusterer = make_clusterer()
    return final_labels(clusterer, [clusterer.add(article) for article in articles])


def final_labels(clusterer: Any, labels: list[Any]) -> list[Any]:
    """The stories ``labels`` are in now, after the clusterer's merges (``resolve``, when it
    has one)."""
    resolve = getattr(clusterer, "resolve", None)
    return [resolve(label) for label in labels] if callable(resolve) else labels


class BlockMerger:
    """The pass over the overlaps, one block at a time in time order.

    It remembers only the story of each article of the last block, so a stream of any length
    is merged in the memory of one block. A block's story that holds context articles joins
    the story most of them were given by their own block (ties: the earliest such story).
    """

    def __init__(self) -> None:
        self.stories = 0
        self._last: dict[int, int] = {}  # position -> story, for the last block merged

    def merge(self, block: Block, labels: Sequence[Any]) -> dict[int, int]:
        """Story numbers of the block's own articles; ``labels`` follow ``block.positions()``."""
        positions = block.positions()
        if len(positions) != len(labels):
            raise ValueError(
                f"block {block.number}: {len(labels)} labels for {len(positions)} articles"
            )
        context = set(block.context)
        votes: dict[Any, Counter[int]] = {}
        for position, label in zip(positions, labels, strict=True):
            if position in context and position in self._last:
                votes.setdefault(label, Counter())[self._last[position]] += 1
        joined: dict[Any, int] = {}
        for label, counter in votes.items():
            best = max(counter.values())
            joined[label] = min(story for story, n in counter.items() if n == best)
        own: dict[int, int] = {}
        for position, label in zip(positions, labels, strict=True):
            if position in context:
                continue  # its own block placed it already
            if label not in joined:
                joined[label] = self.stories
                self.stories += 1
            own[position] = joined[label]
        self._last = own
        return own


def merge_blocks(blocks: Sequence[Block], labels: Sequence[Sequence[Any]], size: int) -> list[int]:
    """One story number per stream position (``labels[i]`` follow ``blocks[i].positions()``)."""
    story_of: list[int] = [-1] * size
    merger = BlockMerger()
    for block, block_labels in zip(blocks, labels, strict=True):
        for position, story in merger.merge(block, block_labels).items():
            story_of[position] = story
    return story_of


def groups_in_order(story_of: Sequence[int]) -> list[list[int]]:
    """Positions per story, stories in order of first arrival, then biggest first (stable),
    which is the order of :func:`storyline.cluster.cluster`."""
    groups: dict[int, list[int]] = {}
    for position, story in enumerate(story_of):
        groups.setdefault(story, []).append(position)
    return sorted(groups.values(), key=len, reverse=True)


def partitioned_cluster(
    articles: Sequence[Article],
    make_clusterer: Callable[[], Adds],
    *,
    block_days: float,
    overlap_days: float,
    passes: int = 1,
    horizon_days: float | None = None,
    map_tasks: MapTasks | None = None,
) -> list[list[Article]]:
    """Stories of ``articles`` (arrival order), clustered block by block.

    ``passes`` above 1 adds further passes in which each block first replays the history of
    the stories the pass before had open within ``horizon_days`` of its start (default: the
    overlap, or a block when there is none), :mod:`storyline.engine.history`; the clusterer
    must then have ``follow``. ``map_tasks(function, argument_tuples)`` runs a block's work
    for every block and returns the results in order (the Ray engine passes a parallel one);
    by default it is a plain loop.
    """
    from storyline.engine.history import further_pass  # it builds on this module

    if passes < 1:
        raise ValueError("passes must be at least 1")
    if passes > 1 and not callable(getattr(make_clusterer(), "follow", None)):
        raise TypeError("passes above 1 need a clusterer with follow(article, story)")
    times = effective_times([a.published for a in articles])
    blocks = time_blocks(times, block_days=block_days, overlap_days=overlap_days)
    work = [([articles[p] for p in block.positions()], make_clusterer) for block in blocks]
    if map_tasks is None:
        labels = [cluster_block(*item) for item in work]
    else:
        labels = list(map_tasks(cluster_block, work))
    story_of = merge_blocks(blocks, labels, len(articles))
    horizon = horizon_days if horizon_days is not None else (overlap_days or block_days)
    for _ in range(passes - 1):
        story_of = further_pass(articles, blocks, times, story_of, make_clusterer,  # type: ignore[arg-type]
                                horizon_days=horizon, map_tasks=map_tasks)
    return [[articles[p] for p in group] for group in groups_in_order(story_of)]


__all__ = [
    "Block",
    "BlockMerger",
    "MapTasks",
    "cluster_block",
    "effective_times",
    "final_labels",
    "groups_in_order",
    "merge_blocks",
    "partitioned_cluster",
    "time_blocks",
]
