"""Ingest: turn paths, globs, directories, stdin, raw strings and Article objects into articles.

Every input that cannot be used becomes a :class:`~storyline.model.Problem` naming the input and
the reason; the rest of the batch goes on.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from storyline.ingest.decode import UnreadableInput, decode_text, decompress_partial
from storyline.ingest.feeds import iter_feed, iter_warc
from storyline.ingest.paths import (
    SIDECAR_SUFFIX,
    TooLarge,
    os_reason,
    read_capped,
    read_stream_capped,
    readable_kind,
    walk_directory,
    why_missing,
)
from storyline.ingest.records import (
    MULTINEWS_SEPARATOR,
    BadRecord,
    iter_csv,
    iter_json,
    iter_jsonl,
    iter_multinews,
    parse_date,
)
from storyline.model import Article, Problem
from storyline.settings import Settings
from storyline.stages import Ingested, register
from storyline.text.length import word_count

log = logging.getLogger(__name__)

# bytes are raw file content (any format ingest reads), str a path, glob or article text.
Input = str | os.PathLike[str] | Article | bytes

_EXTENSION_FORMATS = {
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".csv": "csv", ".tsv": "tsv", ".src": "multinews",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".warc": "warc",
}  # fmt: skip
# A string with a line break, or this long, is article text rather than a path.
_RAW_TEXT_MIN_CHARS = 512
# A string that names no file but has this many words is article text too.
_RAW_TEXT_MIN_WORDS = 8


def read_inputs(inputs: Input | Iterable[Input], settings: Settings | None = None) -> Ingested:
    """Read every input; never raises for a bad input, records a problem instead."""
    settings = settings or Settings()
    result = Ingested()
    if isinstance(inputs, str | os.PathLike | Article | bytes | bytearray):
        inputs = [inputs]
    elif not isinstance(inputs, Iterable):
        result.problems.append(_unsupported(inputs, 1))
        return result
    for number, item in enumerate(inputs, start=1):
        for outcome in _read_guarded(item, number, settings):
            if isinstance(outcome, Problem):
                result.problems.append(outcome)
            else:
                result.articles.append(_without_nul(outcome))
    return result


def _read_guarded(item: object, number: int, settings: Settings) -> Iterator[Article | Problem]:
    """Every reader reports problems itself; this net keeps a reader's bug from losing the batch."""
    if not isinstance(item, str | os.PathLike | Article | bytes | bytearray):
        yield _unsupported(item, number)
        return
    try:
        yield from _read_one(item, settings)
    except Exception as error:
        source = _describe_input(item, number)
        log.exception("reading %s failed", source)
        yield Problem(source=source, reason=f"internal error while reading: {error!r}")


def _unsupported(item: object, number: int) -> Problem:
    return Problem(
        source=f"input {number}",
        reason=(
            f"unsupported input {_short_repr(item)} ({type(item).__name__}); expected a path, "
            "a glob, article text, bytes of a file, or an Article"
        ),
    )


def _describe_input(item: object, number: int) -> str:
    if isinstance(item, str | os.PathLike) and not _looks_like_text(str(item)):
        return str(item)
    return f"input {number}"


def _short_repr(item: object) -> str:
    text = repr(item)
    return text if len(text) <= 60 else text[:57] + "..."


_TEXT_FIELDS = ("text", "title", "outlet", "author", "url")


def _without_nul(article: Article) -> Article:
    """NUL never belongs in text (it truncates C strings, breaks CSV and terminals)."""
    update: dict[str, object] = {
        name: value.replace("\x00", "")
        for name in _TEXT_FIELDS
        if isinstance(value := getattr(article, name), str) and "\x00" in value
    }
    if any("\x00" in caption for caption in article.captions):
        update["captions"] = [caption.replace("\x00", "") for caption in article.captions]
    return article.model_copy(update=update) if update else article


