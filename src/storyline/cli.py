"""The ``storyline`` command: a thin Typer layer over the Python API."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.markup import escape

from storyline.engine import EngineUnavailable, get_engine, write_story_shards
from storyline.pipeline import Pipeline
from storyline.report import to_json, to_markdown
from storyline.report.json_report import schema_text
from storyline.report.output import OutputError, check_output_path, write_atomic
from storyline.report.terminal import errors, progress_bar
from storyline.settings import FieldMap, Settings

app = typer.Typer(
    name="storyline",
    help="Turn a pile of news articles into cited, cross-source stories.",
    no_args_is_help=True,
    add_completion=False,
)


class Format(StrEnum):
    md = "md"
    json = "json"
    html = "html"


class EngineName(StrEnum):
    local = "local"
    ray = "ray"


class ShardFormat(StrEnum):
    jsonl = "jsonl"
    parquet = "parquet"


class SummarizerName(StrEnum):
    storyline = "storyline"
    centroid = "centroid"
    llm = "llm"


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
        SummarizerName,
        typer.Option(
            help="storyline (concept coverage), centroid (MMR) or llm (a generated summary, "
            "every sentence verified against the sources)."
        ),
    ] = SummarizerName.storyline,
    llm_url: Annotated[
        str | None,
        typer.Option(
            help="OpenAI-compatible endpoint for --summarizer llm "
            "(key: $STORYLINE_LLM_API_KEY)."
        ),
    ] = None,
    llm_model: Annotated[str | None, typer.Option(help="Model name for --summarizer llm.")] = None,
    llm_timeout: Annotated[
        float, typer.Option(help="Seconds to wait for the endpoint, per try.")
    ] = 60.0,
    llm_retries: Annotated[int, typer.Option(help="Further tries after an error.")] = 2,
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
    outlet_labels: Annotated[
        Path | None,
        typer.Option(help="CSV of outlet,label,... shown in the HTML coverage view."),
    ] = None,
    engine: Annotated[
        EngineName, typer.Option(help="local (one process) or ray (pip install 'storyline[ray]').")
    ] = EngineName.local,
    address: Annotated[
        str | None,
        typer.Option(help="Ray cluster to join: auto or ray://HEAD:10001 (default: a local one)."),
    ] = None,
    output_dir: Annotated[
        Path | None, typer.Option(help="Also write the stories as shards into this directory.")
    ] = None,
    shard_format: Annotated[
        ShardFormat, typer.Option(help="Format of the --output-dir shards.")
    ] = ShardFormat.jsonl,
) -> None:
    """Digest articles into stories with cited summaries (Markdown, JSON or HTML)."""
    labels = _outlet_labels(outlet_labels)
    try:
        settings = settings_from_options(
            words=words,
            sentences=sentences,
            cluster=cluster,
            compare=compare,
            dedupe=dedupe,
            clean=clean,
            summarizer=summarizer.value,
            query=query,
            llm={
                "url": llm_url,
                "model": llm_model,
                "timeout": llm_timeout,
                "retries": llm_retries,
            },
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
    try:
        runner = get_engine(engine.value, address=address)
    except (EngineUnavailable, ValueError) as error:
        errors.print(f"[red]error:[/] --engine {engine.value}: {escape(str(error))}",
                     highlight=False)
        raise typer.Exit(code=2) from None
    with progress_bar() as on_progress:
        report = runner.run(Pipeline(settings), inputs, progress=on_progress)
    for problem in report.problems:
        errors.print(f"[yellow]warning:[/] {problem.source}: {problem.reason}", highlight=False)
    if not report.stories:
        errors.print("[red]error:[/] no usable article was read from the inputs", highlight=False)
        raise typer.Exit(code=1)
    if output_dir:
        written = write_story_shards(report.stories, output_dir, fmt=shard_format.value)
        errors.print(f"wrote {len(written)} story shard(s) to {output_dir}", highlight=False)
    if format is Format.html:
        from storyline.report.html import to_html

        rendered = to_html(report, outlet_labels=labels)
    else:
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


def settings_from_options(**options: object) -> Settings:
    """The :class:`Settings` a command's options mean: the one object the API receives too.

    Flat options of a stage (``cluster=True``) set its section's ``enabled``; everything else
    is a Settings field. Invalid values raise pydantic's ValidationError naming the option.
    """
    return Settings.model_validate(options)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the JSON report."""
    sys.stdout.write(schema_text() + "\n")


def _outlet_labels(path: Path | None):  # -> OutletLabels | None
    if path is None:
        return None
    from storyline.report.outlet_labels import OutletLabelsError, load_outlet_labels

    try:
        return load_outlet_labels(path)
    except OutletLabelsError as error:
        errors.print(f"[red]error:[/] --outlet-labels: {error}", highlight=False)
        raise typer.Exit(code=2) from None


@app.command()
def serve(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Without --store: a folder of articles, served read-only."),
    ] = None,
    store: Annotated[Path | None, typer.Option(help="Serve this story store (writable).")] = None,
    host: Annotated[str, typer.Option(help="Address to bind; loopback by default.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(envvar="STORYLINE_TOKEN", help="Token that writes need (Bearer)."),
    ] = None,
    outlet_labels: Annotated[
        Path | None, typer.Option(help="CSV of outlet,label,... shown in the coverage view.")
    ] = None,
) -> None:
    """Serve story pages and the JSON API (FastAPI under uvicorn)."""
    from storyline.serve.security import is_loopback

    labels = _outlet_labels(outlet_labels)
    if not is_loopback(host) and not token:
        errors.print(
            f"[red]error:[/] --host {host} is reachable from other machines: writes need "
            "--token or STORYLINE_TOKEN", highlight=False,
        )
        raise typer.Exit(code=2)
    if store is not None:
        source = _store_source(store)
    elif inputs:
        from storyline.serve.source import folder_source

        errors.print(f"digesting {', '.join(inputs)} ...", highlight=False)
        source = folder_source(inputs)
        for problem in source.problems:
            errors.print(f"[yellow]warning:[/] {problem.source}: {problem.reason}", highlight=False)
    else:
        errors.print("[red]error:[/] give a folder of articles or --store DIR", highlight=False)
        raise typer.Exit(code=2)
    import uvicorn

    from storyline.serve import create_app

    uvicorn.run(create_app(source, token=token, outlet_labels=labels), host=host, port=port)


def _store_source(path: Path):  # -> StorySource
    """The store (issue 22) implements the StorySource protocol of storyline.serve.source."""
    from storyline.serve.store_source import StoreSource
    from storyline.store import Store

    return StoreSource(Store(path, workers=1))  # a server never forks workers




def _add_evaluate() -> None:
    try:
        from storyline.evaluate.cli import app as evaluate_app
    except ImportError:  # the evaluation extras (rouge-score, sumy) are optional
        return
    app.add_typer(evaluate_app, name="evaluate", help="Score storyline on public benchmarks.")


_add_evaluate()


def _add_store() -> None:
    from storyline.store_cli import register

    register(app)  # ingest, watch, stories, show (issue 22)


_add_store()

if __name__ == "__main__":
    app()
