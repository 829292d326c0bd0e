"""The partitioned clustering's further passes: blocks replay the history of open stories."""

from pathlib import Path

import pytest

from storyline.cluster import StoryClusterer, cluster
from storyline.cluster.online import OnlineClusterer, cluster_online
from storyline.engine.history import further_pass, histories, replay_block
from storyline.engine.partition import Block, effective_times, partitioned_cluster, time_blocks
from storyline.evaluate.clusters import read_stream
from storyline.model import Article


def ids(groups: list[list[Article]]) -> list[list[str]]:
    return sorted(sorted(a.id for a in group) for group in groups)


def labels_of(groups: list[list[Article]], articles: list[Article]) -> list[int]:
    number = {a.id: n for n, group in enumerate(groups) for a in group}
    return [number[a.id] for a in articles]


def merged_story() -> list[Article]:
    """21 articles of one DUC 2006 story (Aug 1998 - May 2000) that the online clusterer opens
    as two stories and merges in Oct 1999 (the fixture of test_partition.py)."""
    articles, _ = read_stream(Path(__file__).parents[1] / "fixtures" / "engine"
                              / "merged-story.jsonl")
    return articles


def test_follow_puts_an_article_where_it_is_told(wire_articles: list[Article]) -> None:
    clusterer = StoryClusterer()
    first = clusterer.follow(wire_articles[0], None)
    # Two articles of different stories, put together because a replay says so.
    assert clusterer.follow(wire_articles[-1], first) == first
    assert clusterer.members[first] == [wire_articles[0].id, wire_articles[-1].id]
    online = OnlineClusterer()
    story = online.follow(wire_articles[0], None)
    assert online.follow(wire_articles[-1], story) == story
    assert online.stories[story].size == 2


@pytest.mark.parametrize("make", [StoryClusterer, OnlineClusterer])
def test_replaying_the_single_process_stories_gives_its_next_decisions(
    wire_articles: list[Article], make: type
) -> None:
    # The fixed point of the further passes: a block that replays the single process's stories
    # of everything before it places its own articles as the single process does.
    single = cluster(wire_articles) if make is StoryClusterer else cluster_online(wire_articles)
    previous = labels_of(single, wire_articles)
    times = effective_times([a.published for a in wire_articles])
    blocks = time_blocks(times, block_days=5, overlap_days=5)
    assert len(blocks) > 3
    again = further_pass(wire_articles, blocks, times, previous, make, horizon_days=10_000)
    regrouped: dict[int, list[str]] = {}
    for article, story in zip(wire_articles, again, strict=True):
        regrouped.setdefault(story, []).append(article.id)
    assert sorted(sorted(g) for g in regrouped.values()) == ids(single)


def test_a_second_pass_rejoins_a_story_silent_for_longer_than_the_overlap(
    wire_articles: list[Article], gold: dict[str, str]
) -> None:
    # 10-day blocks looking back 5 days cut the Nov 3 article from its Nov 25 sequel (one pass:
    # test_partition.py). A second pass whose horizon reaches back to Nov 3 replays the Nov 3
    # story into the Nov 25 article's block, and they are one story, as in the single process.
    whole = next(g for g in cluster(wire_articles) if "APW19981103.0271" in [a.id for a in g])
    assert "APW19981125.0256" in [a.id for a in whole]
    two = partitioned_cluster(wire_articles, StoryClusterer, block_days=10, overlap_days=5,
                              passes=2, horizon_days=30)
    story = next(g for g in two if "APW19981103.0271" in [a.id for a in g])
    assert "APW19981125.0256" in [a.id for a in story]
    for group in two:
        assert len({gold[a.id] for a in group}) == 1


def test_a_second_pass_carries_a_merge_back_into_the_block_before() -> None:
    # One pass: block 1 merges the story block 0 kept in two, but the stitch joins only one
    # half (test_partition.py). In the second pass block 1 replays both halves as they were,
    # merges them again, and the stitch joins both: the single process's one story.
    articles = merged_story()
    one = partitioned_cluster(articles, OnlineClusterer, block_days=365, overlap_days=365)
    two = partitioned_cluster(articles, OnlineClusterer, block_days=365, overlap_days=365,
                              passes=2)
    assert len(one) == 2
    assert ids(two) == ids(cluster_online(articles)) == [sorted(a.id for a in articles)]


def test_histories_are_the_earlier_articles_of_the_stories_open_at_a_blocks_start() -> None:
    day = 86_400.0
    times = [0.0, 1 * day, 8 * day, 12 * day, 13 * day]
    previous = [0, 1, 0, 0, 1]  # story 0 was last seen on day 8, story 1 on day 1
    blocks = [Block(0, own=[0, 1, 2], context=[]), Block(1, own=[3, 4], context=[])]
    # Block 1 starts on day 12: story 0 is open within 5 days (day 8), story 1 is not.
    assert histories(blocks, times, previous, horizon_days=5) == [[], [0, 2]]
    assert histories(blocks, times, previous, horizon_days=20) == [[], [0, 1, 2]]


def test_a_replayed_block_reports_the_story_of_each_replayed_and_own_article(
    wire_articles: list[Article],
) -> None:
    history, own = wire_articles[:2], wire_articles[2:4]
    replayed, labels = replay_block(history, ["x", "x"], own, StoryClusterer)
    assert replayed[0] == replayed[1]  # one key: one story
    assert len(labels) == 2
    with pytest.raises(ValueError, match="passes"):
        partitioned_cluster(wire_articles, StoryClusterer, block_days=5, overlap_days=5,
                            passes=0)


def test_further_passes_need_a_clusterer_that_can_follow(wire_articles: list[Article]) -> None:
    class AddOnly:  # a clusterer with add() only, as any clusterer of the first pass may be
        def __init__(self) -> None:
            self.inner = StoryClusterer()

        def add(self, article: Article) -> int:
            return self.inner.add(article)

    one = partitioned_cluster(wire_articles, AddOnly, block_days=5, overlap_days=5)
    assert ids(one) == ids(partitioned_cluster(wire_articles, StoryClusterer, block_days=5,
                                               overlap_days=5))
    with pytest.raises(TypeError, match="follow"):
        partitioned_cluster(wire_articles, AddOnly, block_days=5, overlap_days=5, passes=2)
