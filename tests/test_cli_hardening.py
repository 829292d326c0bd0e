"""The CLI refuses a bad --output before doing any work, and writes it atomically."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import storyline.cli as cli
from storyline.cli import app

runner = CliRunner()


@pytest.fixture
def no_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("the digest ran although --output cannot be written")

    monkeypatch.setattr(cli, "get_engine", fail)


@pytest.mark.usefixtures("no_digest")
def test_output_in_a_missing_directory_is_refused_before_the_work(
    example_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "nonexistent" / "dir" / "x.json"
    result = runner.invoke(app, ["digest", str(example_dir), "-o", str(target)])
    assert result.exit_code == 2
    assert f"error: --output {target}: directory {target.parent} does not exist" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.usefixtures("no_digest")
def test_output_that_is_a_directory_is_refused_before_the_work(
    example_dir: Path, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["digest", str(example_dir), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "is a directory; give a file name" in result.stderr


def test_output_replaces_an_old_report_whole(example_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old\n")
    result = runner.invoke(app, ["digest", str(example_dir), "--no-compare", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text().startswith("# ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


@pytest.mark.slow
def test_stdin_over_the_cap_is_refused_without_reading_it_all() -> None:
    """A real process fed more than the 50 MB file cap on stdin: it stops at the cap."""
    data = b"Some words of an article about the war. " * 1_300_000  # 52 MB
    result = subprocess.run(
        [sys.executable, "-m", "storyline.cli", "digest", "-"],
        input=data,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert "stdin: stdin too large (more than 50,000,000 bytes; limit 50,000,000)" in stderr
