"""Runs of text a page highlights: a cited sentence in its article, a figure in its sentence.
Plain text only; the templates escape it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Segment:
    """A run of text; ``mark`` names why it is highlighted ("" when it is not)."""

    text: str
    mark: str = ""
    anchor: str = ""


def highlight(text: str, start: int | None, end: int | None, offset: int = 0) -> list[Segment]:
    """``text`` with ``[start, end)`` (positions relative to ``offset``) highlighted."""
    if start is None or end is None:
        return [Segment(text)]
    start, end = max(start - offset, 0), min(end - offset, len(text))
    if not 0 <= start < end <= len(text):
        return [Segment(text)]
    return [Segment(text[:start]), Segment(text[start:end], "figure"), Segment(text[end:])]
