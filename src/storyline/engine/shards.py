"""Sharded inputs and outputs: the units of work an engine hands out.

An input is split into *shards*, one per file (a directory or glob is expanded, sorted), so that
a distributed engine reads files in parallel; a file is read by storyline's own reader (JSONL,
WARC, HTML, feeds, text ...) except Parquet, read here with pyarrow one row group at a time.
Stories are written as shards too (``stories-00000.jsonl`` or ``.parquet``), each written to a
temporary name and renamed, so nothing half-written is ever left under the final name.
"""

from __future__ import annotations

import glob
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from storyline.ingest import SIDECAR_SUFFIX, Input
from storyline.model import Article, Problem, Story
from storyline.settings import Settings
from storyline.stages import Ingested

PARQUET_SUFFIXES = (".parquet", ".pq")
STORIES_PER_SHARD = 1_000


def expand_shards(inputs: Iterable[Input]) -> list[Input]:
    """Files of directories and globs, sorted, as separate shards; other inputs as they are."""
    shards: list[Input] = []
    for item in inputs:
        if isinstance(item, Article) or item == "-":
            shards.append(item)
            continue
        path = Path(item)
        try:
            if path.is_dir():
                shards.extend(
                    str(p)
                    for p in sorted(path.rglob("*"))
                    if p.is_file()
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                    and not p.name.endswith(SIDECAR_SUFFIX)
                )
                continue
        except OSError:  # a name too long to be a path: raw text
            pass
        if isinstance(item, str) and glob.has_magic(item) and glob.glob(item, recursive=True):
            shards.extend(sorted(glob.glob(item, recursive=True)))
        else:
            shards.append(item)
    return shards


def is_parquet(item: Input) -> bool:
    return isinstance(item, str | os.PathLike) and str(item).lower().endswith(PARQUET_SUFFIXES)


def read_shard(item: Input, settings: Settings, reader: Any) -> Ingested:
    """One shard's articles and problems; never raises for a bad shard."""
    if is_parquet(item):
        result = Ingested()
        for outcome in iter_parquet(Path(item), settings):
            (result.problems if isinstance(outcome, Problem) else result.articles).append(outcome)
        return result
    return reader.read([item], settings)


def iter_parquet(path: Path, settings: Settings) -> Iterator[Article | Problem]:
    """Articles of a Parquet file, a row group at a time (bounded memory on big files).

    Columns are named as in a JSONL corpus (``settings.fields``); a row without text is a
    problem naming the file and row, never the end of the file.
    """
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield Problem(source=str(path), reason="reading Parquet needs pyarrow: "
                      "pip install 'storyline[ray]'")
        return
    from storyline.ingest.records import parse_date

    fields = settings.fields
    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises its own ArrowInvalid / OSError kinds
        yield Problem(source=str(path), reason=f"not a readable Parquet file ({error})")
        return
    row = 0
    for group in range(parquet.num_row_groups):
        try:
            records = parquet.read_row_group(group).to_pylist()
        except Exception as error:
            yield Problem(source=str(path), reason=f"row group {group} unreadable ({error})")
            continue
        for record in records:
            row += 1
            text = record.get(fields.text)
            if not isinstance(text, str) or not text.strip():
                yield Problem(source=f"{path}:{row}", reason=f"no text in field {fields.text!r}")
                continue
            yield Article(
                id=str(record.get(fields.id) or ""),
                title=_text(record.get(fields.title)),
                text=text,
                url=_text(record.get(fields.url)),
                outlet=_text(record.get(fields.outlet)),
                author=_text(record.get(fields.author)),
                published=parse_date(record.get(fields.date)),
                source=f"{path}:{row}",
            )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def story_record(story: Story) -> dict[str, Any]:
    """A story as one flat record: the JSON report's story, with the article ids alongside."""
    record = json.loads(story.model_dump_json())
    record["article_ids"] = [a.id for a in story.articles]
    return record


def write_story_shards(
    stories: Iterable[Story], directory: Path, *, fmt: str = "jsonl",
    per_shard: int = STORIES_PER_SHARD,
) -> list[Path]:
    """Write stories as ``stories-NNNNN.<fmt>`` shards; returns the paths written."""
    if fmt not in ("jsonl", "parquet"):
        raise ValueError(f"unknown story shard format {fmt!r} (jsonl or parquet)")
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    batch: list[dict[str, Any]] = []
    for story in stories:
        batch.append(story_record(story))
        if len(batch) >= per_shard:
            written.append(_write_shard(batch, directory, len(written), fmt))
            batch = []
    if batch or not written:
        written.append(_write_shard(batch, directory, len(written), fmt))
    return written


def _write_shard(records: list[dict[str, Any]], directory: Path, number: int, fmt: str) -> Path:
    final = directory / f"stories-{number:05d}.{fmt}"
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{final.name}.", suffix=".tmp")
    try:
        if fmt == "jsonl":
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                for record in records:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            os.close(handle)
            _write_parquet(records, Path(temporary))
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return final


def _write_parquet(records: list[dict[str, Any]], path: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:
        raise RuntimeError("writing Parquet needs pyarrow: pip install 'storyline[ray]'") from error
    # Nested parts (articles, summary, comparison) are kept as JSON text: their shapes vary by
    # story and a reader wants them whole; the flat columns are the ones queried.
    rows = [
        {
            "id": r["id"],
            "title": r.get("title"),
            "article_ids": r["article_ids"],
            "articles": json.dumps(r["articles"], ensure_ascii=False),
            "summary": json.dumps(r["summary"], ensure_ascii=False),
            "comparison": json.dumps(r.get("comparison"), ensure_ascii=False),
        }
        for r in records
    ]
    schema = pa.schema(
        [("id", pa.string()), ("title", pa.string()), ("article_ids", pa.list_(pa.string())),
         ("articles", pa.string()), ("summary", pa.string()), ("comparison", pa.string())]
    )
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


__all__ = [
    "expand_shards",
    "iter_parquet",
    "read_shard",
    "story_record",
    "write_story_shards",
]
