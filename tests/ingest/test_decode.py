"""Encodings: a stray byte no longer turns a UTF-8 file into mojibake, UTF-16 without a
byte-order mark is text, and whatever was changed is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_data import example_text

from storyline.ingest import read_inputs
from storyline.ingest.decode import UnreadableInput, decode_text


@pytest.mark.parametrize("stray", [b"\x92", b"\xff", b"\x81", b"\xc3"])
def test_one_stray_byte_in_utf8_keeps_utf8_and_is_reported(tmp_path: Path, stray: bytes) -> None:
    text = example_text()  # has UTF-8 curly quotes and dashes
    assert any(ord(ch) > 127 for ch in text)
    cut = text.index("Carter")
    (tmp_path / "stray.txt").write_bytes(
        text[:cut].encode("utf-8") + stray + text[cut:].encode("utf-8")
    )
    result = read_inputs(tmp_path / "stray.txt")
    (article,) = result.articles
    assert article.text == text[:cut] + "\ufffd" + text[cut:]
    (problem,) = result.problems
    assert problem.source.endswith("stray.txt")
    assert problem.reason == "1 byte not valid UTF-8 replaced by U+FFFD (1 character)"


def test_plain_cp1252_is_still_cp1252() -> None:
    text = "Carter’s visit to Baghdad was “important”, officials said – café. " * 20
    decoded = decode_text(text.encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert decoded.text == text
    assert decoded.notes == []


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_text_not_binary(tmp_path: Path, encoding: str) -> None:
    text = example_text()
    (tmp_path / "wide.txt").write_bytes(text.encode(encoding))
    result = read_inputs(tmp_path / "wide.txt")
    (article,) = result.articles
    assert article.text == text
    assert result.problems[0].reason == f"read as {encoding.upper()} (no byte-order mark)"


def test_binary_is_still_binary_and_says_how_it_knows() -> None:
    with pytest.raises(UnreadableInput, match=r"binary data \(\d+ NUL bytes in the first"):
        decode_text(bytes(range(256)) * 64)


def test_white_space_only_file_is_called_empty() -> None:
    with pytest.raises(UnreadableInput, match=r"^empty file \(only white space\)$"):
        decode_text(b" \n\t\n")
