"""A living news store: articles ingested day after day, stories kept up to date.

    >>> import storyline
    >>> store = storyline.Store("storyline-data")          # created on first use
    >>> result = store.ingest(["examples/iraq-troops-2016/"])
    >>> result.new, result.copies, result.stories_created
    >>> [row.title for row in store.stories(search="Qayyarah")]
    >>> store.story("s1").summary, store.changes("s1", since=yesterday).sentences_added

One SQLite file in WAL mode (:mod:`storyline.store.schema`); one writer, many readers
(:mod:`storyline.store.lock`); copies kept as coverage of their original
(:mod:`storyline.store.lsh`); the stream clusterer's state kept in the store
(:mod:`storyline.store.clustering`); every computed version of a story kept
(:mod:`storyline.store.history`).
"""

from storyline.store.core import DEFAULT_DIR, Store
from storyline.store.models import (
    ArticleRef,
    Change,
    Coverage,
    IngestResult,
    StoryChanges,
    StoryRow,
)
from storyline.store.schema import SCHEMA_VERSION, StoreBusy, StoreError

__all__ = [
    "DEFAULT_DIR",
    "SCHEMA_VERSION",
    "ArticleRef",
    "Change",
    "Coverage",
    "IngestResult",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoryChanges",
    "StoryRow",
]
