"""Typer sub-app: ``storyline evaluate summaries DATA...``.

Wire it into the main CLI with ``app.add_typer(evaluate_app, name="evaluate")``; until then
``python -m storyline.evaluate summaries DATA...`` runs the same command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="Measure storyline against human references and peer systems.")


@app.callback()
def _evaluate() -> None:
    """Evaluation commands (a group, so that more evaluations can join ``summaries``)."""


@app.command()
def summaries(
    data: Annotated[
        list[Path],
        typer.Argument(
            help="JSONL clusters ({id, documents, summaries}) or Multi-News .src/.tgt files; "
            "several files give one section each",
            exists=True,
            dir_okay=False,
        ),
    ],
    systems: Annotated[
        str,
        typer.Option(
            help="Comma-separated: storyline,lead,lexrank,textrank,lsa,luhn,sumbasic,kl,oracle "
            "or 'all'"
        ),
    ] = "all",
    words: Annotated[
        int | None,
        typer.Option(min=10, help="Word budget; default: the data's standard budget"),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N clusters")] = None,
    sample: Annotated[
        int | None, typer.Option(min=1, help="N clusters drawn at random (see --seed)")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for --sample and the bootstrap")] = 0,
    output: Annotated[
        Path | None, typer.Option(help="Folder for each system's scored summaries (JSONL)")
    ] = None,
    results: Annotated[
        Path, typer.Option(help="Markdown report to update (a .json is kept beside it)")
    ] = Path("bench/results/summarization.md"),
    save: Annotated[bool, typer.Option(help="Update the results files")] = True,
    dedupe: Annotated[bool, typer.Option(help="Let storyline drop duplicate articles")] = False,
    clean: Annotated[bool, typer.Option(help="Let storyline clean the documents")] = False,
    progress: Annotated[bool, typer.Option(help="Show a progress bar")] = True,
) -> None:
    """Score storyline (and peers) on clusters with human reference summaries."""
    console = Console()
    try:
        from .summaries import evaluate_summaries, parse_systems, render_table, write_results
    except ImportError as error:  # rouge-score / sumy are the optional "eval" extra
        console.print(
            f"[red]{error}[/]: install the evaluation extra: pip install 'storyline[eval]'"
        )
        raise typer.Exit(2) from error
    try:
        names = parse_systems(systems)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--systems") from error
    for path in data:
        result = evaluate_summaries(
            path,
            systems=names,
            words=words,
            limit=limit,
            sample=sample,
            seed=seed,
            output_dir=None if output is None else output / result_folder(path),
            progress=progress,
            dedupe=dedupe,
            clean=clean,
        )
        console.print(render_table(result))
        for system in result.systems:
            for error in system.errors[:3]:
                console.print(f"[yellow]{system.name}[/]: {error}")
        if save:
            write_results(result, results, results.with_suffix(".json"))
    if save:
        console.print(f"Results written to {results} and {results.with_suffix('.json')}")


def result_folder(path: Path) -> str:
    return f"{path.parent.name}-{path.stem}" if path.parent.name else path.stem


@app.command()
def clusters(
    data: Annotated[
        list[Path],
        typer.Argument(
            help="JSONL streams, one article a line: {id, cluster, date, title, text}, in "
            "arrival order (cluster is the gold story, for scoring only)",
            exists=True,
            dir_okay=False,
        ),
    ],
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Similarity to join a story (default: storyline's)"),
    ] = None,
    results: Annotated[
        Path, typer.Option(help="Markdown report to write (a .json is kept beside it)")
    ] = Path("bench/results/clustering.md"),
    save: Annotated[bool, typer.Option(help="Write the results files")] = True,
) -> None:
    """Score story clustering on labelled streams: B-cubed P/R/F1, ARI, NMI, speed."""
    import shlex

    from storyline.cluster import JOIN_SIMILARITY

    from .clusters import as_json, evaluate_clustering, render_markdown

    console = Console()
    scores = []
    for path in data:
        try:
            score = evaluate_clustering(path, threshold=threshold or JOIN_SIMILARITY)
        except ValueError as error:
            console.print(f"[red]{error}[/]")
            raise typer.Exit(1) from error
        scores.append(score)
        console.print(
            f"{path}: B-cubed P {100 * score.precision:.1f} R {100 * score.recall:.1f} "
            f"F1 [bold]{100 * score.f1:.1f}[/] · ARI {100 * score.ari:.1f} · "
            f"NMI {100 * score.nmi:.1f} · {score.predicted_stories} stories for "
            f"{score.gold_stories} gold · {score.articles_per_second:.0f} articles/s"
        )
    if save:
        command = "storyline evaluate clusters " + " ".join(shlex.quote(str(p)) for p in data)
        command += f" --threshold {threshold:g}" if threshold is not None else ""
        results.parent.mkdir(parents=True, exist_ok=True)
        results.write_text(render_markdown(scores, command), encoding="utf-8")
        results.with_suffix(".json").write_text(as_json(scores), encoding="utf-8")
        console.print(f"Results written to {results} and {results.with_suffix('.json')}")
