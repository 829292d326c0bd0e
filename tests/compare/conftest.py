"""Shared fixtures: the bundled Iraq example, compared once per session (spaCy loads once)."""

from __future__ import annotations

import importlib
import json
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "compare"


def _bootstrap() -> None:
    # storyline/__init__ imports the whole pipeline, which other work may not have finished;
    # the compare package only needs the model and the text helpers.
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    try:
        importlib.import_module("storyline")
    except ImportError:
        for name in [m for m in sys.modules if m == "storyline" or m.startswith("storyline.")]:
            del sys.modules[name]
        package = types.ModuleType("storyline")
        package.__path__ = [str(ROOT / "src" / "storyline")]
        sys.modules["storyline"] = package


_bootstrap()

from storyline.model import Article, Story  # noqa: E402


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
