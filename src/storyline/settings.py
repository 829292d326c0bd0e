"""One settings object, built where the public API is called and handed to every stage."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, Field, model_validator


class FieldMap(BaseModel):
    """Which record fields of a JSONL / JSON / CSV corpus hold which article attribute."""

    title: str = "title"
    text: str = "text"
    url: str = "url"
    date: str = "date"
    outlet: str = "outlet"
    author: str = "author"
    id: str = "id"


class Settings(BaseModel):
    words: int = Field(120, ge=10, description="Word budget of each story's summary")
    sentences: int | None = Field(None, ge=1, description="Sentence budget; overrides words")
    cluster: bool = Field(False, description="Group the articles into several stories")
    compare: bool = Field(True, description="Compare the sources of each story")
    dedupe: bool = Field(True, description="Drop exact and near-duplicate (syndicated) copies")
    clean: bool = Field(True, description="Remove boilerplate from plain-text scrapes")
    fields: FieldMap = Field(default_factory=FieldMap)
    max_file_bytes: int = Field(50_000_000, description="Larger input files are skipped")
    max_article_chars: int = Field(200_000, description="Longer article texts are truncated")
    min_article_words: int = Field(20, description="Shorter texts are reported, not used")
    summarizer: str = Field("storyline", description="Extractive summarizer to use")
    query: str | None = Field(
        None,
        max_length=2_000,
        description="A question or topic every summary focuses on (storyline summarizer only)",
    )

    @model_validator(mode="after")
    def _query_needs_storyline(self) -> Self:
        if self.query and self.summarizer != "storyline":
            raise ValueError(f"a query needs the storyline summarizer, not {self.summarizer}")
        return self
