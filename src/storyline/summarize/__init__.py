"""Summarize: a short extractive summary of a story in which every sentence cites its sources."""

from __future__ import annotations

from storyline.model import Article, SummarySentence
from storyline.settings import Settings
from storyline.summarize.extractive import SUMMARIZERS, summarize_story
from storyline.summarize.units import StorySentences, build, segment


def summarize(articles: list[Article], settings: Settings | None = None) -> list[SummarySentence]:
    """Summarize one story's articles within the settings' word or sentence budget."""
    settings = settings or Settings()
    if settings.summarizer not in SUMMARIZERS:
        known = ", ".join(SUMMARIZERS)
        raise ValueError(f"unknown summarizer {settings.summarizer!r} (available: {known})")
    return summarize_story(
        build(articles),
        words=settings.words,
        sentences=settings.sentences,
        method=settings.summarizer,
        query=settings.query,
    )


__all__ = ["StorySentences", "build", "segment", "summarize"]
