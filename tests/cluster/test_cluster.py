import json
from pathlib import Path

from storyline.cluster import StoryClusterer, cluster
from storyline.model import Article

STREAM = Path(__file__).parents[1] / "fixtures" / "cluster" / "stream.jsonl"


def load_stream() -> list[tuple[str, Article]]:
    rows = [json.loads(line) for line in STREAM.read_text().splitlines()]
    return [(r["cluster"], Article(id=r["id"], title=r["title"], text=r["text"])) for r in rows]


def test_articles_of_one_story_end_up_together() -> None:
    stream = load_stream()
    gold = {article.id: label for label, article in stream}
    groups = cluster([article for _, article in stream])
    # Each predicted story is pure: all its articles share one gold story (precision first).
    for group in groups:
        assert len({gold[a.id] for a in group}) == 1, [gold[a.id] for a in group]
    # And the stories are not shattered into singletons.
    assert len(groups) < len(stream)


def test_clusterer_is_incremental() -> None:
    stream = load_stream()
    clusterer = StoryClusterer()
    assigned = [clusterer.add(article) for _, article in stream[:2]]
    stories_before = len(clusterer.members)
    # A later article of a story seen before joins that story instead of opening a new one.
    seen = {label: story for (label, _), story in zip(stream[:2], assigned, strict=True)}
    label, article = next((lab, a) for lab, a in stream[2:] if lab in seen)
    assert clusterer.add(article) == seen[label]
    assert len(clusterer.members) == stories_before
    assert article.id in clusterer.members[seen[label]]
