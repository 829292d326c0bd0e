"""The store's commands (``ingest``, ``watch``, ``stories``, ``show``): thin over :class:`Store`.

They are added to the ``storyline`` Typer app by :func:`register`, so ``cli.py`` needs one
line to carry them.
"""

from __future__ import annotations

import json
import re
import signal
import sys
import time
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from dateutil import parser as date_parser
from rich.markup import escape

from storyline.report.markdown import _inline, story_markdown
from storyline.report.terminal import errors, progress_bar
from storyline.store.core import DEFAULT_DIR, Store
from storyline.store.models import IngestResult, StoryChanges, StoryRow
from storyline.store.schema import StoreError

StoreOption = Annotated[
    Path, typer.Option("--store", help="Store directory (created on first ingest).")
]


class ListFormat(StrEnum):
    text = "text"
    json = "json"


class ShowFormat(StrEnum):
    md = "md"
    json = "json"


def _open(path: Path, *, read_only: bool) -> Store:
    try:
        return Store(path, read_only=read_only)
    except StoreError as error:
        errors.print(f"[red]error:[/] {error}", highlight=False, markup=True)
        raise typer.Exit(code=2) from None


def _date(value: str | None, option: str = "--since") -> datetime | None:
    if not value:
        return None
    ago = re.fullmatch(r"(\d+(?:\.\d+)?)([smhd])", value.strip())
    if ago:  # "30m", "2h", "1d": that long ago
        seconds = float(ago.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[ago.group(2)]
        return datetime.now(UTC) - timedelta(seconds=seconds)
    try:
        moment = date_parser.parse(value)
    except (ValueError, OverflowError):
        errors.print(f"[red]error:[/] {option}: not a date: {value!r}", highlight=False)
        raise typer.Exit(code=2) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _period(value: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        seconds = float(value[:-1]) * units[value[-1]] if value[-1] in units else float(value)
    except (ValueError, IndexError):
        seconds = -1
    if seconds <= 0:
        errors.print(f"[red]error:[/] --every: not a period: {value!r} (e.g. 30s, 10m, 1h)")
        raise typer.Exit(code=2)
    return seconds


class _Stop:
    """Ctrl-C asks the ingest to stop between articles; a second one stops at once."""

    def __init__(self) -> None:
        self.asked = False
        self._previous: Any = None

    def __enter__(self) -> _Stop:
        def handler(signum: int, frame: Any) -> None:
            if self.asked:
                raise KeyboardInterrupt
            self.asked = True
            errors.print("stopping after the current article (Ctrl-C again to abort)")

        self._previous = signal.signal(signal.SIGINT, handler)
        return self

    def __exit__(self, *exc_info: object) -> None:
        signal.signal(signal.SIGINT, self._previous)

    def __call__(self) -> bool:
        return self.asked


# Computing a story's version parses every article of it again (a story of 1,000 articles takes
# minutes): with --no-summarize an ingest only reads, dedupes and clusters, and the stories it
# changed keep their last version (if any) until an ingest that summarizes changes them again;
# `show` computes a story's current version when none is kept, without keeping it (it opens
# the store read-only).
SummarizeOption = Annotated[
    bool,
    typer.Option(
        "--summarize/--no-summarize",
        help="Compute and keep the summary and comparison of each story it changed (the "
        "default), or only read, dedupe and cluster (`show` then computes a story's summary "
        "each time it is shown, without keeping it).",
    ),
]


def _ingest(
    store: Store,
    inputs: list[Any],
    stop: _Stop,
    engine: str = "local",
    address: str | None = None,
    summarize: bool = True,
) -> IngestResult:
    with progress_bar() as on_progress:
        if engine == "ray":  # reading, cleaning, signing, summarizing on Ray; the store here
            from storyline.engine.store_ingest import ingest_into_store

            return ingest_into_store(
                store,
                inputs,
                address=address,
                progress=on_progress,
                stop=stop,
                summarize=summarize,
            )
        return store.ingest(inputs, progress=on_progress, stop=stop, summarize=summarize)


def _check_engine(engine: str, address: str | None) -> None:
    """Refuse a bad --engine / --address before the store is opened or anything is read."""
    from storyline.engine import EngineUnavailable
    from storyline.engine.ray_engine import require_ray

    problem = None
    if engine not in ("local", "ray"):
        problem = f"unknown engine {engine!r} (local or ray)"
    elif engine == "local" and address:
        problem = "--address is for the ray engine (--engine ray)"
    elif engine == "ray":
        try:
            require_ray()
        except EngineUnavailable as error:
            problem = str(error)
    if problem:
        errors.print(f"[red]error:[/] --engine {engine}: {escape(problem)}", highlight=False)
        raise typer.Exit(code=2)


def _summary(result: IngestResult) -> None:
    for problem in result.rejected:
        errors.print(f"[yellow]rejected:[/] {problem.source}: {problem.reason}", highlight=False)
    for problem in result.warnings:
        errors.print(f"[yellow]warning:[/] {problem.source}: {problem.reason}", highlight=False)
    errors.print(
        f"read {result.read}, new {result.new}, copies {result.copies}, "
        f"already in the store {result.known}, rejected {len(result.rejected)}; "
        f"stories created {result.stories_created}, updated {result.stories_updated}"
        + (" (stopped)" if result.stopped else ""),
        highlight=False,
    )


def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, globs, - or http(s) URLs.")],
    store: StoreOption = DEFAULT_DIR,
    engine: Annotated[
        str, typer.Option(help="local (one process) or ray (pip install 'storyline[ray]').")
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(help="Ray cluster to join: auto or ray://HEAD:10001 (default: a local one)."),
    ] = None,
    summarize: SummarizeOption = True,
) -> None:
    """Add articles (files, folders, pages, RSS/Atom feeds) to a store; update its stories."""
    _check_engine(engine, address)
    opened = _open(store, read_only=False)
    try:
        with _Stop() as stop:
            result = _ingest(opened, inputs, stop, engine, address, summarize=summarize)
    except StoreError as error:
        errors.print(f"[red]error:[/] {error}", highlight=False)
        raise typer.Exit(code=2) from None
    finally:
        opened.close()
    _summary(result)
    if result.read and not (result.new or result.copies or result.known):
        raise typer.Exit(code=1)


def watch(
    inputs: Annotated[list[str], typer.Argument(help="Folders, files or feed URLs to watch.")],
    store: StoreOption = DEFAULT_DIR,
    every: Annotated[str, typer.Option(help="How often to look again (30s, 10m, 1h).")] = "10m",
    summarize: SummarizeOption = True,
) -> None:
    """Keep ingesting new files and new feed entries until stopped (Ctrl-C)."""
    period = _period(every)
    opened = _open(store, read_only=False)
    try:
        with _Stop() as stop:
            while not stop():
                try:
                    result = _ingest(opened, inputs, stop, summarize=summarize)
                except StoreError as error:
                    errors.print(f"[red]error:[/] {error}", highlight=False)
                    raise typer.Exit(code=2) from None
                if result.new or result.copies or result.rejected:
                    _summary(result)
                wake = time.monotonic() + period
                while not stop() and time.monotonic() < wake:
                    time.sleep(min(0.5, period))
    finally:
        opened.close()


def stories(
    store: StoreOption = DEFAULT_DIR,
    since: Annotated[
        str | None, typer.Option(help="Only stories changed since (a date, or 30m / 2h / 1d ago).")
    ] = None,
    search: Annotated[str | None, typer.Option(help="Words in titles or texts.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    sort: Annotated[str, typer.Option(help="recent, size or relevance.")] = "recent",
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.text,
) -> None:
    """List the stories of a store."""
    opened = _open(store, read_only=True)
    try:
        rows = opened.stories(since=_date(since), search=search, limit=limit, sort=sort)
    except ValueError as error:
        errors.print(f"[red]error:[/] {error}", highlight=False)
        raise typer.Exit(code=2) from None
    finally:
        opened.close()
    if format is ListFormat.json:
        sys.stdout.write(json.dumps([r.model_dump(mode="json") for r in rows], indent=2) + "\n")
        return
    for row in rows:
        sys.stdout.write(_line(row) + "\n")


def _line(row: StoryRow) -> str:
    dates = " to ".join(
        dict.fromkeys(d.date().isoformat() for d in (row.first_date, row.last_date) if d)
    )
    title = " ".join((row.title or "Untitled story").split())
    changed = row.changed_at.strftime("%Y-%m-%d %H:%M") if row.changed_at else "?"
    return (
        f"{row.id:>6}  {title[:80]}\n        {coverage_line(row)}"
        + (f"; {dates}" if dates else "")
        + f"; changed {changed}"
    )


def coverage_line(row: StoryRow) -> str:
    """ "12 articles from 9 outlets, 4 independent origins": a copy is coverage."""
    plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
    outlets = f"from {plural(row.outlets, 'outlet')}" if row.outlets else "(outlets unknown)"
    text = f"{plural(row.articles, 'article')} {outlets}, "
    text += f"{plural(row.origins, 'independent origin')}"
    if row.first_outlet:
        text += f"; first: {row.first_outlet}"
    return text


def show(
    story_id: Annotated[str, typer.Argument(help="A story id from `storyline stories` (s12).")],
    store: StoreOption = DEFAULT_DIR,
    format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.md,
    since: Annotated[
        str | None, typer.Option(help="Show what changed since (a date, or 30m / 2h / 1d ago).")
    ] = None,
) -> None:
    """Print a story's digest and comparison; with --since, what changed."""
    opened = _open(store, read_only=True)
    try:
        row = opened.story_row(story_id)
        moment = _date(since)
        if moment is not None:
            changes = opened.changes(story_id, moment)
            output = (
                changes.model_dump_json(indent=2)
                if format is ShowFormat.json
                else changes_markdown(row, changes)
            )
        else:
            story = opened.story(story_id)
            if format is ShowFormat.json:
                output = json.dumps(
                    {
                        "story": story.model_dump(mode="json"),
                        "coverage": row.model_dump(mode="json"),
                    },
                    indent=2,
                )
            else:
                output = story_markdown(story).replace(
                    "**Sources**", f"*{_inline(coverage_line(row))}*\n\n**Sources**", 1
                )
    except KeyError as error:
        errors.print(f"[red]error:[/] {error.args[0]}", highlight=False)
        raise typer.Exit(code=1) from None
    finally:
        opened.close()
    sys.stdout.write(output.rstrip("\n") + "\n")


def changes_markdown(row: StoryRow, changes: StoryChanges) -> str:
    since = changes.since.isoformat(sep=" ", timespec="minutes")
    lines = [f"# {_inline(row.title or 'Untitled story')}: changes since {since}", ""]
    lines.append(f"*{_inline(coverage_line(row))}*")
    lines.append("")
    if changes.version_before is None and changes.articles_added:
        lines += ["The story is new since then.", ""]
    if not (changes.articles_added or changes.changes or changes.sentences_added):
        lines += ["Nothing changed.", ""]
    sections: list[tuple[str, list[str]]] = [
        (
            "New articles",
            [
                f"{_inline(a.outlet or 'unknown outlet')}: "
                f"“{_inline(a.title or 'untitled')}” ({a.id})"
                + (f" ({a.published.date().isoformat()})" if a.published else "")
                for a in changes.articles_added
            ],
        ),
        ("New outlets", [_inline(o) for o in changes.outlets_added]),
        ("Entered the summary", [_inline(s) for s in changes.sentences_added]),
        ("Left the summary", [_inline(s) for s in changes.sentences_removed]),
        (
            "Figures, conflicts and quotes",
            [
                f"{c.status} {c.kind}: {_inline(c.subject)}: {_inline(c.now)}"
                + (f" (was {_inline(c.before)})" if c.before else "")
                for c in changes.changes
            ],
        ),
    ]
    for heading, items in sections:
        if items:
            lines += [f"## {heading}", ""] + [f"- {item}" for item in items] + [""]
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add the store's commands to the ``storyline`` app."""
    for command in (ingest, watch, stories, show):
        app.command()(command)
