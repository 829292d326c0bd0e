import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline import Store
from storyline.cli import app
from storyline.store import StoreError

runner = CliRunner()


def test_ingest_stories_show(example_dir: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "data")
    files = sorted(str(p) for p in example_dir.glob("*.txt"))
    first = runner.invoke(app, ["ingest", *files[:4], "--store", store])
    assert first.exit_code == 0, first.output
    assert "read 4, new 4, copies 0" in first.output and "stories created 1" in first.output
    moment = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    second = runner.invoke(app, ["ingest", str(example_dir), "--store", store])
    assert second.exit_code == 0, second.output
    assert "new 1" in second.output and "already in the store 4" in second.output
    assert "updated 1" in second.output

    listed = runner.invoke(app, ["stories", "--store", store])
    assert listed.exit_code == 0, listed.output
    assert "s1  US to Send 560 More Troops to Iraq" in listed.stdout
    assert "5 articles from 5 outlets, 5 independent origins; first: The New Arab" in listed.stdout
    found = runner.invoke(app, ["stories", "--store", store, "--search", "Qayyarah",
                                "--format", "json"])  # fmt: skip
    assert [row["id"] for row in json.loads(found.stdout)] == ["s1"]
    none = runner.invoke(app, ["stories", "--store", store, "--search", "volcano"])
    assert none.exit_code == 0 and none.stdout == ""

    shown = runner.invoke(app, ["show", "s1", "--store", store])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("# US to Send 560 More Troops to Iraq")
    assert "*5 articles from 5 outlets, 5 independent origins" in shown.stdout
    assert "## Summary" in shown.stdout
    changed = runner.invoke(app, ["show", "s1", "--store", store, "--since", moment])
    assert changed.exit_code == 0, changed.output
    assert "## New articles" in changed.stdout and "The Independent" in changed.stdout
    as_json = runner.invoke(app, ["show", "s1", "--store", store, "--since", moment,
                                  "--format", "json"])  # fmt: skip
    data = json.loads(as_json.stdout)
    assert data["version_before"] == 1 and len(data["articles_added"]) == 1


def test_no_summarize_only_reads_dedupes_and_clusters(
    example_dir: Path, tmp_path: Path
) -> None:
    store = tmp_path / "data"

    def versions() -> int:
        opened = Store(store, read_only=True)
        try:
            return opened.connection.execute("SELECT count(*) FROM story_versions").fetchone()[0]
        finally:
            opened.close()

    ingested = runner.invoke(app, ["ingest", str(example_dir), "--store", str(store),
                                   "--no-summarize"])  # fmt: skip
    assert ingested.exit_code == 0, ingested.output
    assert "new 5" in ingested.output and "stories created 1" in ingested.output
    assert versions() == 0  # read, deduped and clustered; nothing summarized
    shown = runner.invoke(app, ["show", "s1", "--store", str(store)])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("# US to Send 560 More Troops to Iraq")
    assert "## Summary" in shown.stdout  # computed for the reader
    assert versions() == 0  # and not kept: show opens the store read-only
    again = runner.invoke(app, ["ingest", str(example_dir), "--store", str(store)])
    assert again.exit_code == 0 and "already in the store 5" in again.output
    assert versions() == 0  # nothing changed, so nothing to summarize


def test_clear_errors(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["stories", "--store", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "no storyline store" in missing.output
    assert not (tmp_path / "none").exists()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "storyline.db").write_text("not a database " * 50)
    refused = runner.invoke(app, ["ingest", "some text " * 30, "--store", str(bad)])
    assert refused.exit_code == 2 and "not an SQLite database" in refused.output
    assert (bad / "storyline.db").read_text() == "not a database " * 50
    Store(tmp_path / "empty").close()
    unknown = runner.invoke(app, ["show", "s99", "--store", str(tmp_path / "empty")])
    assert unknown.exit_code == 1 and "no story s99" in unknown.output
    when = runner.invoke(app, ["stories", "--store", str(tmp_path / "empty"), "--since", "soon"])
    assert when.exit_code == 2 and "not a date" in when.output


def _rows(store: Path) -> list:
    try:  # the writer may be creating the store right now
        return Store(store, read_only=True).stories()
    except StoreError:
        return []


@pytest.mark.slow
def test_watch_picks_up_new_files_and_stops_cleanly_on_ctrl_c(
    example_dir: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = sorted(example_dir.glob("*"))
    for path in files:
        if path.name.startswith("000_"):
            (inbox / path.name).write_bytes(path.read_bytes())
    store = tmp_path / "data"
    command = [sys.executable, "-m", "storyline.cli", "watch", str(inbox), "--store", str(store),
               "--every", "1s"]  # fmt: skip
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not _rows(store):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.2)
        for path in files:  # new files arrive in the folder
            if path.name.startswith("001_"):
                (inbox / path.name).write_bytes(path.read_bytes())
        while _rows(store)[0].articles < 2:
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.2)
    finally:
        os.kill(process.pid, signal.SIGINT)
        _, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    assert "new 1" in errors
    (row,) = Store(store, read_only=True).stories()
    assert row.articles == 2
