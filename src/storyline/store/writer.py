"""Writing a batch of articles: one transaction per ``BATCH`` articles, a savepoint per article.

A batch holds its articles, their sightings, signatures, search rows and story assignments,
so a kill leaves the store at the end of the last committed batch and nothing half-written;
an article that fails is rolled back to its savepoint and reported, and the batch goes on.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np

from storyline.model import Article, Problem, content_id
from storyline.store import queries
from storyline.store.lsh import StoredLSH
from storyline.store.models import IngestResult

if TYPE_CHECKING:
    from storyline.store.core import Store

log = logging.getLogger(__name__)

BATCH = 200  # articles per transaction: small enough that a kill loses little
CHECKPOINT = 5_000  # originals between clusterer checkpoints (replayed from the store after)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class transaction:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> None:
        self.connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self.connection.execute("COMMIT" if kind is None else "ROLLBACK")


class BatchWriter:
    """Adds articles one at a time inside a transaction committed every ``BATCH`` articles."""

    def __init__(self, store: Store, result: IngestResult) -> None:
        self.store = store
        self.db = store.connection
        self.result = result
        settings = store.settings
        self.lsh = (
            StoredLSH(
                self.db,
                threshold=settings.dedupe.jaccard,
                permutations=settings.dedupe.permutations,
            )
            if settings.dedupe.enabled
            else None
        )
        self.clusterer = store.clusterer()
        self.touched: set[int] = set()
        self.created: set[int] = set()
        self.batch_touched: set[int] = set()
        self.pending = 0
        self.since_checkpoint = 0
        self.batch = int(
            self.db.execute("SELECT coalesce(max(batch), 0) + 1 FROM articles").fetchone()[0]
        )
        self.in_transaction = False

    def add(
        self,
        article: Article,
        prepared: tuple[list[Article], list[Problem]] | None = None,
        hashvalues: np.ndarray | None = None,
    ) -> None:
        """Add one input. ``prepared`` (what ``pipeline.prepare([article])`` returns) and
        ``hashvalues`` (the MinHash of the cleaned text) are for an engine that computed them
        elsewhere (``storyline ingest --engine ray``); the store's decisions are the same."""
        db = self.db
        # An input is the same input when its content and who ran it are: the same wire text
        # from another outlet is a copy to record, not something already known.
        raw_id = content_id(
            f"{article.id}\n{article.outlet or ''}\n{article.url or ''}", prefix="r"
        )
        if db.execute("SELECT 1 FROM sightings WHERE raw_id = ?", (raw_id,)).fetchone():
            self.result.known += 1
            return
        if prepared is not None:
            ready, problems = prepared
        else:
            try:
                ready, problems = self.store.pipeline.prepare([article])
            except Exception as error:  # one broken article never aborts the batch
                log.debug("preparing %s failed", article.source or article.id, exc_info=True)
                ready, problems = [], [
                    Problem(source=article.source or article.id, reason=str(error))
                ]
        if not ready:
            self.result.rejected.extend(problems)
            return
        self.result.warnings.extend(problems)
        cleaned = ready[0]
        if not self.in_transaction:
            db.execute("BEGIN IMMEDIATE")
            self.in_transaction = True
            self.now = now()
        try:
            self._store(raw_id, article, cleaned, hashvalues)
        except Exception as error:  # rolled back to before this article; the batch goes on
            log.debug("storing %s failed", article.source or article.id, exc_info=True)
            self.result.rejected.append(
                Problem(source=article.source or article.id, reason=f"could not be stored: {error}")
            )
            return
        self.pending += 1
        if self.pending >= BATCH:
            self.commit()

    def _store(
        self, raw_id: str, raw: Article, article: Article, hashvalues: np.ndarray | None = None
    ) -> None:
        db = self.db
        db.execute("SAVEPOINT article")
        try:
            existing = db.execute(
                "SELECT id, coalesce(canonical_id, id) AS original, story_id FROM articles "
                "WHERE id = ?",
                (article.id,),
            ).fetchone()
            if existing:  # an exact copy of a stored article (another outlet, another scrape)
                story = existing["story_id"]
                self.result.copies += 1
            else:
                # The one-argument call when nothing was precomputed, as before this seam.
                story = (
                    self._new_article(article)
                    if hashvalues is None
                    else self._new_article(article, hashvalues)
                )
            db.execute(
                "INSERT INTO sightings VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    raw_id,
                    article.id,
                    article.outlet,
                    article.url,
                    _iso(article.published),
                    raw.source,
                    self.now,
                ),
            )
            db.execute("RELEASE article")
        except BaseException:
            db.execute("ROLLBACK TO article")
            db.execute("RELEASE article")
            raise
        if story is not None:
            self.batch_touched.add(story)
            self.touched.add(story)

    def _new_article(self, article: Article, hashvalues: np.ndarray | None = None) -> int:
        db = self.db
        original: str | None = None
        similarity: float | None = None
        signature = None
        if self.lsh is not None:
            signature = (
                self.lsh.signature(article.text)
                if hashvalues is None
                else self.lsh.from_hashvalues(hashvalues)
            )
            match = self.lsh.best_match(signature)
            if match:
                original, similarity = match.article_id, match.similarity
        if original is not None:
            story = db.execute("SELECT story_id FROM articles WHERE id = ?", (original,))
            story = int(story.fetchone()[0])
            self.result.copies += 1
        cursor = db.execute(
            "INSERT INTO articles (id, canonical_id, story_id, outlet, title, url, author, "
            "published, text, captions, source, similarity, added_at, batch) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                original,
                story if original else None,
                article.outlet,
                article.title,
                article.url,
                article.author,
                _iso(article.published),
                article.text,
                json.dumps(article.captions),
                article.source,
                similarity,
                self.now,
                self.batch,
            ),
        )
        if original is not None:
            return story
        db.execute(
            "INSERT INTO article_fts (rowid, title, text) VALUES (?, ?, ?)",
            (cursor.lastrowid, article.title or "", article.text),
        )
        if signature is not None and self.lsh is not None:
            self.lsh.insert(article.id, signature)
        # The clusterer goes last: if anything above fails, it has not seen the article.
        story = self._story_for(self.clusterer.add(article))
        db.execute("UPDATE articles SET story_id = ? WHERE rowid = ?", (story, cursor.lastrowid))
        self.result.new += 1
        self.since_checkpoint += 1
        return story

    def _story_for(self, key: str) -> int:
        row = self.db.execute("SELECT id FROM stories WHERE cluster_key = ?", (key,)).fetchone()
        if row:
            return int(row[0])
        cursor = self.db.execute(
            "INSERT INTO stories (cluster_key, created_at, changed_at) VALUES (?, ?, ?)",
            (key, self.now, self.now),
        )
        number = int(cursor.lastrowid or 0)
        self.created.add(number)
        return number

    def commit(self) -> None:
        if not self.in_transaction:
            return
        for story in self.batch_touched:
            queries.update_story_counts(self.db, story, self.now)
        self.db.execute("COMMIT")
        self.in_transaction = False
        self.batch_touched.clear()
        self.pending = 0
        self.batch += 1
        if self.since_checkpoint >= CHECKPOINT:
            self.store._checkpoint()
            self.since_checkpoint = 0
