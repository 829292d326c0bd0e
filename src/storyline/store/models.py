"""What the store's methods return: typed, so the CLI and the web app render the same data."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from storyline.model import Problem


class IngestResult(BaseModel):
    read: int = 0  # articles the readers produced
    known: int = 0  # already in the store (the same input read before): nothing added
    new: int = 0  # originals added
    copies: int = 0  # exact or near copies of an article in the store, kept as its coverage
    rejected: list[Problem] = Field(default_factory=list)  # with the reason
    warnings: list[Problem] = Field(default_factory=list)  # used, but not as given (truncated)
    stories_created: int = 0
    stories_updated: int = 0
    stopped: bool = False  # stopped between articles (Ctrl-C); everything before is committed
    story_ids: list[str] = Field(default_factory=list)  # stories created or updated


class StoryRow(BaseModel):
    """One story as a list shows it."""

    id: str
    title: str | None = None
    articles: int = 0  # every article that ran it, copies included
    outlets: int = 0
    origins: int = 0  # independent reports: a copy is coverage, not confirmation
    outlet_names: list[str] = Field(default_factory=list)
    first_outlet: str | None = None  # the outlet that published first
    first_date: datetime | None = None
    last_date: datetime | None = None
    created_at: datetime | None = None
    changed_at: datetime | None = None  # when an article last joined it
    version: int = 0  # computed summary versions (0: none yet)
    lede: str | None = None  # the current summary's first sentence
    conflicts: int = 0  # figures the sources disagree on, in the current comparison


class Coverage(BaseModel):
    """One outlet running an article: the original, an exact copy, or a near copy."""

    article_id: str
    outlet: str | None = None
    url: str | None = None
    published: datetime | None = None
    kind: str = "original"  # "original", "exact copy", "near copy"
    similarity: float | None = None


class ArticleRef(BaseModel):
    id: str
    outlet: str | None = None
    title: str | None = None
    published: datetime | None = None


class Change(BaseModel):
    """A fact, conflict or quote that is new or changed, in a line a reader can scan."""

    kind: str  # "fact", "conflict", "quote"
    status: str  # "new", "changed"
    subject: str
    now: str
    before: str | None = None


class StoryChanges(BaseModel):
    story_id: str
    since: datetime
    version_before: int | None = None  # None: the story did not exist yet
    version_now: int
    articles_added: list[ArticleRef] = Field(default_factory=list)
    outlets_added: list[str] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)  # facts, conflicts, quotes
    sentences_added: list[str] = Field(default_factory=list)
    sentences_removed: list[str] = Field(default_factory=list)
