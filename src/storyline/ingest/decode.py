"""Bytes to text: gzip, size caps, binary sniffing and encoding detection.

:func:`decode_text` also says what it had to change (bytes replaced, NUL bytes removed), so the
reader can report it instead of passing a silently altered text on.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from charset_normalizer import from_bytes


class UnreadableInput(ValueError):
    """An input that cannot be turned into text; the message names the reason."""


@dataclass
class Decoded:
    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)  # what was changed, for a Problem


def decompress(data: bytes, *, limit: int) -> bytes:
    """Gunzip transparently (by magic number, not by file name), refusing zip bombs."""
    out, _ = decompress_partial(data, limit=limit)
    return out


def decompress_partial(data: bytes, *, limit: int) -> tuple[bytes, str | None]:
    """Gunzip what can be read: a truncated stream keeps its intact part and says so.

    Returns the bytes and a note when the data was cut short; raises :class:`UnreadableInput`
    when nothing at all can be decompressed or the output passes ``limit`` (a zip bomb).
    """
    if data[:2] != b"\x1f\x8b":
        return data, None
    chunks: list[bytes] = []
    size = 0
    rest = data
    note = None
    # Member by member (a .warc.gz or a concatenated .gz has many), so that a damaged tail
    # loses only itself.
    while rest[:2] == b"\x1f\x8b":
        inflater = zlib.decompressobj(wbits=31)
        try:
            chunk = inflater.decompress(rest, limit + 1 - size)
        except zlib.error as error:
            if not chunks:
                raise UnreadableInput(f"corrupt gzip data ({error})") from error
            note = f"corrupt gzip data after {size:,} bytes ({error}); the rest was skipped"
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise UnreadableInput(f"decompresses to more than {limit:,} bytes")
        if not inflater.eof:
            if inflater.unconsumed_tail:  # the output limit was hit mid-member
                raise UnreadableInput(f"decompresses to more than {limit:,} bytes")
            note = f"truncated gzip data: the stream ends early (kept the first {size:,} bytes)"
            if not size:
                raise UnreadableInput("corrupt gzip data (it ends before any content)")
            break
        rest = inflater.unused_data
    return b"".join(chunks), note


def decode(data: bytes) -> str:
    """Decode bytes of unknown encoding; raise :class:`UnreadableInput` for binary data."""
    return decode_text(data).text


def decode_text(data: bytes) -> Decoded:
    """Decode bytes of unknown encoding, noting replaced and removed bytes.

    Raises :class:`UnreadableInput` for empty or binary data.
    """
    if not data.strip():
        raise UnreadableInput("empty file" if not data else "empty file (only white space)")
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return _finish(_decode_bom(data))
    head = data[:8192]
    if b"\x00" in head:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return _finish(utf16)
        if head.count(b"\x00") > len(head) // 100 or _control_share(_latin(head)) > 0.05:
            raise UnreadableInput(
                f"binary data ({head.count(0)} NUL bytes in the first {len(head):,}), not text"
            )
        # A few NUL bytes in text (a scraper's padding) are dropped below, not fatal.
    try:
        return _finish(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        return _finish(mostly_utf8)
    encoding = _detect_encoding(data[:200_000])
    if encoding is None:
        raise UnreadableInput("binary data or unknown text encoding")
    text = data.decode(encoding, errors="replace")
    if _control_share(text[:8192]) > 0.05:
        raise UnreadableInput(f"binary data (control characters when read as {encoding}), not text")
    return _finish(Decoded(text, encoding))


def _finish(decoded: Decoded) -> Decoded:
    nuls = decoded.text.count("\x00")
    if nuls:
        # NUL never belongs in article text; it breaks CSV readers and terminals downstream.
        decoded.text = decoded.text.replace("\x00", "")
        decoded.notes.append(f"removed {nuls:,} NUL byte{'s' if nuls > 1 else ''}")
    if not decoded.text.replace("\ufeff", "").strip():
        raise UnreadableInput(f"empty file (no text once read as {decoded.encoding})")
    return decoded


def _latin(data: bytes) -> str:
    return data.decode("latin-1")


# UTF-8 wins over a legacy code page when the file has at least as many valid multi-byte
# characters as stray bytes, or when the stray bytes are this rare: one bad byte must not turn
# a whole UTF-8 file into mojibake of another code page.
_STRAY_SHARE = 0.002


def _mostly_utf8(data: bytes) -> Decoded | None:
    text = data.decode("utf-8", errors="replace")
    kept = data.decode("utf-8", errors="ignore")
    stray = len(data) - len(kept.encode("utf-8"))
    replaced = text.count("\ufffd") - kept.count("\ufffd")
    multibyte = sum(1 for ch in kept if ord(ch) > 127)
    if not (multibyte >= stray or stray <= len(data) * _STRAY_SHARE) or stray > len(data) * 0.05:
        return None
    if multibyte < stray and _detect_western(data):
        return None  # an ASCII text with a few cp1252 quotes: cp1252 reads it right
    note = (
        f"{stray:,} byte{'s' if stray > 1 else ''} not valid UTF-8 "
        f"replaced by U+FFFD ({replaced:,} character{'s' if replaced > 1 else ''})"
    )
    return Decoded(text, "utf-8", [note])


def _detect_western(data: bytes) -> bool:
    try:
        return _reads_as_western(data[:200_000].decode("cp1252"))
    except UnicodeDecodeError:
        return False


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 with no byte-order mark: mostly-ASCII text has a NUL in every other byte."""
    head = data[:8192]
    even, odd = head[0::2], head[1::2]
    if len(head) < 4:
        return None
    for encoding, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if zeros.count(0) >= 0.6 * len(zeros):
            try:
                text = data[: len(data) // 2 * 2].decode(encoding)
            except UnicodeDecodeError:
                continue
            if _control_share(text[:4096]) <= 0.02:
                note = f"read as {encoding.upper()} (no byte-order mark)"
                return Decoded(text, encoding, [note])
    return None


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


def _decode_bom(data: bytes) -> Decoded:
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-16"
    text = data.decode(encoding, errors="replace")
    notes = []
    if "\ufffd" in text:
        notes.append(f"{text.count(chr(0xFFFD)):,} bytes not valid {encoding} replaced by U+FFFD")
    return Decoded(text, encoding, notes)


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls / len(text)
