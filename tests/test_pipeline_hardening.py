"""A bug in one stage loses only its own part: the story is still reported, with a Problem."""

from __future__ import annotations

from pathlib import Path

import pytest

import storyline


def test_a_comparison_bug_keeps_the_story(
    example_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storyline.compare as compare

    def broken(story: object) -> None:
        raise ZeroDivisionError("comparison bug")

    monkeypatch.setattr(compare, "compare_story", broken)
    report = storyline.digest(example_dir)
    (story,) = report.stories
    assert story.summary and story.comparison is None
    assert [p.reason for p in report.problems] == [
        "source comparison failed: ZeroDivisionError('comparison bug')"
    ]
