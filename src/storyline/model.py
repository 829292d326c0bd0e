"""The typed data model every stage shares.

An :class:`Article` is what ingest produces and clean refines; a :class:`Story` groups articles
and carries the summary and the comparison; a :class:`Report` is what the public API returns.
Citations always point at character spans of ``Article.text`` (the cleaned text), so
``article.text[c.start:c.end]`` is the cited sentence, at every stage and in the JSON.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def content_id(text: str, *, prefix: str = "a") -> str:
    """A stable id from content: the same text gives the same id on every machine."""
    normalized = " ".join(text.split()).lower()
    return prefix + hashlib.sha1(normalized.encode("utf-8")).hexdigest()[:12]


class Article(BaseModel):
    """One news article. ``text`` is the cleaned body that citations point into."""

    model_config = ConfigDict(extra="ignore")

    id: str = ""
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: datetime | None = None
    author: str | None = None
    text: str = ""
    captions: list[str] = Field(
        default_factory=list, description="Photo captions kept apart from the body"
    )
    source: str | None = Field(
        default=None, description="Where it was read from (path, 'stdin', ...)"
    )
    inferred: list[str] = Field(
        default_factory=list,
        description="Fields storyline filled from the article's own text or URL rather than "
        "from metadata ('outlet', 'published', 'author')",
    )
    inferred_from: dict[str, str] = Field(
        default_factory=dict,
        description="For each inferred field, the evidence it was read from",
    )

    def model_post_init(self, __context: Any) -> None:
        if not self.id:
            self.id = content_id((self.title or "") + "\n" + self.text)


class Sentence(BaseModel):
    """A sentence of an article with its character span in ``Article.text``."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    index: int
    start: int
    end: int
    text: str


class Citation(BaseModel):
    article_id: str
    sentence_index: int
    start: int
    end: int


class SummarySentence(BaseModel):
    text: str
    citations: list[Citation] = Field(default_factory=list)


class Story(BaseModel):
    id: str
    title: str | None = None
    articles: list[Article] = Field(default_factory=list)
    summary: list[SummarySentence] = Field(default_factory=list)
    comparison: dict[str, Any] | None = Field(
        default=None, description="Agreement, conflicts, unique facts, quotes, framing, timeline"
    )

    def article(self, article_id: str) -> Article:
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)

    def source_number(self, article_id: str) -> int:
        """1-based position of an article in the story, as shown in ``[n]`` markers."""
        for number, article in enumerate(self.articles, start=1):
            if article.id == article_id:
                return number
        raise KeyError(article_id)


class Problem(BaseModel):
    """An input that could not be used, and why. Reported, never fatal for the batch."""

    source: str
    reason: str


class Report(BaseModel):
    stories: list[Story] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)
    duplicates: list[dict[str, str]] = Field(
        default_factory=list,
        description="Articles dropped as copies: {'dropped', 'kept', 'reason'}",
    )
    generated_at: datetime | None = None
    version: str | None = None
    query: str | None = Field(None, description="The question every summary was focused on")
