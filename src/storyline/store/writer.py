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

from storyline.model import Article, Problem
from storyline.store.lsh import StoredLSH
from storyline.store.models import IngestResult
from storyline.store.prepare import Prepared
from storyline.store.tally import NewSighting, Tallies, sighting_key

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
        # Batches only grow with the rows (articles are appended, never deleted), so the last
        # row holds the highest: max(batch) would read every article of the store.
        self.batch = int(
            self.db.execute(
                "SELECT coalesce((SELECT batch FROM articles ORDER BY rowid DESC LIMIT 1), 0) + 1"
            ).fetchone()[0]
        )
        self.in_transaction = False
        # Story number by cluster key, for keys looked up or created in a released savepoint
        # (a number never changes; one made in a savepoint rolled back is never kept).
        self.story_numbers: dict[str, int] = {}
        self.new_story: tuple[str, int] | None = None
        self.search_row: tuple[int | None, str, str] | None = None
        self.search_rows: list[tuple[int | None, str, str]] = []
        # The batch's sightings per story, for the story tallies kept across batches.
        self.tallies = Tallies()
        self.batch_sightings: dict[int, list[NewSighting]] = {}
        self.sighting: tuple[int, NewSighting] | None = None
        # Inputs written by this ingest: ``prepared`` asked the store about the others.
        self.written: set[str] = set()

    def add(self, article: Article, prepared: Prepared | None) -> None:
        """Write one input article, made ready by :mod:`storyline.store.prepare` (None: an
        input the store already had when it was sent off)."""
        db = self.db
        if prepared is None or prepared.raw_id in self.written or (
            not prepared.checked
            and db.execute(
                "SELECT 1 FROM sightings WHERE raw_id = ?", (prepared.raw_id,)
            ).fetchone()
        ):
            self.result.known += 1
            return
        if prepared.article is None:
            self.result.rejected.extend(prepared.problems)
            return
        self.result.warnings.extend(prepared.problems)
        if not self.in_transaction:
            db.execute("BEGIN IMMEDIATE")
            self.in_transaction = True
            self.now = now()
        try:
            self._store(prepared.raw_id, article, prepared)
        except Exception as error:  # rolled back to before this article; the batch goes on
            log.debug("storing %s failed", article.source or article.id, exc_info=True)
            self.result.rejected.append(
                Problem(source=article.source or article.id, reason=f"could not be stored: {error}")
            )
            return
        self.pending += 1
        if self.pending >= BATCH:
            self.commit()

    def _store(self, raw_id: str, raw: Article, prepared: Prepared) -> None:
        db = self.db
        article = prepared.article
        assert article is not None
        db.execute("SAVEPOINT article")
        try:
            existing = db.execute(
                "SELECT rowid, canonical_id IS NULL, story_id FROM articles WHERE id = ?",
                (article.id,),
            ).fetchone()
            if existing:  # an exact copy of a stored article (another outlet, another scrape)
                article_row, original, story = int(existing[0]), bool(existing[1]), existing[2]
                self.result.copies += 1
            else:
                story = self._new_article(article, prepared)
                article_row, original = self.article_row, self.original
            published = _iso(article.published)
            cursor = db.execute(
                "INSERT INTO sightings VALUES (?, ?, ?, ?, ?, ?, ?)",
                (raw_id, article.id, article.outlet, article.url, published, raw.source, self.now),
            )
            if story is not None:
                # The title counts for a new original only (a stored one's is in the store).
                title = article.title if original and not existing else None
                key = sighting_key(published, self.now, article_row, int(cursor.lastrowid or 0))
                seen = NewSighting(key, article.outlet, published, article.id, original, title)
                self.sighting = (story, seen)
            db.execute("RELEASE article")
        except BaseException:
            self.search_row = None
            self.new_story = None
            self.sighting = None
            db.execute("ROLLBACK TO article")
            db.execute("RELEASE article")
            raise
        self.written.add(raw_id)
        if self.sighting is not None:
            story_of, seen = self.sighting
            self.batch_sightings.setdefault(story_of, []).append(seen)
            self.sighting = None
        if self.new_story is not None:
            self.story_numbers[self.new_story[0]] = self.new_story[1]
            self.new_story = None
        if self.search_row is not None:
            self.search_rows.append(self.search_row)
            self.search_row = None
        if story is not None:
            self.batch_touched.add(story)
            self.touched.add(story)

    def _new_article(self, article: Article, prepared: Prepared) -> int:
        db = self.db
        original: str | None = None
        similarity: float | None = None
        signature = None
        keys: list[int] | None = None
        if self.lsh is not None:
            signature = prepared.signature
            if signature is None:
                signature = self.lsh.signature(article.text)
            keys = self.lsh.keys(signature)  # once: looked up here, stored below
            match = self.lsh.best_match(signature, keys)
            if match:
                original, similarity = match.article_id, match.similarity
        if original is not None:
            story = db.execute("SELECT story_id FROM articles WHERE id = ?", (original,))
            story = int(story.fetchone()[0])
            self.result.copies += 1
        self.original = original is None
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
        self.article_row = int(cursor.lastrowid or 0)
        if original is not None:
            return story
        # Search rows go in at commit, all at once: FTS5 writes its index out at every
        # savepoint release, so one row per article would mean one index segment each.
        self.search_row = (cursor.lastrowid, article.title or "", article.text)
        if signature is not None and self.lsh is not None:
            self.lsh.insert(article.id, signature, keys)
        # The clusterer goes last: if anything above fails, it has not seen the article.
        story = self._story_for(self.clusterer.add(article, prepared.features))
        db.execute("UPDATE articles SET story_id = ? WHERE rowid = ?", (story, cursor.lastrowid))
        self.result.new += 1
        self.since_checkpoint += 1
        return story

    def _story_for(self, key: str) -> int:
        known = self.story_numbers.get(key)
        if known is not None:
            return known
        row = self.db.execute("SELECT id FROM stories WHERE cluster_key = ?", (key,)).fetchone()
        if row:
            self.story_numbers[key] = int(row[0])
            return int(row[0])
        cursor = self.db.execute(
            "INSERT INTO stories (cluster_key, created_at, changed_at) VALUES (?, ?, ?)",
            (key, self.now, self.now),
        )
        number = int(cursor.lastrowid or 0)
        self.created.add(number)
        self.new_story = (key, number)  # remembered once the article's savepoint is released
        return number

    def commit(self) -> None:
        if not self.in_transaction:
            return
        self.db.executemany(
            "INSERT INTO article_fts (rowid, title, text) VALUES (?, ?, ?)", self.search_rows
        )
        self.search_rows.clear()
        try:
            for story in self.batch_touched:
                self.tallies.recount(
                    self.db, story, self.batch_sightings.get(story, []), self.now
                )
            self.db.execute("COMMIT")
        except BaseException:
            self.tallies.clear()  # the rows they were counted from may not be committed
            raise
        finally:
            self.batch_sightings.clear()
        self.in_transaction = False
        self.batch_touched.clear()
        self.pending = 0
        self.batch += 1
        if self.since_checkpoint >= CHECKPOINT:
            self.store._checkpoint()
            self.since_checkpoint = 0
