"""Bytes to text: gzip, size caps, binary sniffing and encoding detection."""

from __future__ import annotations

import gzip
import io
import zlib

from charset_normalizer import from_bytes


class UnreadableInput(ValueError):
    """An input that cannot be turned into text; the message names the reason."""


def decompress(data: bytes, *, limit: int) -> bytes:
    """Gunzip transparently (by magic number, not by file name), refusing zip bombs."""
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise UnreadableInput(f"corrupt gzip data ({error})") from error
    if len(out) > limit:
        raise UnreadableInput(f"decompresses to more than {limit:,} bytes")
    return out


def decode(data: bytes) -> str:
    """Decode bytes of unknown encoding; raise :class:`UnreadableInput` for binary data."""
    if not data.strip():
        raise UnreadableInput("empty file")
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return _decode_bom(data)
    head = data[:8192]
    if b"\x00" in head:
        raise UnreadableInput("binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding = _detect_encoding(data[:200_000])
    if encoding is None:
        raise UnreadableInput("binary data or unknown text encoding")
    text = data.decode(encoding, errors="replace")
    if _control_share(text[:8192]) > 0.05:
        raise UnreadableInput("binary data (control characters), not text")
    return text


# The detector is unreliable on short texts: it may read Western European text as a CJK or
# Baltic code page. English news is far more often cp1252, so check that first: it fits when its
# non-ASCII characters are a few accented letters or typographic punctuation among ASCII words.
_TYPOGRAPHIC = set("‘’“”–—…€£«»°·•©®™§¶ ")


def _detect_encoding(data: bytes) -> str | None:
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _reads_as_western(western):
        return "cp1252"
    best = from_bytes(data).best()
    return best.encoding if best is not None else None


def _reads_as_western(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    foreign = [ch for ch in text if ord(ch) > 127]
    if not letters:
        return False
    if any(not (ch.isalpha() or ch in _TYPOGRAPHIC) for ch in foreign):
        return False
    return sum(ord(ch) > 127 for ch in letters) / len(letters) < 0.2


def _decode_bom(data: bytes) -> str:
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-16"
    return data.decode(encoding, errors="replace")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls / len(text)
