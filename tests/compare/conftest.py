"""Shared fixtures: the bundled Iraq example, compared once per session (spaCy loads once)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.model import Article, Story

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "compare"


def load_iraq_story() -> Story:
    data = json.loads((FIXTURES / "iraq_articles.json").read_text(encoding="utf-8"))
    return Story(
        id="iraq-troops-2016",
        title="US to send 560 more troops to Iraq",
        articles=[Article(**a) for a in data],
    )


@pytest.fixture(scope="session")
def iraq_story() -> Story:
    return load_iraq_story()


@pytest.fixture(scope="session")
def iraq(iraq_story: Story):  # type: ignore[no-untyped-def]
    from storyline.compare import compare_story

    return compare_story(iraq_story)


@pytest.fixture(scope="session")
def iraq_analysis(iraq_story: Story):  # type: ignore[no-untyped-def]
    from storyline.compare.analysis import analyse

    return analyse(iraq_story)


def outlet_of(story: Story, article_id: str) -> str:
    return story.article(article_id).outlet or ""
