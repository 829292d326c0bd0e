"""The stream clusterer's checkpoint: a file beside the database, written whole and renamed.

The state grows with the store (47 MB for the 100k-article benchmark store) and is written at
the end of every ingest. As a BLOB in SQLite that cost ~0.4 s of CPU an ingest (the old
value's pages freed, the new ones logged to the WAL, then copied into the database by the WAL
checkpoint), against ~0.03 s for a file (`bench/results/store.md`). The file is a cache of
what the store's rows already say: it names the last article row it has seen and that
article's id. A file that is missing, incomplete (its length or CRC-32 disagree) or from
another store (that row holds another article) is passed over, and the clusterer is rebuilt
by replaying the articles after the last good checkpoint, all of them if there is none. A
file that is whole but whose state the clusterer refuses is an error, as a refused state
always was: it was written as it is, not cut short.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import zlib
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MAGIC = b"storyline clusterer checkpoint\n"
FORMAT = 1
_UNSAFE = re.compile(r"[^\w.-]")  # a clusterer's registered name may hold any character


@dataclass(frozen=True)
class Checkpoint:
    state: bytes
    upto: int  # the last article rowid the state has seen (0: none)


def path_for(database: Path, clusterer: str) -> Path:
    """``storyline.db-clusterer-online``: beside the database, as SQLite's -wal and -shm."""
    safe = _UNSAFE.sub("_", clusterer)
    return database.with_name(f"{database.name}-clusterer-{safe}")


def write(database: Path, clusterer: str, state: bytes, upto: int, article_id: str | None) -> None:
    """Save ``state`` as the checkpoint at article row ``upto`` (whose id is ``article_id``).

    Written to a temporary file and renamed over the old one: a kill at any moment leaves
    the old checkpoint or the new one, never part of either.
    """
    header = {
        "format": FORMAT,
        "clusterer": clusterer,
        "upto": upto,
        "article": article_id,
        "length": len(state),
        "crc32": zlib.crc32(state),
    }
    target = path_for(database, clusterer)
    partial = target.with_name(target.name + ".partial")
    with partial.open("wb") as handle:
        handle.write(MAGIC + json.dumps(header).encode() + b"\n")
        handle.write(state)
    os.replace(partial, target)


def read(database: Path, clusterer: str, connection: sqlite3.Connection) -> Checkpoint | None:
    """The checkpoint of ``clusterer`` if its file is whole and was written by this store."""
    path = path_for(database, clusterer)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("%s: cannot read the clusterer checkpoint (%s); rebuilding it", path, error)
        return None
    header_end = data.find(b"\n", len(MAGIC))
    try:
        if not data.startswith(MAGIC) or header_end < 0:
            raise ValueError("not a clusterer checkpoint")
        header = json.loads(data[len(MAGIC) : header_end])
        state = data[header_end + 1 :]
        if header.get("format") != FORMAT or header.get("clusterer") != clusterer:
            raise ValueError(f"format {header.get('format')!r} of {header.get('clusterer')!r}")
        if len(state) != header["length"] or zlib.crc32(state) != header["crc32"]:
            raise ValueError("incomplete (its length or CRC-32 disagree)")
        upto = int(header["upto"])
        row = connection.execute("SELECT id FROM articles WHERE rowid = ?", (upto,)).fetchone()
        if upto and (row is None or row[0] != header["article"]):
            raise ValueError("written for another store (its last article is not this store's)")
    except (ValueError, KeyError, TypeError) as error:
        log.warning("%s: clusterer checkpoint passed over: %s; rebuilding it", path, error)
        return None
    return Checkpoint(state=state, upto=upto)


__all__ = ["Checkpoint", "path_for", "read", "write"]
