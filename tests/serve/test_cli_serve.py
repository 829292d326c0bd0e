"""`storyline serve` only parses options and calls the app factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from storyline.cli import app
from storyline.serve import MemorySource

runner = CliRunner()


def test_serve_a_folder_read_only(example_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    monkeypatch.setattr(
        "storyline.serve.source.folder_source",
        lambda paths: seen.update(paths=paths) or MemorySource([]),
    )
    result = runner.invoke(app, ["serve", str(example_dir), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["paths"] == [str(example_dir)]
    assert seen["app"].state.source.read_only


def test_serve_beyond_loopback_needs_a_token(example_dir: Path) -> None:
    result = runner.invoke(app, ["serve", str(example_dir), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "--token" in result.output


def test_serve_needs_something_to_serve() -> None:
    assert runner.invoke(app, ["serve"]).exit_code == 2


def test_bad_labels_file_names_it(example_dir: Path, tmp_path: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("region\nIran\n", encoding="utf-8")
    result = runner.invoke(app, ["serve", str(example_dir), "--outlet-labels", str(labels)])
    assert result.exit_code == 2 and "labels.csv" in result.output
