from datetime import datetime, timedelta
from pathlib import Path

import pytest

from storyline.cluster import StoryClusterer, cluster
from storyline.cluster.online import OnlineClusterer, cluster_online
from storyline.engine.partition import (
    Block,
    cluster_block,
    effective_times,
    merge_blocks,
    partitioned_cluster,
    time_blocks,
)
from storyline.model import Article


def ids(groups: list[list[Article]]) -> list[list[str]]:
    return [[a.id for a in group] for group in groups]


def test_one_block_is_the_single_process_clusterer(wire_articles: list[Article]) -> None:
    groups = partitioned_cluster(wire_articles, StoryClusterer, block_days=365, overlap_days=30)
    assert ids(groups) == ids(cluster(wire_articles))


def story_of(groups: list[list[Article]], article_id: str) -> list[str]:
    return next([a.id for a in group] for group in groups if article_id in [a.id for a in group])


def test_a_story_across_a_block_boundary_is_merged_over_the_overlap(
    wire_articles: list[Article], gold: dict[str, str]
) -> None:
    # 5-day blocks from Oct 3 cut the Nov 23 - Nov 30 story at Nov 27; a 5-day overlap lets the
    # Nov 30 article's block see the Nov 23-25 ones, and the story is whole again.
    whole = story_of(cluster(wire_articles), "APW19981123.0259")
    assert "APW19981130.0222" in whole
    joined = partitioned_cluster(wire_articles, StoryClusterer, block_days=5, overlap_days=5)
    assert story_of(joined, "APW19981123.0259") == whole
    cut = partitioned_cluster(wire_articles, StoryClusterer, block_days=5, overlap_days=0)
    assert story_of(cut, "APW19981123.0259") == [i for i in whole if i != "APW19981130.0222"]


def test_a_story_silent_for_longer_than_the_overlap_is_split(
    wire_articles: list[Article], gold: dict[str, str]
) -> None:
    # The single-process clusterer keeps every story open for ever: it joins the Nov 3 article
    # to the Nov 25 one. Blocks only look back one overlap, so there they are two stories; the
    # split loses recall, never purity.
    assert "APW19981125.0256" in story_of(cluster(wire_articles), "APW19981103.0271")
    parts = partitioned_cluster(wire_articles, StoryClusterer, block_days=10, overlap_days=5)
    assert story_of(parts, "APW19981103.0271") == ["APW19981103.0271"]
    for group in parts:
        assert len({gold[a.id] for a in group}) == 1


def test_an_undated_article_takes_the_time_of_the_one_before_it() -> None:
    day = datetime(1998, 11, 23)
    times = effective_times([None, day, None, day + timedelta(days=2), None])
    first, second = day.timestamp(), (day + timedelta(days=2)).timestamp()
    assert times == pytest.approx([first, first, first, second, second], abs=86_400)
    assert times[0] == times[1] == times[2] and times[3] == times[4]


def test_blocks_carry_the_tail_of_the_block_before_as_context() -> None:
    day = 86_400.0
    times = [0.0, 3 * day, 9.5 * day, 10.5 * day, 25 * day]
    blocks = time_blocks(times, block_days=10, overlap_days=1)
    assert [(b.number, b.own, b.context) for b in blocks] == [
        (0, [0, 1, 2], []),
        (1, [3], [2]),  # day 9.5 is within a day of block 1's start
        (2, [4], []),
    ]
    with pytest.raises(ValueError, match="overlap_days"):
        time_blocks(times, block_days=10, overlap_days=11)


def test_merge_follows_the_majority_of_a_storys_context_articles() -> None:
    blocks = [Block(0, own=[0, 1, 2], context=[]), Block(1, own=[3, 4], context=[1, 2])]
    # block 0: {0, 1} story a, {2} story b; block 1 puts 1, 2 and 3 together, 4 apart
    story_of = merge_blocks(blocks, [["a", "a", "b"], ["x", "x", "x", "y"]], size=5)
    # 3 joins the story of 1 and 2's majority (a tie: the earlier story), 4 is a new story
    assert story_of[3] == story_of[0] == story_of[1]
    assert story_of[4] not in (story_of[0], story_of[2])
    with pytest.raises(ValueError, match="labels"):
        merge_blocks(blocks, [["a"], ["x"]], size=5)


def merged_story() -> list[Article]:
    """21 articles (lead 3,000 characters) of one DUC 2006 story, Aug 1998 - May 2000, that the
    online clusterer first opens as two stories and merges in Oct 1999."""
    from storyline.evaluate.clusters import read_stream

    articles, _ = read_stream(Path(__file__).parents[1] / "fixtures" / "engine"
                              / "merged-story.jsonl")
    return articles


def test_a_blocks_labels_are_its_stories_after_the_online_clusterers_merges() -> None:
    articles = merged_story()
    clusterer = OnlineClusterer()
    assert len({clusterer.add(a) for a in articles}) == 2  # the ids add() gave: two stories
    assert len(set(cluster_block(articles, OnlineClusterer))) == 1
    one_block = partitioned_cluster(articles, OnlineClusterer, block_days=2000, overlap_days=0)
    assert ids(one_block) == ids(cluster_online(articles)) == [[a.id for a in articles]]


def test_a_merge_in_a_later_block_does_not_reach_back_into_the_block_before() -> None:
    # 365-day blocks from Aug 7 1998: block 0 ends with the story in two (Aug-Nov 1998 and
    # Aug 3 1999; Jan-Jun 1999); block 1 sees all of block 0 as its lead-in and merges them,
    # but the stitch joins block 1's story to one of block 0's (the majority of its context
    # articles), so the other stays apart, where the single process relabels it.
    articles = merged_story()
    parts = partitioned_cluster(articles, OnlineClusterer, block_days=365, overlap_days=365)
    first_half = {"1998-08-07", "1998-11-05", "1999-08-03"}
    apart = min(parts, key=len)
    assert {a.published.date().isoformat() for a in apart if a.published} == first_half
    assert len(parts) == 2 and len(apart) == 5
