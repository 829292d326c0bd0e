"""What ``POST /articles`` accepts: one article, a list of them, or ``{"articles": [...]}``.

Every field is bounded so that one request cannot hold a book per field; unknown fields are
refused with a 422 that names them (a typo such as ``"body"`` for ``"text"`` would otherwise
store an empty article).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from storyline.model import Article

MAX_TEXT_CHARS = 200_000
MAX_FIELD_CHARS = 2_000
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def _iso_only(value: Any) -> Any:
    """pydantic reads 0 or "0.5" as a Unix time; a date here must be written as ISO 8601."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO.match(value):
        raise ValueError("not an ISO 8601 date or date-time (2016-07-11T09:00:00Z)")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_only)]


class ArticleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(
        None,
        max_length=80,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="Leave out to get an id from the content",
    )
    outlet: str | None = Field(None, max_length=MAX_FIELD_CHARS)
    title: str | None = Field(None, max_length=MAX_FIELD_CHARS)
    url: str | None = Field(None, max_length=MAX_FIELD_CHARS)
    published: IsoDateTime | None = None
    author: str | None = Field(None, max_length=MAX_FIELD_CHARS)
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)


class ArticlesBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1)


PostBody = ArticleIn | Annotated[list[ArticleIn], Field(min_length=1)] | ArticlesBatch


def to_articles(items: list[ArticleIn] | list[ArticlesBatch]) -> list[Article]:
    return [
        Article(**item.model_dump(exclude_none=True), source="POST /articles")
        for item in items
        if isinstance(item, ArticleIn)
    ]
