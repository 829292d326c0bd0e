"""Corpus formats: JSONL / JSON / CSV records with a field mapping, and Multi-News source lines."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from dateutil import parser as date_parser

from storyline.model import Article
from storyline.settings import FieldMap

MULTINEWS_SEPARATOR = re.compile(r"\s*(?:\|\|\|\|\||story_separator_special_tag)\s*")
# A CSV field may be as long as the whole file (the file cap bounds it); the csv module's own
# 128 KB default would reject a long article.
_CSV_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


class BadRecord(ValueError):
    """One record that cannot become an article; the batch goes on without it."""


def parse_date(value: Any) -> datetime | None:
    """ISO 8601, RFC 2822 and other unambiguous date strings; epoch seconds; else None."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(float(value))
        except (ValueError, OverflowError, OSError):  # NaN, or beyond the calendar
            return None
    if not isinstance(value, str):
        return None  # a list or an object is no date
    text = value.strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return date_parser.parse(text)
    except (ValueError, OverflowError):
        return None


def record_to_article(record: dict[str, Any], fields: FieldMap, *, source: str) -> Article:
    text = record.get(fields.text)
    if not isinstance(text, str) or not text.strip():
        raise BadRecord(f"no text in field {fields.text!r}")

    def optional(name: str) -> str | None:
        value = record.get(name)
        return str(value).strip() or None if value not in (None, "") else None

    return Article(
        id=optional(fields.id) or "",
        title=optional(fields.title),
        text=text,
        url=optional(fields.url),
        published=parse_date(record.get(fields.date)),
        outlet=optional(fields.outlet),
        author=optional(fields.author),
        source=source,
    )


def iter_jsonl(text: str, fields: FieldMap, *, source: str) -> Iterator[Article | BadRecord]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield BadRecord(f"{where}: invalid JSON ({error.msg})")
            continue
        except RecursionError:
            yield BadRecord(f"{where}: JSON nested too deeply to read")
            continue
        yield from _records_from_value(record, fields, source=where)


def iter_json(text: str, fields: FieldMap, *, source: str) -> Iterator[Article | BadRecord]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        yield BadRecord(f"{source}: invalid JSON ({error.msg} at line {error.lineno})")
        return
    except RecursionError:
        yield BadRecord(f"{source}: JSON nested too deeply to read")
        return
    if isinstance(value, dict) and "articles" in value:
        items = value["articles"]
        if not isinstance(items, list):
            yield BadRecord(
                f"{source}: 'articles' should be a list of objects, not {_json_type(items)}"
            )
            return
    elif isinstance(value, dict | list):
        items = value if isinstance(value, list) else [value]
    else:
        yield BadRecord(
            f"{source}: expected a JSON object or a list of objects, got {_json_type(value)}"
        )
        return
    for number, item in enumerate(items, start=1):
        yield from _records_from_value(item, fields, source=f"{source}[{number}]")


def _records_from_value(
    value: Any, fields: FieldMap, *, source: str
) -> Iterator[Article | BadRecord]:
    if not isinstance(value, dict):
        yield BadRecord(f"{source}: expected a JSON object, got {_json_type(value)}")
        return
    if fields.text not in value and isinstance(value.get("documents"), list):
        # A multi-document cluster line ({"documents": [...]}, as in Multi-News-style data).
        for index, document in enumerate(value["documents"]):
            if isinstance(document, str) and document.strip():
                yield Article(text=document, source=f"{source}#{index}")
        return
    try:
        yield record_to_article(value, fields, source=source)
    except BadRecord as error:
        yield BadRecord(f"{source}: {error}")


def iter_csv(
    text: str, fields: FieldMap, *, source: str, delimiter: str = ","
) -> Iterator[Article | BadRecord]:
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        columns = reader.fieldnames
    except csv.Error as error:
        yield BadRecord(f"{source}:1: unreadable CSV header ({error})")
        return
    if not columns or fields.text not in columns:
        shown = ", ".join(str(c) for c in (columns or [])[:20])
        yield BadRecord(f"{source}: no {fields.text!r} column (columns: {shown})")
        return
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            # The csv module cannot resume after a broken row; what came before is kept.
            yield BadRecord(f"{source}:{reader.line_num}: unreadable CSV ({error}); rest skipped")
            return
        number = reader.line_num
        try:
            yield record_to_article(row, fields, source=f"{source}:{number}")
        except BadRecord as error:
            yield BadRecord(f"{source}:{number}: {error}")


def _json_type(value: Any) -> str:
    """The JSON name of a value's type, as a user would write it."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"a number ({value!r})"
    return names.get(type(value), type(value).__name__)


def iter_multinews(text: str, *, source: str) -> Iterator[Article]:
    """Multi-News ``.src`` lines: one cluster a line, documents split by ``|||||``."""
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.replace("NEWLINE_CHAR", "\n")
        for index, document in enumerate(MULTINEWS_SEPARATOR.split(line)):
            if document.strip():
                yield Article(text=document.strip(), source=f"{source}:{number}#{index}")