def _read_one(item: Input, settings: Settings) -> Iterator[Article | Problem]:
    if isinstance(item, Article):
        yield item
        return
    if isinstance(item, bytes | bytearray):
        yield from _read_bytes(bytes(item), "bytes input", settings)
        return
    if isinstance(item, str) and not item.strip():
        # Path("") is the current directory: an empty string must not read the whole of it.
        yield Problem(source=repr(item), reason="empty string: neither a path nor article text")
        return
    if isinstance(item, str) and item == "-":
        try:
            data = read_stream_capped(sys.stdin.buffer, settings.max_file_bytes, what="stdin")
        except TooLarge as error:
            yield Problem(source="stdin", reason=str(error))
            return
        except (OSError, ValueError, AttributeError) as error:  # closed or no stdin
            yield Problem(source="stdin", reason=f"cannot read stdin ({error})")
            return
        yield from _read_bytes(data, "stdin", settings)
        return
    if isinstance(item, str) and _looks_like_text(item):
        yield Article(text=item, source="text")
        return
    path = Path(item)
    kind = readable_kind(path)
    if kind == "dir":
        for entry in walk_directory(path):
            if isinstance(entry, Problem):
                yield entry
            else:
                yield from _read_file(entry, settings)
    elif kind == "file":
        yield from _read_file(path, settings)
    elif isinstance(item, str) and "\x00" not in item and _glob(item):
        for match in _glob(item):
            yield from _read_one(match, settings)
    elif isinstance(item, str) and _raw_text_words(item) >= _RAW_TEXT_MIN_WORDS:
        yield Article(text=item, source="text")  # a one-line article, not a path
    elif isinstance(item, str) and glob.has_magic(item):
        yield Problem(source=item, reason="no file matches this pattern")
    else:
        yield Problem(source=str(item), reason=_why_missing(path))


def _glob(pattern: str) -> list[str]:
    """The files a glob pattern matches, sorted; none when it is no pattern or no valid one."""
    if not glob.has_magic(pattern):
        return []
    try:
        return sorted(glob.glob(pattern, recursive=True))
    except (OSError, ValueError):  # a NUL byte, a name too long for the file system
        return []


def _why_missing(path: Path) -> str:
    try:
        return why_missing(path)
    except (OSError, ValueError):  # e.g. a name too long or with a NUL in it
        return "no such file or directory"


def _raw_text_words(item: str) -> int:
    """Words of a string that names no file: split on spaces, or (Chinese, Japanese, Thai)
    characters, unless it reads as a path (a separator or a file extension)."""
    spaced = len(item.split())
    if spaced >= _RAW_TEXT_MIN_WORDS or os.sep in item or "/" in item:
        return spaced
    if re.search(r"\.\w{1,5}$", item):
        return spaced
    return max(spaced, word_count(item))


def _looks_like_text(item: str) -> bool:
    return "\n" in item or len(item) >= _RAW_TEXT_MIN_CHARS


def _read_file(path: Path, settings: Settings) -> Iterator[Article | Problem]:
    if readable_kind(path) != "file":
        yield Problem(source=str(path), reason=_why_missing(path))
        return
    try:
        data = read_capped(path, settings.max_file_bytes)
    except TooLarge as error:
        yield Problem(source=str(path), reason=str(error))
        return
    except OSError as error:
        yield Problem(source=str(path), reason=f"cannot read file ({os_reason(error)})")
        return
    sidecar = _sidecar(path)
    try:
        for outcome in _read_bytes(data, str(path), settings):
            if sidecar and isinstance(outcome, Article):
                outcome = _with_metadata(outcome, sidecar)
            yield outcome
    except Exception as error:  # a reader's bug loses this file, not the rest of its folder
        log.exception("reading %s failed", path)
        yield Problem(source=str(path), reason=f"internal error while reading: {error!r}")


