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

import logging
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from storyline.model import Article, Problem, Story
from storyline.pipeline import Pipeline
from storyline.settings import Settings
from storyline.store import checkpoint, history, queries
from storyline.store.clustering import StreamClusterer, stream_clusterer
from storyline.store.lock import WriterLock
from storyline.store.models import Coverage, IngestResult, StoryChanges, StoryRow
from storyline.store.prepare import Prepared, default_workers, prepared, raw_id
from storyline.store.schema import StoreError, connect
from storyline.store.summaries import refresh_stories
from storyline.store.writer import BatchWriter, transaction

log = logging.getLogger(__name__)

DEFAULT_DIR = Path("storyline-data")
DATABASE = "storyline.db"

Progress = Callable[[str, int, int], None]


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
        workers: int | None = None,
    ) -> None:
        """``workers``: processes that clean, sign and count the terms of the articles of a
        large ingest ahead of the writer (default: one per core; 1 does it all here)."""
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
        self.workers = default_workers() if workers is None else workers
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

    def duplicates(self, story_id: str) -> list[dict[str, str]]:
        """The story's copies, each with the original kept in its place and why."""
        number = queries.story_number(story_id)
        queries.story_row(self.connection, number)  # KeyError for an unknown story
        return queries.duplicates(self.connection, number)

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
        fetcher: Any = None,
    ) -> IngestResult:
        """Add ``inputs`` (anything ``digest`` reads, or Article objects) to the store.

        Known inputs add nothing; copies become coverage of their original; new originals
        join or open stories. ``summarize=False`` leaves the summaries of changed stories to
        be computed when they are first shown. ``stop()`` is asked between articles; when it
        says so, the batch so far is committed and ingest returns with ``stopped``. URLs are
        fetched with ``fetcher`` (a :class:`storyline.ingest.fetch.Fetcher`; the default
        never reaches a loopback, private or link-local address).
        """
        if self.read_only:
            raise StoreError(f"{self.directory}: opened read-only")
        if settings is not None and settings != self.settings:
            self.settings, self._pipeline, self._clusterer = settings, None, None
        if isinstance(inputs, str | Path | Article):
            inputs = [inputs]
        self._lock.acquire()
        try:
            articles, problems = self._read(list(inputs), fetcher)
            return self.add(articles, progress, summarize=summarize, stop=stop, problems=problems)
        finally:
            self._lock.release()

    def _read(self, inputs: list[Any], fetcher: Any) -> tuple[list[Article], list[Problem]]:
        """Read inputs in order: URLs through the guarded fetcher, the rest with the reader."""
        from storyline.ingest.fetch import is_url, read_url

        articles: list[Article] = []
        problems: list[Problem] = []
        pending: list[Any] = []

        def flush() -> None:
            if pending:
                ingested = self.pipeline.reader.read(list(pending), self.settings)
                articles.extend(ingested.articles)
                problems.extend(ingested.problems)
                pending.clear()

        for item in inputs:
            if not is_url(item):
                pending.append(item)
                continue
            flush()
            for outcome in read_url(item, self.settings, fetcher=fetcher, skip_link=self.knows_url):
                (problems if isinstance(outcome, Problem) else articles).append(outcome)
        flush()
        return articles, problems

    def knows_input(self, raw: str) -> bool:
        """Whether this very input (content, outlet and URL) was ingested before."""
        return (
            self.connection.execute(
                "SELECT 1 FROM sightings WHERE raw_id = ? LIMIT 1", (raw,)
            ).fetchone()
            is not None
        )

    def knows_url(self, url: str) -> bool:
        """Whether an article from this URL is in the store (a feed entry seen before)."""
        return (
            self.connection.execute(
                "SELECT 1 FROM sightings WHERE url = ? LIMIT 1", (url,)
            ).fetchone()
            is not None
        )

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
            writer = BatchWriter(self, result)
            ready = prepared(
                articles,
                self.settings,
                workers=self.workers,
                skip=lambda article: self.knows_input(raw_id(article)),
                close=self._lock.descriptors(),
                pipeline=self.pipeline,
            )
            try:
                for number, (article, made) in enumerate(ready):
                    if stop and stop():
                        result.stopped = True
                        break
                    if progress:
                        progress("ingest", number, len(articles))
                    writer.add(article, made)
            finally:
                ready.close()  # a stop or an error: the workers are shut down here
            writer.commit()
            if progress:
                progress("ingest", len(articles), len(articles))
            result.story_ids = [queries.story_name(n) for n in sorted(writer.touched)]
            result.stories_created = len(writer.created)
            result.stories_updated = len(writer.touched - writer.created)
            if writer.since_checkpoint:
                self._checkpoint()
            if summarize and not result.stopped:
                refresh_stories(self, sorted(writer.touched), progress)
        finally:
            self._lock.release()
        return result

    def add_prepared(
        self,
        items: Iterable[tuple[Article, tuple[list[Article], list[Problem]], np.ndarray | None]],
        progress: Progress | None = None,
        *,
        summarize: bool = True,
        stop: Callable[[], bool] | None = None,
        problems: Iterable[Problem] = (),
    ) -> IngestResult:
        """Add articles an engine has already read, cleaned and signed, in input order.

        Each item is ``(raw, pipeline.prepare([raw]), MinHash hash values of the cleaned text
        or None)``; only ``raw``'s id, outlet, url and source are used. The store's decisions
        (known inputs, copies, stories) are made here as in :meth:`add`, one article at a time
        in this one writer, so the contents are those a local ``ingest`` of the same input
        makes. ``items`` is consumed as it comes: memory holds one batch, not the input.
        """
        result = IngestResult(rejected=list(problems))
        self._lock.acquire()
        try:
            writer = BatchWriter(self, result)
            for raw, (ready, found), hashvalues in items:
                if stop and stop():
                    result.stopped = True
                    break
                result.read += 1
                # The same record a local ingest's workers make (store.prepare); the clusterer
                # computes the term counts itself when it is given none.
                writer.add(
                    raw,
                    Prepared(
                        raw_id=raw_id(raw),
                        article=ready[0] if ready else None,
                        problems=list(found),
                        signature=None if hashvalues is None else hashvalues.astype(np.uint32),
                    ),
                )
                if progress and result.read % 100 == 0:
                    progress("ingest", result.read, 0)
            writer.commit()
            result.story_ids = [queries.story_name(n) for n in sorted(writer.touched)]
            result.stories_created = len(writer.created)
            result.stories_updated = len(writer.touched - writer.created)
            if writer.since_checkpoint:
                self._checkpoint()
            if summarize and not result.stopped:
                refresh_stories(self, sorted(writer.touched))
        finally:
            self._lock.release()
        return result

    # -- the clusterer --------------------------------------------------------------------
    def clusterer(self) -> StreamClusterer:
        """The stream clusterer at the store's last committed article."""
        if self._clusterer is None:
            clusterer = stream_clusterer(self.settings)
            saved = checkpoint.read(self.database, clusterer.name, self.connection)
            if saved is None:  # none yet, or a store written before the file form
                saved = self._checkpoint_row(clusterer.name)
            upto = 0
            if saved is not None:
                try:
                    clusterer.load(saved.state)
                except Exception as error:  # damaged, or not plain data
                    raise StoreError(
                        f"{self.database}: the saved state of clusterer {clusterer.name!r} "
                        f"cannot be read ({error})"
                    ) from None
                upto = saved.upto
            self._replay(clusterer, upto)
            self._clusterer = clusterer
        return self._clusterer

    def _checkpoint_row(self, name: str) -> checkpoint.Checkpoint | None:
        """The checkpoint as stores before the file form kept it: a row of the database."""
        row = self.connection.execute(
            "SELECT state FROM clusterer_state WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            return None
        meta = self.connection.execute(
            "SELECT value FROM meta WHERE key = ?", (f"checkpoint:{name}",)
        ).fetchone()
        return checkpoint.Checkpoint(state=row[0], upto=int(meta[0]) if meta else 0)

    def _replay(self, clusterer: StreamClusterer, upto: int) -> None:
        """Add again, in order, the originals committed after the checkpoint."""
        rows = self.connection.execute(
            "SELECT a.*, s.cluster_key FROM articles a "
            "JOIN stories s ON s.id = a.story_id "
            "WHERE a.rowid > ? AND a.canonical_id IS NULL ORDER BY a.rowid",
            (upto,),
        )
        for row in rows:
            # Everything the clusterer saw the first time: the online one weighs time too.
            article = queries.to_article(row)
            key = clusterer.add(article)
            if key != row["cluster_key"]:
                raise StoreError(
                    f"{self.database}: the clusterer's state does not reproduce story "
                    f"{row['story_id']} for article {row['id']} (was the clusterer changed?)"
                )

    def _checkpoint(self) -> None:
        """Save the clusterer's state after the last committed article (a file beside the
        database: :mod:`storyline.store.checkpoint`)."""
        clusterer = self.clusterer()
        last = self.connection.execute(
            "SELECT rowid, id FROM articles ORDER BY rowid DESC LIMIT 1"
        ).fetchone()
        upto, article_id = (int(last[0]), last[1]) if last else (0, None)
        try:
            checkpoint.write(self.database, clusterer.name, clusterer.state(), upto, article_id)
        except OSError as error:  # a cache: the next opening replays from the last good one
            log.warning("%s: clusterer checkpoint not written (%s)", self.database, error)
            return
        old_form = self.connection.execute(
            "SELECT 1 FROM clusterer_state WHERE name = ?", (clusterer.name,)
        ).fetchone()
        if old_form:  # the row stores before the file form kept, no longer read
            with transaction(self.connection):
                self.connection.execute(
                    "DELETE FROM clusterer_state WHERE name = ?", (clusterer.name,)
                )
                self.connection.execute(
                    "DELETE FROM meta WHERE key = ?", (f"checkpoint:{clusterer.name}",)
                )
