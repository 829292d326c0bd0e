"""Summarize: a short extractive summary of a story in which every sentence cites its sources.

Two summarizers are registered: ``"storyline"`` (concept coverage with learned weights, the
default) and ``"centroid"`` (MMR around the story centroid). Both pick whole source sentences
and cite every source that states each one (:mod:`.extractive`).
"""

from __future__ import annotations

from dataclasses import replace

from storyline.model import Article, Story, SummarySentence
from storyline.settings import Settings
from storyline.stages import register
from storyline.summarize.coverage import CoverageConfig
from storyline.summarize.extractive import summarize_story
from storyline.summarize.units import StorySentences, build, segment


@register("summarizer", "storyline")
class CoverageSummarizer:
    """Sentences that cover the concepts a human summary is likely to use, within budget."""

    method = "storyline"

    def summarize(self, story: Story, settings: Settings) -> list[SummarySentence]:
        config = replace(CoverageConfig(), context_reach=settings.summarize.context_reach)
        return summarize_story(
            build(story.articles),
            words=settings.words,
            sentences=settings.sentences,
            method=self.method,
            config=config,
            query=settings.query,
        )


@register("summarizer", "centroid")
class CentroidSummarizer(CoverageSummarizer):
    """Sentences close to the story's centroid, each unlike those already chosen (MMR)."""

    method = "centroid"


@register("summarizer", "llm")
def _llm_summarizer() -> object:
    """The verified LLM summarizer (:mod:`.llm`), imported only when chosen: it needs httpx."""
    try:
        from storyline.summarize.llm import LLMSummarizer
    except ImportError as error:
        hint = "the llm summarizer needs: pip install 'storyline[llm]'"
        raise ImportError(f"{hint} ({error})") from None
    return LLMSummarizer()


def summarize(articles: list[Article], settings: Settings | None = None) -> list[SummarySentence]:
    """Summarize one story's articles with the summarizer the settings name."""
    from storyline.stages import resolve

    settings = settings or Settings()
    summarizer = resolve("summarizer", settings.summarizer)
    return summarizer.summarize(Story(id="", articles=articles), settings)


__all__ = [
    "CentroidSummarizer",
    "CoverageSummarizer",
    "StorySentences",
    "build",
    "segment",
    "summarize",
]
