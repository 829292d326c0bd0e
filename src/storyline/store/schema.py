"""The store's SQLite schema, its version, and opening a database file safely.

A store is one SQLite file (``storyline.db``) in WAL mode. It is marked as ours twice: the
SQLite header's ``application_id`` and a ``schema_version`` table. A file that is not SQLite,
or SQLite that is not a storyline store, is refused and never touched; a store written by a
newer storyline (a higher schema version) is refused with its version; an older one is brought
forward by the migrations below, in order, each in its own transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

# "STLN" as a 32-bit integer: SQLite's header field for "which application owns this file".
APPLICATION_ID = 0x53544C4E
SCHEMA_VERSION = 2
SQLITE_HEADER = b"SQLite format 3\x00"
WRITER_CACHE_KIB = 64 * 1024  # the page cache of a connection that writes


class StoreError(Exception):
    """A store that cannot be used: corrupt, foreign, too new, missing, or busy."""


class StoreBusy(StoreError):
    """Another process is writing to the store."""


_V1 = """
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,              -- content id of the cleaned article
    canonical_id TEXT,                    -- NULL for an original; else the article it copies
    story_id INTEGER,                     -- NULL for a copy (a copy is coverage of its original)
    outlet TEXT, title TEXT, url TEXT, author TEXT,
    published TEXT,                       -- ISO 8601 or NULL
    text TEXT NOT NULL,
    captions TEXT NOT NULL DEFAULT '[]',  -- JSON list
    source TEXT,
    similarity REAL,                      -- estimated Jaccard to the original, for copies
    added_at TEXT NOT NULL,
    batch INTEGER NOT NULL
);
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_canonical ON articles(canonical_id);

-- Every time an input was seen: its id as read (before cleaning) and who ran it. Re-reading
-- the same input finds its raw id here and adds nothing.
CREATE TABLE sightings (
    raw_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,             -- the stored article (original or copy) it became
    outlet TEXT, url TEXT, published TEXT, source TEXT,
    added_at TEXT NOT NULL
);
CREATE INDEX sightings_article ON sightings(article_id);
CREATE INDEX sightings_url ON sightings(url);

-- MinHash signatures (uint32 array) and their LSH bands, so near copies are found against the
-- whole store without holding it in memory.
CREATE TABLE signatures (article_id TEXT PRIMARY KEY, hashvalues BLOB NOT NULL);
CREATE TABLE lsh_bands (band INTEGER NOT NULL, key INTEGER NOT NULL, article_id TEXT NOT NULL);
CREATE INDEX lsh_bands_key ON lsh_bands(band, key);

CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    cluster_key TEXT NOT NULL UNIQUE,     -- the clusterer's own name for the story
    title TEXT,
    articles INTEGER NOT NULL DEFAULT 0,  -- originals and copies
    origins INTEGER NOT NULL DEFAULT 0,   -- originals: independent reports
    outlets INTEGER NOT NULL DEFAULT 0,
    outlet_names TEXT NOT NULL DEFAULT '[]',  -- JSON, the first to publish first
    first_date TEXT, last_date TEXT,
    created_at TEXT NOT NULL,
    changed_at TEXT NOT NULL,             -- when an article last joined it
    members TEXT NOT NULL DEFAULT '',     -- hash of its original article ids
    lede TEXT,                            -- the current summary's first sentence
    conflicts INTEGER NOT NULL DEFAULT 0, -- in the current comparison
    version INTEGER NOT NULL DEFAULT 0    -- latest computed version (0: none yet)
);
CREATE INDEX stories_changed ON stories(changed_at);
CREATE INDEX stories_size ON stories(articles);

-- Every computed summary + comparison, kept so "what changed since" can diff two of them.
CREATE TABLE story_versions (
    story_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    members TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    as_of TEXT NOT NULL,                  -- the newest added_at of the articles it covers
    story BLOB NOT NULL,                  -- zlib-compressed Story JSON
    PRIMARY KEY (story_id, version)
);

