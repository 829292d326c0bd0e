"""A written summary from a language model, every sentence verified against the sources.

The ``"llm"`` summarizer (:mod:`.summarizer`) asks any OpenAI-compatible chat endpoint for a
short summary of the story's key extracted sentences and its comparison, then keeps only the
sentences :mod:`storyline.verify` finds supported by source spans. It sits above the stage
packages because it composes them: the extractive summarizer picks its material and the
comparer gives it the conflicts to attribute. httpx is imported only when it is chosen.
"""

from __future__ import annotations

from storyline.stages import register


@register("summarizer", "llm")
def _llm_summarizer() -> object:
    try:
        from storyline.llm.summarizer import LLMSummarizer
    except ImportError as error:
        hint = "the llm summarizer needs: pip install 'storyline[llm]'"
        raise ImportError(f"{hint} ({error})") from None
    return LLMSummarizer()
