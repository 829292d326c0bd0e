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
        from .summaries import evaluate_summaries, parse_systems
        from .summary_report import render_table, write_results
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
        typer.Option(min=0.0, max=1.0, help="The centroid clusterer's similarity to join a story"),
    ] = None,
    results: Annotated[
        Path, typer.Option(help="Markdown report to write (a .json is kept beside it)")
    ] = Path("bench/results/clustering_systems.md"),
    save: Annotated[bool, typer.Option(help="Write the results files")] = True,
    systems: Annotated[
        str, typer.Option(help="Comma-separated: online,batch,centroid (side by side)")
    ] = "online,batch,centroid",
    variants: Annotated[
        bool,
        typer.Option(
            help="Also the stream with dates shuffled within each story, and with "
            "name-sharing stories interleaved in time"
        ),
    ] = True,
    ablation: Annotated[
        bool, typer.Option(help="Online with each feature group's weights zeroed")
    ] = True,
) -> None:
    """Score story clustering on labelled streams: online, batch baseline and centroid side by
    side (B-cubed P/R/F1, pairwise F1, ARI, AMI, stories, speed, memory)."""
    import json
    import shlex
    from dataclasses import asdict

    from .cluster_systems import (
        ablate_shipped,
        compare_systems,
        interleave_related,
        render_sections,
        shuffle_dates,
    )
    from .clusters import read_stream

    console = Console()
    names = [name.strip() for name in systems.split(",") if name.strip()]
    sections: list[dict[str, object]] = []
    for path in data:
        try:
            articles, gold = read_stream(path)
            streams = [(str(path), articles, gold)]
            if variants:
                streams.append(
                    (f"{path}: dates shuffled within each story", *shuffle_dates(articles, gold))
                )
                streams.append(
                    (
                        f"{path}: stories sharing names interleaved in time",
                        *interleave_related(articles, gold),
                    )
                )
            for title, stream, labels in streams:
                scores = compare_systems(stream, labels, names, threshold)
                section: dict[str, object] = {"title": title, "scores": scores}
                if ablation and "online" in names and title == str(path):
                    section["ablation"] = ablate_shipped(stream, labels)
                sections.append(section)
                for s in scores:
                    console.print(
                        f"{title} · {s.system}: B-cubed P {100 * s.bcubed_precision:.1f} "
                        f"R {100 * s.bcubed_recall:.1f} F1 [bold]{100 * s.bcubed_f1:.1f}[/] · "
                        f"pairwise F1 {100 * s.pairwise_f1:.1f} · {s.predicted_stories} "
                        f"stories for {s.gold_stories} · {s.articles_per_second:.0f} articles/s"
                    )
        except ValueError as error:
            console.print(f"[red]{error}[/]")
            raise typer.Exit(1) from error
    if save:
        command = "storyline evaluate clusters " + " ".join(shlex.quote(str(p)) for p in data)
        results.parent.mkdir(parents=True, exist_ok=True)
        results.write_text(render_sections(sections, command), encoding="utf-8")
        rows = [
            {**section, "scores": [asdict(s) for s in section["scores"]]}  # type: ignore[attr-defined]
            for section in sections
        ]
        results.with_suffix(".json").write_text(json.dumps(rows, indent=1) + "\n", "utf-8")
        console.print(f"Results written to {results} and {results.with_suffix('.json')}")
