"""What the commands print to the terminal besides their output: messages and progress."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

# Messages go to stderr, so stdout carries only the report.
errors = Console(stderr=True, soft_wrap=True)


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A bar per stage while the work runs (only on a terminal); yields the progress callback
    the API takes (``progress(stage, done, total)``)."""
    bar = Progress(
        TextColumn("[progress.description]{task.description:>9}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
        disable=not errors.is_terminal,
    )
    tasks: dict[str, TaskID] = {}

    def on_progress(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    with bar:
        yield on_progress