-- The clusterer's state after the last committed batch (one row per clusterer name).
CREATE TABLE clusterer_state (name TEXT PRIMARY KEY, state BLOB NOT NULL, saved_at TEXT);

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- Full-text search over titles and texts; external content, so the text is stored once.
CREATE VIRTUAL TABLE article_fts USING fts5(
    title, text, content='articles', content_rowid='rowid', tokenize='unicode61'
);
"""

# Covering indexes for the story tallies an ingest reads (tally.load: a story's sightings with
# their articles' ids): the join is answered from the indexes alone, without reading each
# article's row (its text) and each sighting's: half the time, for 12 MB per 100k articles
# (bench/results/store.md). The new sightings index starts with article_id, so it serves the
# lookups sightings_article did.
_V2 = """
CREATE INDEX articles_story_members ON articles(story_id, id, canonical_id);
CREATE INDEX sightings_article_tally ON sightings(article_id, outlet, published, added_at);
DROP INDEX sightings_article;
"""

# version -> SQL (or a function of the connection) that brings version - 1 up to it.
MIGRATIONS: dict[int, str | Callable[[sqlite3.Connection], None]] = {1: _V1, 2: _V2}


def connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """Open ``path`` as a storyline store, creating it when writable and absent."""
    # A zero-byte file holds nothing to lose (a store killed while being created): start it.
    exists = path.exists() and not (path.is_file() and path.stat().st_size == 0)
    if exists:
        _check_header(path)
    elif read_only:
        raise StoreError(f"{path}: no storyline store here (run `storyline ingest` first)")
    uri = path.resolve().as_uri() + ("?mode=ro" if read_only else "")
    try:
        connection = sqlite3.connect(
            uri, uri=True, isolation_level=None, timeout=10.0, check_same_thread=False
        )
        connection.row_factory = sqlite3.Row
        if exists:
            _check_ours(connection, path)
        version = schema_version(connection)
        if version > SCHEMA_VERSION:
            connection.close()
            raise StoreError(
                f"{path}: store has schema version {version}, newer than this storyline "
                f"supports ({SCHEMA_VERSION}); upgrade storyline to open it"
            )
        if version < SCHEMA_VERSION:
            if read_only:
                connection.close()
                raise StoreError(
                    f"{path}: store has schema version {version}; open it once for writing "
                    f"(`storyline ingest`) to upgrade it to {SCHEMA_VERSION}"
                )
            migrate(connection, version)
        if not read_only:
            connection.execute("PRAGMA journal_mode = WAL")
            # The writer's page cache (SQLite's default is 2 MiB): an ingest looks up random
            # keys in the id, raw id and LSH band indexes of the whole store, and re-read
            # pages cost a system call each. A fixed cap: memory does not grow with the store.
            connection.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
        # WAL + NORMAL: a commit survives the process being killed (not a power cut).
        connection.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path}: not a usable storyline store ({error})") from None
    return connection


def _check_header(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, expected the store's database file")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreError(f"{path}: cannot read ({error.strerror or error})") from None
    if header != SQLITE_HEADER:
        raise StoreError(
            f"{path}: not a storyline store (not an SQLite database; the file is left as it is)"
        )


def _check_ours(connection: sqlite3.Connection, path: Path) -> None:
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    if application_id != APPLICATION_ID or "schema_version" not in tables:
        connection.close()
        raise StoreError(
            f"{path}: an SQLite database of another application, not a storyline store "
            "(the file is left as it is)"
        )


def schema_version(connection: sqlite3.Connection) -> int:
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    if "schema_version" not in tables:
        return 0
    row = connection.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(connection: sqlite3.Connection, current: int) -> None:
    """Apply every migration above ``current``; each is atomic with its version row."""
    for version in range(current + 1, SCHEMA_VERSION + 1):
        step = MIGRATIONS[version]
        connection.execute("BEGIN IMMEDIATE")
        try:
            if version == 1:
                # Inside the transaction: a file that has our id always has our tables.
                connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                connection.execute(
                    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)"
                )
            if callable(step):
                step(connection)
            else:
                for statement in _statements(step):
                    connection.execute(statement)
            connection.execute("INSERT INTO schema_version VALUES (?, datetime('now'))", (version,))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """Split a script into statements (executescript would commit our transaction)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
