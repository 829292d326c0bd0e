"""WARC archives: intact records of a truncated archive are kept, a record cut short is
reported, and warcio's own warnings become Problems instead of raw stderr."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hostile_data import make_warc

from storyline.ingest import read_inputs


@pytest.mark.parametrize("compressed", [True, False])
def test_truncated_warc_keeps_intact_records_and_reports_the_cut(
    tmp_path: Path, three_pages: list[bytes], compressed: bool
) -> None:
    data = make_warc(three_pages, gzip=compressed)
    name = "crawl.warc.gz" if compressed else "crawl.warc"
    (tmp_path / name).write_bytes(data[: int(len(data) * 0.8)])  # inside the third record
    result = read_inputs(tmp_path / name)
    assert [a.url for a in result.articles] == [
        "https://example.org/story/0",
        "https://example.org/story/1",
    ]
    assert "Carter" in result.articles[1].text
    (problem,) = result.problems
    assert problem.source.endswith(name)
    assert "https://example.org/story/2: truncated WARC record (" in problem.reason
    assert problem.reason.endswith("bytes missing); not used")


def test_whole_file_gzip_of_a_warc_that_is_cut_keeps_what_it_can(
    tmp_path: Path, three_pages: list[bytes]
) -> None:
    # gzip over the whole archive (not per record), then cut: one damaged stream.
    data = gzip.compress(make_warc(three_pages, gzip=False))
    (tmp_path / "crawl.warc.gz").write_bytes(data[: int(len(data) * 0.8)])
    result = read_inputs(tmp_path / "crawl.warc.gz")
    assert len(result.articles) >= 1
    assert result.problems, "the truncation must be reported"


def test_warcio_warnings_are_problems_not_stderr(
    tmp_path: Path, three_pages: list[bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    data = make_warc(three_pages, gzip=False)
    start = data.index(b"Content-Length: ")
    end = data.index(b"\r\n", start)
    length = int(data[start + 16 : end])
    broken = data[:start] + b"Content-Length: " + str(length - 12).encode() + data[end:]
    (tmp_path / "bad-length.warc").write_bytes(broken)
    result = read_inputs(tmp_path / "bad-length.warc")
    assert capsys.readouterr().err == ""
    assert len(result.articles) == 3
    (problem,) = result.problems
    assert problem.reason.startswith(
        "warcio warning: Record not followed by newline, perhaps Content-Length is invalid"
    )
