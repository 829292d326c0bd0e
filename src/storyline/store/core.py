"""``storyline.Store``: a living news store on the pipeline's stages.

``ingest`` reads with the pipeline's reader, cleans with its cleaner, finds copies against the
whole store (:mod:`storyline.store.lsh`), gives each new original to the stream clusterer
(:mod:`storyline.store.clustering`), and commits in batches: a batch is one transaction
holding its articles, their sightings, signatures, search rows and story assignments, so a
kill leaves the store at the end of the last committed batch and nothing half-written.
Summaries and comparisons are computed afterwards, once per story whose originals changed,
by the pipeline's summarizer and comparer, and every computed version is kept
(:mod:`storyline.store.history`).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyline.model import Article, Problem, Story
from storyline.pipeline import Pipeline
from storyline.settings import Settings
from storyline.store import history, queries
from storyline.store.clustering import StreamClusterer, stream_clusterer
from storyline.store.lock import WriterLock
from storyline.store.lsh import StoredLSH
from storyline.store.models import Coverage, IngestResult, StoryChanges, StoryRow
from storyline.store.schema import StoreError, connect

log = logging.getLogger(__name__)

DEFAULT_DIR = Path("storyline-data")
DATABASE = "storyline.db"
BATCH = 200  # articles per transaction: small enough that a kill loses little
CHECKPOINT = 5_000  # articles between clusterer checkpoints (replayed from the store after)

Progress = Callable[[str, int, int], None]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class Store:
    """An embedded SQLite store of articles and stories in a directory (created on first use).

    ``read_only=True`` never creates or changes anything (many readers may open a store while
    one writer ingests). ``settings`` are the pipeline's; the clusterer, dedupe threshold and
    summary budget of a store should stay the same over its life.
    """

    def __init__(
        self,
        path: str | Path = DEFAULT_DIR,
        *,
        read_only: bool = False,
        settings: Settings | None = None,
    ) -> None:
        path = Path(path)
        if path.is_file() or path.suffix in (".db", ".sqlite", ".sqlite3"):
            self.directory, self.database = path.parent, path
        else:
            self.directory, self.database = path, path / DATABASE
        if not read_only:
            if self.directory.exists() and not self.directory.is_dir():
                raise StoreError(f"{self.directory}: not a directory")
            self.directory.mkdir(parents=True, exist_ok=True)
        self.read_only = read_only
        self.settings = settings or Settings()
        self.connection: sqlite3.Connection = connect(self.database, read_only=read_only)
        self._lock = WriterLock(self.directory / "writer.lock")
        self._pipeline: Pipeline | None = None
        self._clusterer: StreamClusterer | None = None

    # -- life cycle ---------------------------------------------------------------------
    def close(self) -> None:
        self._lock.release()
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = Pipeline(self.settings)
        return self._pipeline

    # -- reading ------------------------------------------------------------------------
    def stories(
        self,
        since: datetime | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
        sort: str = "recent",
    ) -> list[StoryRow]:
        """Stories changed since ``since`` and matching ``search`` (FTS5 over titles and
        texts), newest change first (``recent``) or most articles first (``size``)."""
        return queries.stories(self.connection, since, search, limit, offset, sort)

    def count_stories(self, since: datetime | None = None, search: str | None = None) -> int:
        return queries.count_stories(self.connection, since, search)

    def story_row(self, story_id: str) -> StoryRow:
        return queries.story_row(self.connection, queries.story_number(story_id))

    def story(self, story_id: str) -> Story:
        """The digest and comparison of the story's current version (computed if stale)."""
        number = queries.story_number(story_id)
        return history.current(self, number)

    def changes(self, story_id: str, since: datetime) -> StoryChanges:
        """What changed in the story since ``since``: articles, outlets, facts, conflicts,
        quotes, summary sentences."""
        return history.changes(self, queries.story_number(story_id), since)

    def article(self, article_id: str) -> Article:
        return queries.article(self.connection, article_id)

    def coverage(self, article_id: str) -> list[Coverage]:
        """Every outlet that ran the article (its copies included), first published first."""
        return queries.coverage(self.connection, article_id)

    # -- writing ------------------------------------------------------------------------
    def ingest(
        self,
        inputs: Any,
        settings: Settings | None = None,
        progress: Progress | None = None,
        *,
        summarize: bool = True,
        stop: Callable[[], bool] | None = None,
    ) -> IngestResult:
        """Add ``inputs`` (anything ``digest`` reads, or Article objects) to the store.

        Known inputs add nothing; copies become coverage of their original; new originals
        join or open stories. ``summarize=False`` leaves the summaries of changed stories to
        be computed when they are first shown. ``stop()`` is asked between articles; when it
        says so, the batch so far is committed and ingest returns with ``stopped``.
        """
        if self.read_only:
            raise StoreError(f"{self.directory}: opened read-only")
        if settings is not None and settings != self.settings:
            self.settings, self._pipeline, self._clusterer = settings, None, None
        if isinstance(inputs, str | Path | Article):
            inputs = [inputs]
        self._lock.acquire()
        try:
            ingested = self.pipeline.reader.read(list(inputs), self.settings)
            return self.add(ingested.articles, progress, summarize=summarize, stop=stop,
                            problems=ingested.problems)
        finally:
            self._lock.release()

    def add(
        self,
        articles: Iterable[Article],
        progress: Progress | None = None,
        *,
        summarize: bool = True,
        stop: Callable[[], bool] | None = None,
        problems: Iterable[Problem] = (),
    ) -> IngestResult:
        """Add articles already read (the web app's ``POST /articles`` comes here)."""
        articles = list(articles)
        result = IngestResult(read=len(articles), rejected=list(problems))
        self._lock.acquire()
        try:
            writer = _BatchWriter(self, result)
            for number, article in enumerate(articles):
                if stop and stop():
                    result.stopped = True
                    break
                if progress:
                    progress("ingest", number, len(articles))
                writer.add(article)
            writer.commit()
            if progress:
                progress("ingest", len(articles), len(articles))
            result.story_ids = [queries.story_name(n) for n in sorted(writer.touched)]
            result.stories_created = len(writer.created)
            result.stories_updated = len(writer.touched - writer.created)
            if writer.since_checkpoint:
                self._checkpoint()
            if summarize and not result.stopped:
                for step, number in enumerate(sorted(writer.touched)):
                    if progress:
                        progress("summarize", step, len(writer.touched))
                    history.refresh(self, number)
                if progress:
                    progress("summarize", len(writer.touched), len(writer.touched))
        finally:
            self._lock.release()
        return result

    # -- the clusterer --------------------------------------------------------------------
    def clusterer(self) -> StreamClusterer:
        """The stream clusterer at the store's last committed article."""
        if self._clusterer is None:
            clusterer = stream_clusterer(self.settings)
            row = self.connection.execute(
                "SELECT state FROM clusterer_state WHERE name = ?", (clusterer.name,)
            ).fetchone()
            upto = 0
            if row:
                meta = self.connection.execute(
                    "SELECT value FROM meta WHERE key = ?", (f"checkpoint:{clusterer.name}",)
                ).fetchone()
                clusterer.load(row[0])
                upto = int(meta[0]) if meta else 0
            self._replay(clusterer, upto)
            self._clusterer = clusterer
        return self._clusterer

    def _replay(self, clusterer: StreamClusterer, upto: int) -> None:
        """Add again, in order, the originals committed after the checkpoint."""
        rows = self.connection.execute(
            "SELECT a.rowid, a.id, a.title, a.text, a.story_id, s.cluster_key FROM articles a "
            "JOIN stories s ON s.id = a.story_id "
            "WHERE a.rowid > ? AND a.canonical_id IS NULL ORDER BY a.rowid",
            (upto,),
        )
        for row in rows:
            key = clusterer.add(Article(id=row["id"], title=row["title"], text=row["text"]))
            if key != row["cluster_key"]:
                raise StoreError(
                    f"{self.database}: the clusterer's state does not reproduce story "
                    f"{row['story_id']} for article {row['id']} (was the clusterer changed?)"
                )

    def _checkpoint(self) -> None:
        clusterer = self.clusterer()
        upto = self.connection.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()
        with _transaction(self.connection):
            self.connection.execute(
                "INSERT OR REPLACE INTO clusterer_state VALUES (?, ?, ?)",
                (clusterer.name, clusterer.state(), _now()),
            )
            self.connection.execute(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                (f"checkpoint:{clusterer.name}", str(upto[0])),
            )


