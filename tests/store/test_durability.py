"""kill -9 in the middle of a large ingest, then ingest again: the store is as if never killed."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_helpers import FAST, STREAM, story_membership

from storyline import Store

WRITER = """
import sys
import storyline.store.writer as writer
from storyline import Settings, Store
writer.BATCH = 7        # many small commits, so the kill lands between and inside them
writer.CHECKPOINT = 50  # and after a clusterer checkpoint, with articles to replay
Store(sys.argv[1], settings=Settings(clean=False, compare=False)).ingest(
    [sys.argv[2]], summarize=False
)
"""


def _stream(tmp_path: Path) -> Path:
    """The real dev slice, plus wire copies: every 8th article again under another outlet."""
    lines = STREAM.read_text(encoding="utf-8").splitlines()
    out = []
    for number, line in enumerate(lines):
        out.append(line)
        if number % 8 == 3:
            record = json.loads(line)
            out.append(json.dumps({**record, "outlet": "REPRINT"}))
    path = tmp_path / "stream.jsonl"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def _committed(database: Path) -> int:
    if not database.exists():
        return 0
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1)
        try:
            return connection.execute("SELECT count(*) FROM sightings").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.Error:
        return 0


def _snapshot(store: Store) -> dict[str, object]:
    db = store.connection
    return {
        "stories": sorted(
            (r.title or "", r.articles, r.outlets, r.origins) for r in store.stories(limit=10_000)
        ),
        "members": sorted(story_membership(store)),
        "sightings": sorted(
            tuple(r) for r in db.execute("SELECT raw_id, article_id FROM sightings")
        ),
        "copies": sorted(
            tuple(r) for r in db.execute("SELECT id, canonical_id FROM articles ORDER BY id")
        ),
    }


@pytest.mark.slow
def test_kill_9_during_ingest_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    stream = _stream(tmp_path)
    total = len(stream.read_text(encoding="utf-8").splitlines())
    killed_dir = tmp_path / "killed"
    database = killed_dir / "storyline.db"
    kills = []
    for target in (60, 150):  # killed twice, at different points
        process = subprocess.Popen([sys.executable, "-c", WRITER, str(killed_dir), str(stream)])
        deadline = time.monotonic() + 120
        while _committed(database) < target and process.poll() is None:
            assert time.monotonic() < deadline, "the writer made no progress"
            time.sleep(0.02)
        assert process.poll() is None, "the ingest finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        kills.append(_committed(database))
    assert 0 < kills[0] < kills[1] < total

    store = Store(killed_dir, settings=FAST)  # opens cleanly after the kills
    assert store.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _committed(database) == kills[1]  # every committed article is still there
    result = store.ingest([stream], summarize=False)
    assert result.known == kills[1]  # nothing committed is added again
    assert result.known + result.new + result.copies == total

    reference = Store(tmp_path / "reference", settings=FAST)
    clean_run = reference.ingest([stream], summarize=False)
    assert clean_run.new + clean_run.copies == total and clean_run.copies >= total // 9
    assert _snapshot(store) == _snapshot(reference)
    # Stories are complete and openable: a digest of the biggest one.
    biggest = store.stories(sort="size", limit=1)[0]
    assert store.story(biggest.id).summary
