"""The duplicates line names the files of both copies, not an id twice."""

from __future__ import annotations

import shutil
from pathlib import Path

import storyline
from storyline.report import to_markdown


def test_duplicates_are_listed_with_their_file_names(example_dir: Path, tmp_path: Path) -> None:
    for path in sorted(example_dir.glob("00[0-2]_*.txt")):
        shutil.copy(path, tmp_path / path.name)
    first = sorted(example_dir.glob("000_*.txt"))[0]
    shutil.copy(first, tmp_path / "zz-copy.txt")
    report = storyline.digest(tmp_path, compare=False)
    (duplicate,) = report.duplicates
    assert Path(duplicate.dropped_source).name in {"zz-copy.txt", first.name}
    assert {Path(duplicate.dropped_source).name, Path(duplicate.kept_source).name} == {
        "zz-copy.txt",
        first.name,
    }
    markdown = to_markdown(report)
    line = next(line for line in markdown.splitlines() if line.startswith("**Duplicates"))
    assert "zz-copy.txt" in line and first.name.replace("_", "\\_") in line
    assert "exact duplicate of" in line