class _transaction:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> None:
        self.connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self.connection.execute("COMMIT" if kind is None else "ROLLBACK")


class _BatchWriter:
    """Adds articles one at a time inside a transaction committed every ``BATCH`` articles."""

    def __init__(self, store: Store, result: IngestResult) -> None:
        self.store = store
        self.db = store.connection
        self.result = result
        settings = store.settings
        self.lsh = (
            StoredLSH(self.db, threshold=settings.dedupe.jaccard,
                      permutations=settings.dedupe.permutations)
            if settings.dedupe.enabled
            else None
        )
        self.clusterer = store.clusterer()
        self.touched: set[int] = set()
        self.created: set[int] = set()
        self.batch_touched: set[int] = set()
        self.pending = 0
        self.since_checkpoint = 0
        self.batch = int(self.db.execute("SELECT coalesce(max(batch), 0) + 1 FROM articles")
                         .fetchone()[0])
        self.in_transaction = False

    def add(self, article: Article) -> None:
        db = self.db
        raw_id = article.id
        if db.execute("SELECT 1 FROM sightings WHERE raw_id = ?", (raw_id,)).fetchone():
            self.result.known += 1
            return
        try:
            ready, problems = self.store.pipeline.prepare([article])
        except Exception as error:  # one broken article never aborts the batch
            log.debug("preparing %s failed", article.source or raw_id, exc_info=True)
            ready, problems = [], [Problem(source=article.source or raw_id, reason=str(error))]
        if not ready:
            self.result.rejected.extend(problems)
            return
        self.result.warnings.extend(problems)
        cleaned = ready[0]
        if not self.in_transaction:
            db.execute("BEGIN IMMEDIATE")
            self.in_transaction = True
            self.now = _now()
        try:
            self._store(raw_id, article, cleaned)
        except Exception as error:  # rolled back to before this article; the batch goes on
            log.debug("storing %s failed", article.source or raw_id, exc_info=True)
            self.result.rejected.append(
                Problem(source=article.source or raw_id, reason=f"could not be stored: {error}")
            )
            return
        self.pending += 1
        if self.pending >= BATCH:
            self.commit()

    def _store(self, raw_id: str, raw: Article, article: Article) -> None:
        db = self.db
        db.execute("SAVEPOINT article")
        try:
            existing = db.execute(
                "SELECT id, coalesce(canonical_id, id) AS original, story_id FROM articles "
                "WHERE id = ?", (article.id,)
            ).fetchone()
            if existing:  # an exact copy of a stored article (another outlet, another scrape)
                story = existing["story_id"]
                self.result.copies += 1
            else:
                story = self._new_article(article)
            db.execute(
                "INSERT INTO sightings VALUES (?, ?, ?, ?, ?, ?, ?)",
                (raw_id, article.id, article.outlet, article.url, _iso(article.published),
                 raw.source, self.now),
            )
            db.execute("RELEASE article")
        except BaseException:
            db.execute("ROLLBACK TO article")
            db.execute("RELEASE article")
            raise
        if story is not None:
            self.batch_touched.add(story)
            self.touched.add(story)

    def _new_article(self, article: Article) -> int:
        db = self.db
        original: str | None = None
        similarity: float | None = None
        signature = None
        if self.lsh is not None:
            signature = self.lsh.signature(article.text)
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
            (article.id, original, story if original else None, article.outlet, article.title,
             article.url, article.author, _iso(article.published), article.text,
             json.dumps(article.captions), article.source, similarity, self.now, self.batch),
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
