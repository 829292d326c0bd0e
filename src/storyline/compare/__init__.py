"""Compare the sources of a story: agreement, conflicts, unique facts, quotes, framing, timeline.

    >>> from storyline.compare import compare_story
    >>> story.comparison = compare_story(story)

spaCy is imported only when ``compare_story`` first runs, so importing this package stays
cheap. The default comparer is registered as ``"storyline"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.stages import register

if TYPE_CHECKING:
    from storyline.model import Comparison, Story
    from storyline.settings import Settings

__all__ = ["SourceComparer", "compare_story"]


def compare_story(story: Story) -> Comparison:
    from storyline.compare.core import compare_story as run

    return run(story)


@register("comparer", "storyline")
class SourceComparer:
    """Figures, dates, quotes, names and events of each source, matched across sources."""

    def compare(self, story: Story, settings: Settings) -> Comparison | None:
        if len(story.articles) + len(story.copies) < 2:
            return None
        return compare_story(story)
