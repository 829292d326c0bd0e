"""Shared by the summarizer tests: the bundled example as one story, and small real clusters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.model import Article
from storyline.summarize import build
from storyline.training.summarize import Example, make_example

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mds" / "mini.jsonl"


@pytest.fixture(scope="session")
def small_trees() -> dict:
    """Tree parameters small enough to fit in a second on the mini clusters."""
    return {
        "max_iter": 20,
        "learning_rate": 0.2,
        "max_leaf_nodes": 7,
        "min_samples_leaf": 10,
        "early_stopping": False,
    }


@pytest.fixture(scope="session")
def example_story(example_texts: list[str]):
    return build([Article(text=t) for t in example_texts])


@pytest.fixture(scope="session")
def mini_clusters() -> list[dict]:
    return [json.loads(line) for line in MINI.open(encoding="utf-8")]


@pytest.fixture(scope="session")
def mini_examples(mini_clusters: list[dict]) -> list[Example]:
    return [
        make_example(c["id"], c["documents"], c.get("summaries") or [c["summary"]])
        for c in mini_clusters
    ]
