"""The online clusterer on real articles: its features, the join decision, merging, the window,
and state that survives a save and a load."""

import json
from datetime import datetime
from pathlib import Path

import pytest

from storyline import stages
from storyline.cluster.background import Background
from storyline.cluster.features import article_terms, gaussian, time_features
from storyline.cluster.model import ClusterModel, default_model
from storyline.cluster.online import OnlineClusterer, cluster_online
from storyline.model import Article
from storyline.settings import Settings

STORIES = Path(__file__).parents[1] / "fixtures" / "cluster" / "stories.jsonl"


def load() -> list[tuple[str, Article]]:
    rows = [json.loads(line) for line in STORIES.read_text().splitlines()]
    return [
        (
            r["cluster"],
            Article(
                id=r["id"],
                title=r["title"],
                text=r["text"],
                published=datetime.fromisoformat(r["date"]) if r["date"] else None,
            ),
        )
        for r in rows
    ]


def test_terms_per_kind_and_field_of_a_real_article() -> None:
    _, article = load()[0]  # Xinhua, Beijing: a flight-technique seminar
    terms = article_terms(article)
    assert "pilots" in terms.counts["tokens_title"]
    assert "pilot" in terms.counts["stems_title"]  # Porter stem of "pilots"
    assert "pilots" not in terms.counts["stems_title"]
    assert any("xinhua" in name for name in terms.counts["entities_all"])
    # "all" is title and body together, count by count.
    for kind in ("tokens", "stems", "entities"):
        title, body, both = (terms.counts[f"{kind}_{f}"] for f in ("title", "body", "all"))
        assert both == title + body
    assert terms.time == article.published.timestamp()


def test_an_undated_article_says_so_and_gets_no_time_kernels() -> None:
    undated = next(a for _, a in load() if a.published is None)
    terms = article_terms(undated)
    assert terms.time is None
    assert time_features(terms.time, 1.0, 1.0, 1.0) == (0.0, 0.0, 0.0, 1.0)
    # A dated article three days (one width) after the story's newest article.
    day = 86_400.0
    newest, oldest, mean, missing = time_features(10 * day, 7 * day, 0.0, 5 * day)
    assert missing == 0.0
    assert newest == pytest.approx(gaussian(3.0)) == pytest.approx(0.6065, abs=1e-3)
    assert oldest < mean < newest


def test_the_join_classifier_prefers_the_gold_story_on_real_articles() -> None:
    stream = load()
    clusterer = OnlineClusterer()
    story_of: dict[str, str] = {}
    joined = opened_correctly = 0
    for label, article in stream:
        story = clusterer.add(article)
        if label in story_of:
            joined += clusterer.resolve(story) == clusterer.resolve(story_of[label])
        else:
            # A story seen for the first time must not be put in another story's group.
            opened_correctly += story not in {clusterer.resolve(s) for s in story_of.values()}
        story_of.setdefault(label, story)
    firsts = len(story_of)
    assert opened_correctly == firsts
    assert joined >= (len(stream) - firsts) * 0.6  # most later articles find their story


def test_features_rank_the_own_story_above_another() -> None:
    stream = load()
    clusterer = OnlineClusterer(merge=False, window_days=None)
    by_label: dict[str, object] = {}
    for label, article in stream[:14]:
        terms = article_terms(article)
        vectors = clusterer.arrive(terms)
        by_label[label] = clusterer.place(vectors, terms.time, by_label.get(label))
    label, article = stream[14]  # the flight college story again, in 1999
    terms = article_terms(article)
    vectors = clusterer.arrive(terms)
    model = default_model()
    own = clusterer.features(vectors, terms.time, by_label[label])
    others = [
        clusterer.features(vectors, terms.time, story)
        for other, story in by_label.items()
        if other != label
    ]
    assert own["stems_all"] > max(o["stems_all"] for o in others)
    assert model.rank(own) > max(model.rank(o) for o in others)
    assert model.join_probability(own) > max(model.join_probability(o) for o in others)


