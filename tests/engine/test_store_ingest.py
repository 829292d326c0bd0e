"""`storyline ingest --engine ray`: the store fed prepared articles holds what a local ingest
writes. The Ray runs start a local Ray instance (several seconds): slow tests."""

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline import Settings, Store
from storyline.cli import app
from storyline.engine.prepared import local_rows

from .conftest import SHARDS

# Columns that say when a row was written: the only ones allowed to differ between two ingests.
WHEN = {"added_at", "created_at", "changed_at", "computed_at", "as_of"}
TABLES = ["articles", "sightings", "signatures", "lsh_bands", "stories", "story_versions"]
FAST = Settings(compare=False)  # cleaning and summaries on, the comparison off (time)


def contents(database: Path) -> dict[str, list[tuple]]:
    """Every row of every table an ingest writes, without the write times."""
    connection = sqlite3.connect(database)
    connection.row_factory = sqlite3.Row
    dump = {}
    for table in TABLES:
        rows = connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        columns = [c[0] for c in connection.execute(f"SELECT * FROM {table} LIMIT 0").description]
        dump[table] = [tuple(row[c] for c in columns if c not in WHEN) for row in rows]
    connection.close()
    return dump


def inputs(example_dir: Path) -> list[str]:
    return [str(SHARDS[0]), str(SHARDS[1]), str(example_dir)]


def local_store(path: Path, example_dir: Path) -> dict[str, list[tuple]]:
    with Store(path, settings=FAST) as store:
        result = store.ingest(inputs(example_dir))
    assert result.new > 20 and result.copies >= 1 and result.stories_created >= 3
    return contents(path / "storyline.db")


def test_add_prepared_writes_what_ingest_writes(tmp_path: Path, example_dir: Path) -> None:
    # The seam the Ray engine uses, fed here by the one-process rows: the same store.
    expected = local_store(tmp_path / "local", example_dir)
    with Store(tmp_path / "prepared", settings=FAST) as store:
        rows = local_rows(store.pipeline, inputs(example_dir), permutations=128)
        result = store.add_prepared(
            (r.raw, r.prepared, r.hashvalues) for r in rows if r.raw is not None
        )
    assert result.read == len(expected["sightings"])
    assert contents(tmp_path / "prepared" / "storyline.db") == expected
    assert expected["story_versions"]  # the stories' summaries were computed and kept


def test_ingest_engine_ray_without_ray_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example_dir: Path
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "ray", None)
    monkeypatch.setitem(sys.modules, "ray.data", None)
    result = CliRunner().invoke(
        app, ["ingest", str(example_dir), "--store", str(tmp_path / "s"), "--engine", "ray"]
    )
    assert result.exit_code == 2
    assert "pip install 'storyline[ray]'" in result.output.replace("\n", "")
    assert not (tmp_path / "s").exists()  # refused before the store was created


def test_ingest_rejects_an_address_without_ray(tmp_path: Path, example_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["ingest", str(example_dir), "--store", str(tmp_path / "s"), "--address", "auto"]
    )
    assert result.exit_code == 2 and "--address is for the ray engine" in result.output


@pytest.mark.slow
def test_ray_ingest_fills_the_store_a_local_ingest_fills(
    tmp_path: Path, example_dir: Path
) -> None:
    pytest.importorskip("ray", reason="the ray extra is not installed (CI installs it)")
    from storyline.engine.store_ingest import ingest_into_store

    expected = local_store(tmp_path / "local", example_dir)
    with Store(tmp_path / "ray", settings=FAST) as store:
        result = ingest_into_store(store, inputs(example_dir), workers=2)
    assert result.new + result.copies == len(expected["sightings"])
    assert contents(tmp_path / "ray" / "storyline.db") == expected
    # A second run adds nothing: every input is known, as with a local ingest.
    with Store(tmp_path / "ray", settings=FAST) as store:
        again = ingest_into_store(store, inputs(example_dir), workers=2)
    assert again.known == result.read and again.new == 0
    assert contents(tmp_path / "ray" / "storyline.db") == expected


@pytest.mark.slow
def test_cli_ingest_engine_ray(tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="the ray extra is not installed (CI installs it)")
    store = tmp_path / "store"
    result = CliRunner().invoke(
        app, ["ingest", *map(str, SHARDS), "--store", str(store), "--engine", "ray"]
    )
    assert result.exit_code == 0, result.output
    assert "new 18, copies 1" in result.output
    listed = CliRunner().invoke(app, ["stories", "--store", str(store), "--format", "json"])
    assert listed.exit_code == 0 and '"lede"' in listed.stdout
