"""Compare the sources of a story: agreement, conflicts, unique facts, quotes, framing, timeline.

    >>> from storyline.compare import compare_story
    >>> comparison = compare_story(story)
    >>> story.comparison = comparison.model_dump(mode="json")

spaCy is imported only when ``compare_story`` first runs, so importing
``storyline.compare.schema`` (or this package) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storyline.compare.schema import Comparison
    from storyline.model import Story

__all__ = ["compare_story"]


def compare_story(story: Story) -> Comparison:
    from storyline.compare.core import compare_story as run

    return run(story)
