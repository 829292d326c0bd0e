"""Ingest: turn paths, globs, directories, stdin, raw strings and Article objects into articles.

Every input that cannot be used becomes a :class:`~storyline.model.Problem` naming the input and
the reason; the rest of the batch goes on.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from storyline.ingest.decode import UnreadableInput, decode, decompress
from storyline.ingest.feeds import iter_feed, iter_warc
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

Input = str | os.PathLike[str] | Article

_EXTENSION_FORMATS = {
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".csv": "csv", ".tsv": "tsv", ".src": "multinews",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".warc": "warc",
}  # fmt: skip
SIDECAR_SUFFIX = ".meta.json"
# A string with a line break, or this long, is article text rather than a path.
_RAW_TEXT_MIN_CHARS = 512
# A string that names no file but has this many words is article text too.
_RAW_TEXT_MIN_WORDS = 8


def read_inputs(inputs: Input | Iterable[Input], settings: Settings | None = None) -> Ingested:
    """Read every input; never raises for a bad input, records a problem instead."""
    settings = settings or Settings()
    result = Ingested()
    if isinstance(inputs, str | os.PathLike | Article):
        inputs = [inputs]
    for item in inputs:
        for outcome in _read_one(item, settings):
            if isinstance(outcome, Problem):
                result.problems.append(outcome)
            else:
                result.articles.append(outcome)
    return result


def _read_one(item: Input, settings: Settings) -> Iterator[Article | Problem]:
    if isinstance(item, Article):
        yield item
        return
    if isinstance(item, str) and item == "-":
        yield from _read_bytes(sys.stdin.buffer.read(), "stdin", settings)
        return
    if isinstance(item, str) and _looks_like_text(item):
        yield Article(text=item, source="text")
        return
    path = Path(item)
    if _is_dir(path):
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not _hidden(p, path) and not p.name.endswith(SIDECAR_SUFFIX)
        )
        if not files:
            yield Problem(source=str(path), reason="directory contains no files")
        for file in files:
            yield from _read_file(file, settings)
    elif _is_file(path):
        yield from _read_file(path, settings)
    elif isinstance(item, str) and glob.has_magic(item) and glob.glob(item, recursive=True):
        for match in sorted(glob.glob(item, recursive=True)):
            yield from _read_one(match, settings)
    elif isinstance(item, str) and len(item.split()) >= _RAW_TEXT_MIN_WORDS:
        yield Article(text=item, source="text")  # a one-line article, not a path
    elif isinstance(item, str) and glob.has_magic(item):
        yield Problem(source=item, reason="no file matches this pattern")
    else:
        yield Problem(source=str(item), reason="no such file or directory")


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # e.g. a name too long to be a path
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _looks_like_text(item: str) -> bool:
    return "\n" in item or len(item) >= _RAW_TEXT_MIN_CHARS


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _read_file(path: Path, settings: Settings) -> Iterator[Article | Problem]:
    try:
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            yield Problem(
                source=str(path),
                reason=f"file too large ({size:,} bytes; limit {settings.max_file_bytes:,})",
            )
            return
        data = path.read_bytes()
    except OSError as error:
        yield Problem(source=str(path), reason=f"cannot read file ({error.strerror or error})")
        return
    sidecar = _sidecar(path)
    for outcome in _read_bytes(data, str(path), settings):
        if sidecar and isinstance(outcome, Article):
            outcome = _with_metadata(outcome, sidecar)
        yield outcome


def _sidecar(path: Path) -> dict[str, object] | None:
    """Metadata saved beside a scraped file (``story.txt`` -> ``story.meta.json``), if any."""
    candidate = path.with_name(path.name.split(".")[0] + SIDECAR_SUFFIX)
    if not candidate.is_file():
        return None
    try:
        value = json.loads(candidate.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
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


def _read_bytes(data: bytes, source: str, settings: Settings) -> Iterator[Article | Problem]:
    name = source.removesuffix(".gz").lower()
    try:
        data = decompress(data, limit=settings.max_file_bytes)
        fmt = _EXTENSION_FORMATS.get(os.path.splitext(name)[1])
        if fmt == "warc" or data[:8] == b"WARC/1.0" or data[:8] == b"WARC/1.1":
            yield from _problems_as_such(iter_warc(data, source=source), source)
            return
        text = decode(data)
    except UnreadableInput as error:
        yield Problem(source=source, reason=str(error))
        return
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
    if fmt in readers:
        yield from _problems_as_such(readers[fmt](), source)
    else:
        yield Article(text=text, source=source)


def _problems_as_such(
    outcomes: Iterable[Article | BadRecord], source: str
) -> Iterator[Article | Problem]:
    for outcome in outcomes:
        if isinstance(outcome, BadRecord):
            yield Problem(source=source, reason=str(outcome))
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
