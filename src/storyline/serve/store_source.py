"""The store as the web app's ``StorySource`` (``storyline.serve.source``, issue 23).

A thin wrapper: every member calls one :class:`Store` method and converts its typed result to
the app's models. One lock
serialises the calls, since FastAPI calls a source from several threads and a SQLite
connection's transaction belongs to the connection, not the thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from storyline.model import Article, Story
from storyline.serve import source
from storyline.store.core import Store
from storyline.store.models import StoryRow

log = logging.getLogger(__name__)


class StoreSource:
    def __init__(self, store: Store) -> None:
        self._types = source
        self.store = store
        self.read_only = store.read_only
        self._lock = threading.RLock()

    def _info(self, row: StoryRow) -> Any:
        return self._types.StoryInfo(
            id=row.id,
            title=row.title,
            updated=row.last_date or row.changed_at,
            articles=row.articles,
            outlets=row.outlet_names,
            lede=row.lede,
            conflicts=row.conflicts,
            version=_page_version(row),
        )

    def list_stories(
        self,
        *,
        search: str | None = None,
        since: datetime | None = None,
        sort: str = "recent",
        limit: int = 20,
        offset: int = 0,
    ) -> Any:
        with self._lock:
            rows = self.store.stories(
                since=since, search=search, limit=limit, offset=offset, sort=sort
            )
            total = self.store.count_stories(since=since, search=search)
        return self._types.StoryPage(
            stories=[self._info(r) for r in rows], total=total, offset=offset, limit=limit
        )

    def get_story(self, story_id: str) -> Story | None:
        with self._lock:
            try:
                return self.store.story(story_id)
            except KeyError:
                return None

    def story_version(self, story_id: str) -> str | None:
        with self._lock:
            try:
                row = self.store.story_row(story_id)
            except KeyError:
                return None
        return _page_version(row)

    def story_duplicates(self, story_id: str) -> list[dict[str, str]]:
        with self._lock:
            try:
                return self.store.duplicates(story_id)
            except KeyError:
                return []

    def get_article(self, article_id: str) -> Article | None:
        with self._lock:
            try:
                return self.store.article(article_id)
            except KeyError:
                return None

    def story_changes(self, story_id: str, since: datetime) -> Any:
        with self._lock:
            try:
                changes = self.store.changes(story_id, since)
            except KeyError:
                return None
        return self._types.StoryChanges(
            since=since,
            articles_added=[
                f"{a.outlet or 'unknown'}: {a.title or a.id}" for a in changes.articles_added
            ],
            sentences_added=changes.sentences_added,
            sentences_removed=changes.sentences_removed,
            notes=[
                f"{c.status} {c.kind}: {c.subject}: {c.now}"
                + (f" (was {c.before})" if c.before else "")
                for c in changes.changes
            ],
        )

    def refresh_stories(self, story_ids: Sequence[str]) -> None:
        """Compute the current version of each story whose articles changed (the web app runs
        this after answering a POST). One story that fails is logged and the others go on."""
        for story_id in story_ids:
            with self._lock:
                try:
                    self.store.story(story_id)
                except Exception:  # a background task has no one to tell but the log
                    log.exception("could not compute story %s", story_id)

    def add_articles(self, articles: Sequence[Article]) -> list[Any]:
        if self.read_only:
            raise PermissionError("this store was opened read-only")
        results = []
        with self._lock:
            for article in articles:
                # The story's summary and comparison are left to its next view (or the next
                # `storyline ingest`): computing them here would make every POST wait for a
                # whole story's digest while holding the store's one writer.
                outcome = self.store.add([article], summarize=False)
                if outcome.rejected:
                    status, detail = "rejected", outcome.rejected[0].reason
                elif outcome.new:
                    status, detail = "added", ""
                else:
                    status = "duplicate"
                    detail = "already in the store" if outcome.known else "a copy, kept as coverage"
                results.append(
                    self._types.ArticleResult(
                        id=article.id,
                        status=status,
                        story_id=outcome.story_ids[0] if outcome.story_ids else None,
                        detail=detail,
                    )
                )
        return results


def _page_version(row: StoryRow) -> str:
    """What a story's page depends on: its articles (copies included) and when one last
    joined. Not the store's version counter, which also moves when a version is computed
    lazily on the first view, and would make the page rendered by that view a cache miss."""
    changed = row.changed_at.isoformat() if row.changed_at else ""
    return f"{changed}:{row.articles}"
