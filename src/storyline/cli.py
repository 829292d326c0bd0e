"""The ``storyline`` command: a thin Typer layer over the Python API."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from storyline.pipeline import digest as run_digest
from storyline.report import to_json, to_markdown
from storyline.report.json_report import schema_text
from storyline.report.output import OutputError, check_output_path, write_atomic
from storyline.settings import FieldMap, Settings

app = typer.Typer(
    name="storyline",
    help="Turn a pile of news articles into cited, cross-source stories.",
    no_args_is_help=True,
    add_completion=False,
)
errors = Console(stderr=True, soft_wrap=True)


class Format(StrEnum):
    md = "md"
    json = "json"


class SummarizerName(StrEnum):
    storyline = "storyline"
    centroid = "centroid"


@app.command()
def digest(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.md,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    words: Annotated[int, typer.Option(help="Word budget of each summary.")] = 120,
    sentences: Annotated[
        int | None, typer.Option(help="Sentence budget of each summary (overrides --words).")
    ] = None,
    cluster: Annotated[bool, typer.Option(help="Group the articles into several stories.")] = False,
    compare: Annotated[bool, typer.Option(help="Compare the sources of each story.")] = True,
    dedupe: Annotated[bool, typer.Option(help="Drop duplicate and syndicated copies.")] = True,
    clean: Annotated[bool, typer.Option(help="Remove boilerplate from scraped text.")] = True,
    summarizer: Annotated[
        SummarizerName, typer.Option(help="storyline (concept coverage) or centroid (MMR).")
    ] = SummarizerName.storyline,
    query: Annotated[
        str | None,
        typer.Option("--query", "-q", help="Focus every summary on this question or topic."),
    ] = None,
    text_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the text.")] = "text",
    title_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the title.")] = "title",
    date_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the date.")] = "date",
    outlet_field: Annotated[
        str, typer.Option(help="JSONL/CSV field holding the outlet.")
    ] = "outlet",
    url_field: Annotated[str, typer.Option(help="JSONL/CSV field holding the URL.")] = "url",
) -> None:
    """Digest articles into stories with cited summaries (Markdown or JSON)."""
    try:
        settings = Settings(
            words=words,
            sentences=sentences,
            cluster=cluster,
            compare=compare,
            dedupe=dedupe,
            clean=clean,
            summarizer=summarizer.value,
            query=query,
            fields=FieldMap(
                text=text_field,
                title=title_field,
                date=date_field,
                outlet=outlet_field,
                url=url_field,
            ),
        )
    except ValidationError as error:
        for problem in error.errors():
            where = "--" + "-".join(str(p) for p in problem["loc"]) if problem["loc"] else "options"
            errors.print(f"[red]error:[/] {where}: {problem['msg']}", highlight=False)
        raise typer.Exit(code=2) from None
    if output:
        try:  # before the work, not after it: a typo must not cost a whole digest
            check_output_path(output)
        except OutputError as error:
            errors.print(f"[red]error:[/] --output {error}", highlight=False)
            raise typer.Exit(code=2) from None
    with _progress_bar() as bar:
        tasks: dict[str, TaskID] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        report = run_digest(inputs, settings=settings, progress=on_progress)
    for problem in report.problems:
        errors.print(f"[yellow]warning:[/] {problem.source}: {problem.reason}", highlight=False)
    if not report.stories:
        errors.print("[red]error:[/] no usable article was read from the inputs", highlight=False)
        raise typer.Exit(code=1)
    rendered = to_json(report) if format is Format.json else to_markdown(report)
    if output:
        try:
            write_atomic(output, rendered + ("" if rendered.endswith("\n") else "\n"))
        except OSError as error:
            errors.print(f"[red]error:[/] cannot write {output}: {error.strerror}", highlight=False)
            raise typer.Exit(code=1) from None
        errors.print(f"wrote {output}", highlight=False)
    else:
        sys.stdout.write(rendered + ("" if rendered.endswith("\n") else "\n"))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the JSON report."""
    sys.stdout.write(schema_text() + "\n")


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description:>9}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
        disable=not errors.is_terminal,
    )


def _add_evaluate() -> None:
    try:
        from storyline.evaluate.cli import app as evaluate_app
    except ImportError:  # the evaluation extras (rouge-score, sumy) are optional
        return
    app.add_typer(evaluate_app, name="evaluate", help="Score storyline on public benchmarks.")


_add_evaluate()

if __name__ == "__main__":
    app()