def _sidecar(path: Path) -> dict[str, object] | None:
    """Metadata saved beside a scraped file (``story.txt`` -> ``story.meta.json``), if any."""
    candidate = path.with_name(path.name.split(".")[0] + SIDECAR_SUFFIX)
    if readable_kind(candidate) != "file" or candidate == path:
        return None
    try:
        value = json.loads(read_capped(candidate, 1_000_000).decode("utf-8"))
    except (OSError, TooLarge, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _with_metadata(article: Article, metadata: dict[str, object]) -> Article:
    update: dict[str, object] = {}
    for name in ("outlet", "title", "url", "author"):
        if isinstance(metadata.get(name), str):
            update[name] = metadata[name]
    published = parse_date(metadata.get("published"))
    if published:
        update["published"] = published
    return article.model_copy(update=update)


def read_bytes(data: bytes, source: str, settings: Settings) -> Iterator[Article | Problem]:
    """The articles in one file's bytes (any format ingest reads), or Problems naming ``source``.

    The format comes from the file name in ``source`` when it has a known extension, else from
    the content. Public so that fuzzers and other front ends read bytes exactly as files are.
    """
    return _read_bytes(data, source, settings)


def _read_bytes(data: bytes, source: str, settings: Settings) -> Iterator[Article | Problem]:
    name = source.removesuffix(".gz").lower()
    fmt = _EXTENSION_FORMATS.get(os.path.splitext(name)[1])
    if fmt == "warc" and data[:2] == b"\x1f\x8b":
        # A .warc.gz is gzipped record by record: warcio reads it so that a truncated or damaged
        # tail loses only its own records.
        yield from _problems_as_such(iter_warc(data, source=source), source)
        return
    try:
        data, truncated = decompress_partial(data, limit=settings.max_file_bytes)
        if truncated:
            yield Problem(source=source, reason=truncated)
        if fmt == "warc" or data[:8] == b"WARC/1.0" or data[:8] == b"WARC/1.1":
            yield from _problems_as_such(iter_warc(data, source=source), source)
            return
        decoded = decode_text(data)
    except UnreadableInput as error:
        yield Problem(source=source, reason=str(error))
        return
    for note in decoded.notes:
        yield Problem(source=source, reason=note)
    text = decoded.text
    sniffed = fmt is None
    fmt = fmt or _sniff(text)
    fields = settings.fields
    if fmt == "html":
        from storyline.ingest.html import read_html

        try:
            yield read_html(text, source=source)
        except ValueError as error:
            yield Problem(source=source, reason=str(error))
        return
    readers = {
        "jsonl": lambda: iter_jsonl(text, fields, source=source),
        "json": lambda: iter_json(text, fields, source=source),
        "csv": lambda: iter_csv(text, fields, source=source),
        "tsv": lambda: iter_csv(text, fields, source=source, delimiter="\t"),
        "multinews": lambda: iter_multinews(text, source=source),
        "feed": lambda: iter_feed(text, source=source),
    }
    if fmt not in readers:
        yield Article(text=text, source=source)
        return
    outcomes = list(_problems_as_such(readers[fmt](), source))
    if sniffed and fmt in ("json", "jsonl") and not any(isinstance(o, Article) for o in outcomes):
        # A text that merely starts with "[" or "{" ("[Reuters] ...") is an article, not JSON.
        yield Article(text=text, source=source)
        return
    if not outcomes:
        yield Problem(source=source, reason=f"no article found (read as {_FORMAT_NAMES[fmt]})")
    yield from outcomes


_FORMAT_NAMES = {
    "jsonl": "JSON lines", "json": "JSON", "csv": "CSV", "tsv": "TSV",
    "multinews": "Multi-News source lines", "feed": "an RSS/Atom feed",
}  # fmt: skip


def _problems_as_such(
    outcomes: Iterable[Article | BadRecord], source: str
) -> Iterator[Article | Problem]:
    for outcome in outcomes:
        if isinstance(outcome, BadRecord):
            # Readers name the file in their messages; "x.json: x.json: ..." says it twice.
            reason = str(outcome).removeprefix(f"{source}: ")
            yield Problem(source=source, reason=reason)
        else:
            yield outcome


def _sniff(text: str) -> str:
    head = text.lstrip()[:2048].lower()
    if head.startswith(("<!doctype html", "<html")) or "<html" in head[:512]:
        return "html"
    if "<rss" in head or "<feed" in head or "<rdf:rdf" in head:
        return "feed"
    if head.startswith("{"):
        return "jsonl"
    if head.startswith("["):
        return "json"
    if MULTINEWS_SEPARATOR.search(text[:1_000_000]):
        return "multinews"
    return "text"


@register("reader", "storyline")
class FileReader:
    """The default reader: files, folders, globs, stdin, raw text, Article objects."""

    def read(self, inputs: Iterable[Input], settings: Settings) -> Ingested:
        return read_inputs(inputs, settings)


__all__ = ["FileReader", "Ingested", "Input", "read_inputs"]