def test_two_halves_of_one_story_merge_when_an_article_fits_both() -> None:
    stream = [a for label, a in load() if label == "duc2004-d30001t"]
    permissive = ClusterModel.from_json(
        {**default_model().to_json(), "merge": {"probability": 0.0, "cosine": 0.0}}
    )
    clusterer = OnlineClusterer(permissive)
    first, second = None, None
    for article in stream[:4]:  # split the story by hand: two stories of two articles
        terms = article_terms(article)
        vectors = clusterer.arrive(terms)
        if first is None or first.size < 2:
            first = clusterer.place(vectors, terms.time, first)
        else:
            second = clusterer.place(vectors, terms.time, second)
    assert len(clusterer.stories) == 2
    story = clusterer.add(stream[4])
    assert len(clusterer.stories) == 1
    assert clusterer.resolve(first.id) == clusterer.resolve(second.id) == story
    assert clusterer.stories[story].size == 5


def test_stories_out_of_the_window_are_no_longer_candidates() -> None:
    stream = load()
    clusterer = OnlineClusterer(window_days=30)
    ids = {a.id: clusterer.add(a) for _, a in stream[:15]}
    # Every story whose newest article is over 30 days older than the clock has been closed.
    clock = max(a.published for _, a in stream[:15]).timestamp()
    for story in clusterer.stories.values():
        assert clock - story.newest <= 30 * 86_400
    assert len(clusterer.stories) < len(set(ids.values()))
    capped = OnlineClusterer(max_active=2)
    for _, article in stream:
        capped.add(article)
        assert len(capped.stories) <= 2


def test_state_survives_save_and_load(tmp_path: Path) -> None:
    stream = [a for _, a in load()]
    straight = OnlineClusterer()
    expected = [straight.resolve(straight.add(a)) for a in stream]
    expected = [straight.resolve(s) for s in expected]

    first = OnlineClusterer()
    got = [first.add(a) for a in stream[:10]]
    path = tmp_path / "clusterer.json"
    first.save(path)
    assert json.loads(path.read_text())["format"] == "storyline-online-clusterer"
    again = OnlineClusterer.load(path)
    got += [again.add(a) for a in stream[10:]]
    assert [again.resolve(s) for s in got] == expected
    assert again.to_state()["stories"] == straight.to_state()["stories"]


def test_a_broken_state_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text('{"format": "storyline-online-clusterer", "seen": 3}')
    with pytest.raises(ValueError, match=r"state\.json"):
        OnlineClusterer.load(path)
    path.write_text("{not json")
    with pytest.raises(ValueError, match=r"state\.json"):
        OnlineClusterer.load(path)


def test_the_registered_stage_groups_all_articles_biggest_first() -> None:
    stream = load()
    clusterer = stages.resolve("clusterer", "online")
    groups = clusterer.cluster([a for _, a in stream], Settings()).stories
    assert sorted(a.id for g in groups for a in g) == sorted(a.id for _, a in stream)
    assert [len(g) for g in groups] == sorted((len(g) for g in groups), reverse=True)
    gold = {a.id: label for label, a in stream}
    # The shipped model keeps these four stories apart (each group is pure).
    assert all(len({gold[a.id] for a in g}) == 1 for g in groups)
    assert len(groups) < len(stream)


def test_the_background_idf_starts_the_stream_and_is_not_changed() -> None:
    terms = [article_terms(a) for _, a in load()]
    background = Background.count(terms, min_df=2)
    clusterer = OnlineClusterer(background=background)
    assert clusterer.seen == background.articles == len(terms)
    before = dict(background.document_frequency["stems"])
    for _, article in load()[:3]:
        clusterer.add(article)
    assert dict(background.document_frequency["stems"]) == before
    assert cluster_online([a for _, a in load()], OnlineClusterer(background=Background()))


def test_a_model_file_with_a_wrong_shape_is_refused() -> None:
    data = default_model().to_json()
    data["join"]["weights"] = data["join"]["weights"][:-1]
    with pytest.raises(ValueError, match="one ranker and one join weight per feature"):
        ClusterModel.from_json(data)


def test_the_binary_state_resumes_exactly_like_the_json_one() -> None:
    stream = [a for _, a in load()]
    straight = OnlineClusterer(merge=False)
    expected = [straight.add(a) for a in stream]
    first = OnlineClusterer(merge=False)
    got = [first.add(a) for a in stream[:9]]
    data = first.to_bytes()
    assert data[:2] == b"PK"  # an .npz archive, read back without pickle
    again = OnlineClusterer.from_bytes(data)
    assert again.to_state() == first.to_state()
    got += [again.add(a) for a in stream[9:]]
    assert got == expected
    assert again.to_state() == straight.to_state()
    with pytest.raises(ValueError, match="broken clusterer state"):
        OnlineClusterer.from_bytes(data[: len(data) // 2])
