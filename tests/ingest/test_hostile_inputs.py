"""Inputs that used to crash the whole batch: each is now a Problem naming the file, and the
rest of the batch is read."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path

import pytest
from hostile_data import example_text

import storyline
from storyline.ingest import read_inputs
from storyline.model import Article
from storyline.settings import Settings


def _reasons(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {Path(p.source).name: p.reason for p in result.problems}


def test_deeply_nested_json_is_a_problem_not_a_recursion_error(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 10_000 + "]" * 10_000)
    (tmp_path / "deep.jsonl").write_text("{" + '"a":{' * 5_000 + "}" * 5_001 + "\n")
    (tmp_path / "good.txt").write_text(example_text())
    result = read_inputs(tmp_path)
    assert [Path(a.source or "").name for a in result.articles] == ["good.txt"]
    reasons = _reasons(result)
    assert reasons["deep.json"] == "JSON nested too deeply to read"
    assert reasons["deep.jsonl"].endswith("JSON nested too deeply to read")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("42", "expected a JSON object or a list of objects, got a number (42)"),
        ('"hello"', "expected a JSON object or a list of objects, got a string"),
        ("null", "expected a JSON object or a list of objects, got null"),
        ('{"articles": 5}', "'articles' should be a list of objects, not a number (5)"),
        ('{"articles": {"text": "x"}}', "'articles' should be a list of objects, not an object"),
    ],
)
def test_json_scalars_and_wrong_shapes_are_named(
    tmp_path: Path, content: str, expected: str
) -> None:
    (tmp_path / "odd.json").write_text(content)
    (tmp_path / "good.txt").write_text(example_text())
    result = read_inputs(tmp_path)
    assert len(result.articles) == 1
    assert _reasons(result)["odd.json"] == expected


def test_json_list_items_of_the_wrong_type_are_named_by_position(tmp_path: Path) -> None:
    body = example_text()
    (tmp_path / "mixed.json").write_text(json.dumps([5, {"text": body}, "x"]))
    result = read_inputs(tmp_path / "mixed.json")
    assert len(result.articles) == 1
    reasons = [p.reason for p in result.problems]
    assert any("mixed.json[1]: expected a JSON object, got a number (5)" in r for r in reasons)
    assert any("mixed.json[3]: expected a JSON object, got a string" in r for r in reasons)


def test_csv_field_over_ten_megabytes_is_read(tmp_path: Path) -> None:
    body = example_text()
    long_text = body + " " + "More words follow here. " * 500_000  # 12 MB
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerows([["title", "text"], ["Long one", long_text], ["Short one", body]])
    (tmp_path / "big.csv").write_text(stream.getvalue())
    result = read_inputs(tmp_path / "big.csv", Settings(max_file_bytes=20_000_000))
    assert result.problems == []
    assert [a.title for a in result.articles] == ["Long one", "Short one"]
    assert len(result.articles[0].text) > 10_000_000


@pytest.mark.parametrize("first", ["[Reuters] ", "{Updated} ", "[", "{\n"])
def test_txt_that_starts_like_json_falls_back_to_text(tmp_path: Path, first: str) -> None:
    text = first + example_text()
    (tmp_path / "story.txt").write_text(text)
    result = read_inputs(tmp_path / "story.txt")
    assert result.problems == []
    (article,) = result.articles
    assert article.text == text


def test_txt_that_is_json_records_is_still_read_as_records(tmp_path: Path) -> None:
    line = json.dumps({"title": "Carter", "text": example_text()})
    (tmp_path / "records.txt").write_text(line + "\n" + line.replace("Carter", "Again") + "\n")
    result = read_inputs(tmp_path / "records.txt")
    assert [a.title for a in result.articles] == ["Carter", "Again"]


def test_api_names_bad_items_and_accepts_bytes(example_dir: Path) -> None:
    raw = example_text().encode("cp1252", errors="replace")
    result = read_inputs([None, example_dir, 42, raw, 3.5])  # type: ignore[list-item]
    assert len(result.articles) == 6
    problems = {p.source: p.reason for p in result.problems}
    assert problems["input 1"].startswith("unsupported input None (NoneType)")
    assert problems["input 3"].startswith("unsupported input 42 (int)")
    assert problems["input 5"].startswith("unsupported input 3.5 (float)")
    assert result.articles[-1].source == "bytes input"


def test_digest_with_a_none_item_still_reports(example_dir: Path) -> None:
    report = storyline.digest([None, example_dir], compare=False)  # type: ignore[list-item]
    assert len(report.stories) == 1
    assert any(p.source == "input 1" and "NoneType" in p.reason for p in report.problems)


def test_a_single_bytes_input_is_one_file_not_a_list_of_ints() -> None:
    result = read_inputs(example_text().encode("utf-8"))
    assert len(result.articles) == 1 and result.problems == []


def test_nul_bytes_are_removed_everywhere(tmp_path: Path) -> None:
    body = example_text()
    # Past the first 8 KB, where the binary sniffing does not look.
    padded = body + "\n" + ("Filler sentence about the war. " * 400) + "Late\0 NUL\0 bytes.\n"
    (tmp_path / "nul.txt").write_bytes(padded.encode("utf-8"))
    record = {"title": "Ti\u0000tle", "text": body + "\u0000 and more", "outlet": "Out\u0000let"}
    (tmp_path / "nul.jsonl").write_text(json.dumps(record) + "\n")
    given = Article(title="A\0B", text=body + "\0")
    result = read_inputs([tmp_path / "nul.txt", tmp_path / "nul.jsonl", given])
    assert len(result.articles) == 3
    for article in result.articles:
        for value in (article.text, article.title, article.outlet):
            assert "\0" not in (value or "")
    assert "Late NUL bytes." in result.articles[0].text
    assert result.articles[1].title == "Title" and result.articles[2].title == "AB"
    assert _reasons(result)["nul.txt"] == "removed 2 NUL bytes"


def test_stdin_has_the_file_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    data = example_text().encode("utf-8") * 50
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = read_inputs("-", Settings(max_file_bytes=10_000))
    assert result.articles == []
    assert result.problems[0].source == "stdin"
    assert result.problems[0].reason == "stdin too large (more than 10,000 bytes; limit 10,000)"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data[:9_000])))
    result = read_inputs("-", Settings(max_file_bytes=10_000))
    assert len(result.articles) == 1


def test_symlink_loop_and_broken_link_say_so(tmp_path: Path) -> None:
    os.symlink(tmp_path / "b", tmp_path / "a")
    os.symlink(tmp_path / "a", tmp_path / "b")
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    result = read_inputs([tmp_path / "a", tmp_path / "dangling.txt"])
    reasons = _reasons(result)
    assert reasons["a"] == "too many levels of symbolic links (a symlink loop)"
    assert reasons["dangling.txt"] == f"broken symbolic link (points to {tmp_path / 'gone.txt'})"
    # Inside a directory walk the loop is reported too, not silently dropped.
    walked = _reasons(read_inputs(tmp_path))
    assert walked["a"] == "too many levels of symbolic links (a symlink loop)"
    assert walked["dangling.txt"].startswith("broken symbolic link")


def test_device_is_not_a_regular_file() -> None:
    result = read_inputs("/dev/zero")
    assert result.problems[0].reason == "not a regular file (a character device)"


def test_unreadable_directory_is_not_called_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example_dir: Path
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        # As an unprivileged user a chmod 000 directory does this; the tests may run as root.
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = read_inputs([locked, example_dir])
    assert len(result.articles) == 5
    assert _reasons(result) == {"locked": "cannot read directory (permission denied)"}


def test_non_feed_xml_and_empty_source_file_are_named(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset><url><loc>https://example.org/</loc></url></urlset>'
    )
    (tmp_path / "empty.src").write_text("\n  \n")
    (tmp_path / "blank.src").write_text("NEWLINE_CHAR ||||| \n")
    reasons = _reasons(read_inputs(tmp_path))
    assert reasons["sitemap.xml"] == "XML but not an RSS/Atom feed (root element <urlset>)"
    assert reasons["empty.src"] == "empty file (only white space)"
    assert reasons["blank.src"] == "no article found (read as Multi-News source lines)"


def test_a_readers_bug_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.ingest as ingest

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("reader bug")

    monkeypatch.setattr(ingest, "_read_bytes", broken)
    result = read_inputs([example_text().encode(), Article(text=example_text())])
    assert len(result.articles) == 1
    assert result.problems[0].reason == "internal error while reading: RuntimeError('reader bug')"
