import json
from datetime import datetime
from pathlib import Path

from storyline.evaluate.cluster_systems import (
    compare_systems,
    interleave_related,
    pairwise_f1,
    shuffle_dates,
)
from storyline.model import Article

STORIES = Path(__file__).parents[1] / "fixtures" / "cluster" / "stories.jsonl"


def load() -> tuple[list[Article], list[str]]:
    rows = [json.loads(line) for line in STORIES.read_text().splitlines()]
    articles = [
        Article(
            id=r["id"],
            title=r["title"],
            text=r["text"],
            published=datetime.fromisoformat(r["date"]) if r["date"] else None,
        )
        for r in rows
    ]
    return articles, [r["cluster"] for r in rows]


def test_pairwise_f1_counts_pairs() -> None:
    assert pairwise_f1(["a", "a", "b"], ["x", "x", "y"]) == 1.0
    # gold pairs {01}; predicted pairs {01, 02, 12}: precision 1/3, recall 1
    assert pairwise_f1(["a", "a", "b"], ["x", "x", "x"]) == 0.5


def test_shuffled_dates_keep_each_storys_dates() -> None:
    articles, gold = load()
    moved, moved_gold = shuffle_dates(articles, gold, seed=3)
    for label in set(gold):
        before = sorted(str(a.published) for a, g in zip(articles, gold, strict=True) if g == label)
        after = sorted(
            str(a.published) for a, g in zip(moved, moved_gold, strict=True) if g == label
        )
        assert before == after
    dated = [a.published for a in moved if a.published is not None]
    assert dated == sorted(dated)


def test_related_stories_start_together() -> None:
    articles, gold = load()
    moved, moved_gold = interleave_related(articles, gold, shared_names=1)
    starts = {}
    for article, label in zip(moved, moved_gold, strict=True):
        if article.published is not None:
            starts.setdefault(label, article.published)
    # Stories sharing a name (Xinhua, Beijing, ...) now open on the same day.
    assert len(set(starts.values())) < len(starts)
    assert sorted(a.id for a in moved) == sorted(a.id for a in articles)


def test_systems_side_by_side_on_real_articles() -> None:
    articles, gold = load()
    scores = {s.system: s for s in compare_systems(articles, gold, ["online", "batch", "centroid"])}
    assert set(scores) == {"online", "batch", "centroid"}
    for s in scores.values():
        assert s.articles == len(articles) and s.gold_stories == 4
        assert 0 < s.bcubed_f1 <= 1 and s.peak_mib > 0
    assert "upper bound" in scores["batch"].note
