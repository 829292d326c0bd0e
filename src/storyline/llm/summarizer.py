"""The ``llm`` summarizer: a written summary from any OpenAI-compatible chat endpoint, in which
every sentence is verified against the sources before a reader sees it.

1. The default extractive summarizer picks the story's key sentences (a larger budget than a
   summary's); the comparison gives the agreed facts and the conflicts with outlets and values.
2. The model is asked for a short summary that keeps conflicting figures attributed and marks
   each sentence with its sources, [n] (:func:`build_messages`).
3. :class:`storyline.verify.Verifier` checks each sentence; those that fail are dropped and
   listed with their reasons (``Story.dropped``); the rest cite real source spans.
4. An endpoint that fails (errors, time-outs after the retries, an empty answer) gives the
   extractive summary instead, with a Problem in the report that says so.

The API key is read from ``STORYLINE_LLM_API_KEY`` and only ever put in the request header; it
is never logged, never part of an error message and never in the report.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass

import httpx

from storyline.model import Comparison, Problem, Story, SummarySentence
from storyline.settings import LLMSettings, Settings
from storyline.stages import Summarized, resolve

log = logging.getLogger(__name__)
API_KEY_VARIABLE = "STORYLINE_LLM_API_KEY"
MAX_CONFLICTS = 6
MAX_FACTS = 8

SYSTEM_PROMPT = (
    "You summarize news stories from several sources. Use only the numbered source sentences "
    "you are given; add nothing from memory. Write plain sentences, no lists. End every "
    "sentence with the numbers of the sources that state it, like [1] or [2, 3]. When sources "
    "give different figures, write each figure with the outlet that gives it (for example: "
    "Press TV put the total at more than 4,647; The New Arab at more than 4,600). Put words in "
    "quotation marks only when you copy them exactly from a source."
)


class LLMError(RuntimeError):
    """The endpoint could not give an answer (after the retries)."""


@dataclass
class ChatClient:
    """A minimal client of ``POST {url}/chat/completions`` with retries and a time-out."""

    url: str
    model: str
    timeout: float = 60.0
    retries: int = 2
    temperature: float = 0.0
    max_tokens: int = 400
    transport: httpx.BaseTransport | None = None  # tests may swap the network out
    backoff: float = 0.5

    @classmethod
    def from_settings(cls, llm: LLMSettings) -> ChatClient:
        if not llm.url or not llm.model:
            raise LLMError("the llm summarizer needs a url (--llm-url) and a model (--llm-model)")
        return cls(
            url=llm.url,
            model=llm.model,
            timeout=llm.timeout,
            retries=llm.retries,
            temperature=llm.temperature,
            max_tokens=llm.max_tokens,
        )

    def endpoint(self) -> str:
        base = self.url.rstrip("/")
        if base.endswith("/chat/completions"):
            return base
        if not base.endswith("/v1"):
            base += "/v1"
        return base + "/chat/completions"

    def complete(self, messages: list[dict[str, str]]) -> str:
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(API_KEY_VARIABLE)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        body = {
            "model": self.model,
            "messages": messages,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }
        last = "no attempt made"
        with httpx.Client(timeout=self.timeout, transport=self.transport) as client:
            for attempt in range(self.retries + 1):
                if attempt:
                    time.sleep(self.backoff * attempt)
                try:
                    response = client.post(self.endpoint(), json=body, headers=headers)
                except httpx.TimeoutException:
                    last = f"no answer within {self.timeout:g} s"
                    continue
                except httpx.HTTPError as error:
                    # The type only: an error's text may echo the request, headers included.
                    last = f"connection failed ({type(error).__name__})"
                    continue
                if response.status_code != 200:
                    last = f"HTTP {response.status_code}"
                    if response.status_code in (400, 401, 403, 404):
                        break  # a retry gets the same answer
                    continue
                try:
                    content = response.json()["choices"][0]["message"]["content"]
                except (ValueError, KeyError, IndexError, TypeError):
                    last = "an answer that is not an OpenAI chat completion"
                    continue
                if isinstance(content, str) and content.strip():
                    return content
                last = "an empty answer"
        tries = self.retries + 1
        raise LLMError(f"{last} (after {tries} {'try' if tries == 1 else 'tries'})")


def build_messages(
    story: Story,
    key_sentences: list[SummarySentence],
    comparison: Comparison | None,
    max_sentences: int,
) -> list[dict[str, str]]:
    """The chat messages: numbered sources, their key sentences, agreements and conflicts."""
    lines = ["Sources:"]
    for number, article in enumerate(story.articles, start=1):
        outlet = article.outlet or "unknown outlet"
        date = article.published.date().isoformat() if article.published else "undated"
        lines.append(f"[{number}] {outlet}, {date}: {article.title or ''}".rstrip(": "))
    lines.append("\nKey sentences (with the sources that state them):")
    for sentence in key_sentences:
        numbers = sorted({story.source_number(c.article_id) for c in sentence.citations})
        lines.append(f"- {sentence.text} [{', '.join(map(str, numbers))}]")
    if comparison is not None:
        if comparison.facts:
            lines.append("\nFacts several sources agree on:")
            for fact in comparison.facts[:MAX_FACTS]:
                numbers = sorted({story.source_number(a) for a in fact.article_ids})
                lines.append(f"- {fact.subject}: {fact.value} [{', '.join(map(str, numbers))}]")
        if comparison.conflicts:
            lines.append("\nFigures the sources disagree on (keep each with its outlet):")
            for conflict in comparison.conflicts[:MAX_CONFLICTS]:
                values = "; ".join(
                    f"{v.outlet or 'source'} [{story.source_number(v.article_id)}]: "
                    f"{v.phrase or v.value}"
                    for v in conflict.values
                )
                lines.append(f"- {conflict.subject}: {values}")
    lines.append(
        f"\nWrite a summary of at most {max_sentences} sentences, each ending with its [n] markers."
    )
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "\n".join(lines)},
    ]


class LLMSummarizer:
    """A generated summary, verified sentence by sentence; extractive when the endpoint fails."""

    def __init__(self, client: ChatClient | None = None) -> None:
        self.client = client  # None: built from the settings on each call

    def summarize(self, story: Story, settings: Settings) -> Summarized:
        from storyline.verify import Verifier, load_embedder

        extractive = resolve("summarizer", "storyline")
        fallback = extractive.summarize(story, settings)
        key_settings = settings.model_copy(
            update={"sentences": settings.llm.source_sentences, "words": 10_000}
        )
        key_sentences = extractive.summarize(story, key_settings)
        comparison = None
        if settings.compare.enabled:
            comparison = resolve("comparer", settings.compare.method).compare(story, settings)
        try:
            client = self.client or ChatClient.from_settings(settings.llm)
            messages = build_messages(story, key_sentences, comparison, settings.llm.max_sentences)
            answer = client.complete(messages)
        except LLMError as error:
            log.warning("llm summarizer: %s; using the extractive summary", error)
            problem = Problem(
                source=story.id,
                reason=f"LLM summary unavailable ({error}); "
                "the extractive summary is shown instead",
            )
            return Summarized(
                summary=fallback, method="extractive", problems=[problem], comparison=comparison
            )
        embedder = load_embedder(settings.llm.embedder) if settings.llm.embeddings else None
        verifier = Verifier(story.articles, embedder=embedder)
        kept, dropped = verifier.verify(answer)
        kept = kept[: settings.llm.max_sentences]
        problems = []
        if not kept:
            problems.append(
                Problem(
                    source=story.id,
                    reason="no generated sentence passed verification; "
                    "the extractive summary is shown instead",
                )
            )
            return Summarized(
                summary=fallback,
                method="extractive",
                dropped=dropped,
                problems=problems,
                comparison=comparison,
            )
        return Summarized(summary=kept, method="generated", dropped=dropped, comparison=comparison)
