"""The clusterer's checkpoint file: a cache of the store's rows, rebuilt when it cannot be used.

Whatever happened to the file (cut short, from another store, deleted, or a store from before
the file form that kept it as a row), reopening the store puts every later article in the
story a store that was never disturbed puts it in.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from store_helpers import FAST, story_membership, stream_articles

import storyline.store.writer as writer
from storyline import Store
from storyline.store import checkpoint


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, ...]]:
    store = Store(tmp_path_factory.mktemp("reference") / "store", settings=FAST)
    store.ingest(stream_articles(40), summarize=False)
    membership = story_membership(store)
    store.close()
    assert len(membership) > 5  # several stories, not one pile
    return membership


def _first_half(directory: Path) -> Path:
    store = Store(directory, settings=FAST)
    store.ingest(stream_articles(40)[:25], summarize=False)
    store.close()
    return checkpoint.path_for(directory / "storyline.db", "online")


def _second_half(directory: Path) -> set[tuple[str, ...]]:
    store = Store(directory, settings=FAST)
    store.ingest(stream_articles(40)[25:], summarize=False)
    membership = story_membership(store)
    store.close()
    return membership


def test_the_state_is_a_file_beside_the_database_not_a_row(tmp_path: Path, reference) -> None:
    path = _first_half(tmp_path / "store")
    assert path.name == "storyline.db-clusterer-online" and path.stat().st_size > 1000
    store = Store(tmp_path / "store", settings=FAST)
    assert store.connection.execute("SELECT count(*) FROM clusterer_state").fetchone()[0] == 0
    saved = checkpoint.read(store.database, "online", store.connection)
    last = store.connection.execute("SELECT max(rowid) FROM articles").fetchone()[0]
    assert saved is not None and saved.upto == last  # every committed article is in it
    store.close()
    assert _second_half(tmp_path / "store") == reference


@pytest.mark.parametrize("damage", ["cut short", "flipped byte", "deleted", "other store"])
def test_a_checkpoint_that_cannot_be_used_is_rebuilt_from_the_rows(
    tmp_path: Path, reference, damage: str
) -> None:
    path = _first_half(tmp_path / "store")
    data = path.read_bytes()
    if damage == "cut short":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flipped byte":
        path.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
    elif damage == "deleted":
        path.unlink()
    else:  # another store's checkpoint, copied over this one's
        other = tmp_path / "other"
        store = Store(other, settings=FAST)
        store.ingest(stream_articles(60)[45:], summarize=False)
        store.close()
        shutil.copy(checkpoint.path_for(other / "storyline.db", "online"), path)
    store = Store(tmp_path / "store", settings=FAST)
    assert checkpoint.read(store.database, "online", store.connection) is None
    store.close()
    assert _second_half(tmp_path / "store") == reference
    assert path.exists()  # written again by the ingest


def test_a_store_that_kept_its_checkpoint_as_a_row_moves_it_to_the_file(
    tmp_path: Path, reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A store from before the file form: the state in clusterer_state, its row in meta.
    path = _first_half(tmp_path / "store")
    saved = path.read_bytes()
    store = Store(tmp_path / "store", settings=FAST)
    found = checkpoint.read(store.database, "online", store.connection)
    assert found is not None
    store.connection.execute(
        "INSERT INTO clusterer_state VALUES ('online', ?, 'then')", (found.state,)
    )
    store.connection.execute("INSERT INTO meta VALUES ('checkpoint:online', ?)", (str(found.upto),))
    store.close()
    path.unlink()
    replayed = []
    real_replay = Store._replay
    monkeypatch.setattr(
        Store, "_replay", lambda self, c, upto: replayed.append(upto) or real_replay(self, c, upto)
    )
    assert _second_half(tmp_path / "store") == reference
    assert replayed == [found.upto]  # the row was read, not every article replayed
    store = Store(tmp_path / "store", settings=FAST)
    assert store.connection.execute("SELECT count(*) FROM clusterer_state").fetchone()[0] == 0
    assert (
        store.connection.execute(
            "SELECT count(*) FROM meta WHERE key = 'checkpoint:online'"
        ).fetchone()[0]
        == 0
    )
    assert path.exists() and path.read_bytes() != saved
    store.close()


def test_a_checkpoint_in_the_middle_of_an_ingest_is_used_after_a_kill(
    tmp_path: Path, reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "CHECKPOINT", 10)  # checkpoints while the ingest goes on
    monkeypatch.setattr(writer, "BATCH", 5)
    store = Store(tmp_path / "store", settings=FAST)
    written = []
    real_write = checkpoint.write
    monkeypatch.setattr(checkpoint, "write", lambda *a: written.append(a[3]) or real_write(*a))
    store.ingest(stream_articles(40)[:25], summarize=False)
    assert len(written) >= 2 and written == sorted(written)
    store.close()
    assert _second_half(tmp_path / "store") == reference


def test_a_checkpoint_that_cannot_be_written_fails_no_ingest(
    tmp_path: Path, reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*arguments: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(checkpoint, "write", full_disk)
    store = Store(tmp_path / "store", settings=FAST)
    result = store.ingest(stream_articles(40)[:25], summarize=False)
    assert result.new + result.copies == 25  # committed, whatever became of the cache
    store.close()
    monkeypatch.undo()
    assert not checkpoint.path_for(tmp_path / "store" / "storyline.db", "online").exists()
    assert _second_half(tmp_path / "store") == reference  # every article replayed
