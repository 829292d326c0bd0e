import json
from pathlib import Path

import pytest

from storyline.evaluate.data import Cluster, default_budget, load_clusters, select


def test_jsonl_keeps_all_references(mini_jsonl: Path) -> None:
    clusters = load_clusters(mini_jsonl)
    assert len(clusters) == 4
    assert {c.source for c in clusters} == {
        "multinews-train",
        "duc2007-update",
        "tac2011-multiling-en",
    }
    duc = next(c for c in clusters if c.id == "duc2007upd-D0703A-C")
    assert len(duc.references) == 4 and len(duc.documents) == 7


def test_multinews_src_tgt_pair(multinews_src: Path) -> None:
    clusters = load_clusters(multinews_src)
    assert load_clusters(multinews_src.with_suffix(".tgt")) == clusters
    assert load_clusters(multinews_src.with_suffix("")) == clusters
    assert len(clusters) == 2
    first = clusters[0]
    assert first.id == "multinews_mini-0"
    assert all("|||||" not in d and "NEWLINE_CHAR" not in d for d in first.documents)
    assert first.documents[0].startswith("An Army wife filed a lawsuit")
    assert "\n" in first.documents[0]  # NEWLINE_CHAR became a line break
    assert first.references[0].startswith("Hitting a high C")  # the "– " is gone
    assert default_budget(clusters) == (260, "standard budget for multinews")


def test_src_without_tgt_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "x.src").write_text("doc one ||||| doc two\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        load_clusters(tmp_path / "x.src")


def test_sample_is_seeded_and_limit_is_a_prefix(mini_jsonl: Path) -> None:
    clusters = load_clusters(mini_jsonl)
    assert select(clusters, sample=2, seed=3) == select(clusters, sample=2, seed=3)
    assert select(clusters, sample=3, seed=1, limit=1) == select(clusters, sample=3, seed=1)[:1]
    assert select(clusters, limit=2) == clusters[:2]


def test_default_budget(tmp_path: Path) -> None:
    duc = [Cluster("a", ["x"], ["w " * 120], source="duc2003-task2-TDT")]
    assert default_budget(duc)[0] == 100  # tokenised DUC 2003 refs run past 100 words
    assert default_budget([Cluster("b", ["x"], ["w " * 250], source="duc2006")])[0] == 250
    unknown = [Cluster(str(i), ["x"], ["w " * n], source="other") for i, n in enumerate((44, 47))]
    assert default_budget(unknown) == (50, "median reference length, rounded to 10")
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": "c", "documents": ["a b"], "summary": "a"}) + "\n")
    assert load_clusters(path)[0].references == ["a"]  # "summaries" is optional
