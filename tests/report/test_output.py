"""-o: checked before the work, written atomically (a kill -9 mid-write leaves the old file)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from storyline.report.output import OutputError, check_output_path, write_atomic


def test_missing_directory_and_directory_targets_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"x.json: directory .*/nope/dir does not exist"):
        check_output_path(tmp_path / "nope" / "dir" / "x.json")
    with pytest.raises(OutputError, match=r"is a directory; give a file name"):
        check_output_path(tmp_path)
    with pytest.raises(OutputError, match=r"is a directory"):
        check_output_path(f"{tmp_path}/new/")
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match=r"file is not a directory"):
        check_output_path(tmp_path / "file" / "x.json")
    assert check_output_path(tmp_path / "ok.md") == tmp_path / "ok.md"


def test_write_replaces_the_whole_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old report\n")
    target.chmod(0o640)
    write_atomic(target, "new report\n")
    assert target.read_text() == "new report\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_failure_mid_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old report\n")

    def chunks():  # type: ignore[no-untyped-def]
        yield "half of the new"
        raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError):
        write_atomic(target, chunks())
    assert target.read_text() == "old report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_failure_before_the_first_write_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "report.md"

    def chunks():  # type: ignore[no-untyped-def]
        raise RuntimeError("renderer failed")
        yield ""

    with pytest.raises(RuntimeError):
        write_atomic(target, chunks())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_kill_minus_nine_mid_write_leaves_the_old_report(tmp_path: Path) -> None:
    """A real process killed with SIGKILL while it writes: the target is never half-written."""
    target = tmp_path / "report.md"
    target.write_text("old report\n")
    script = textwrap.dedent(
        f"""
        import sys, time
        from storyline.report.output import write_atomic

        def chunks():
            yield "new report, first part\\n"
            print("writing", flush=True)
            time.sleep(60)
            yield "second part\\n"

        write_atomic({str(target)!r}, chunks())
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "writing"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert target.read_text() == "old report\n"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "report.md"]
    # The killed writer leaves at most its hidden temporary file, never a broken report.
    assert all(name.startswith(".report.md.") and name.endswith(".tmp") for name in leftovers)
