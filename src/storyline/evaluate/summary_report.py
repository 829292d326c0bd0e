"""The report of ``storyline evaluate summaries``: the console table, the JSON of every data
file evaluated so far and the Markdown made from it (``bench/results/summarization.*``)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.table import Table

from .rouge import METRIC_LABELS, METRICS, Interval
from .summaries import ALL_SYSTEMS, EvaluationResult, SystemResult

DEFAULT_MD = Path("bench/results/summarization.md")
DEFAULT_JSON = Path("bench/results/summarization.json")
REPRODUCE = "python -m storyline.evaluate summaries ../shared/data/mds/*/dev.jsonl"
NOTES = (
    "ROUGE via `rouge-score` with Porter stemming, F1, mean over all human references of a "
    "cluster, then mean over clusters; [low–high] is a 95% percentile bootstrap interval "
    "(1,000 resamples of clusters). **R-L** is `rougeL`: LCS over the whole summary as one "
    "sequence. **R-Lsum** is `rougeLsum`: summary-level union LCS over sentences (one sentence "
    "a line; ROUGE-1.5.5 style), the figure most summarization papers call ROUGE-L.",
    "Budget: every system lists sentences in its own order and they are taken until the word "
    "budget is reached; every summary (storyline's too) is then cut to exactly the budget in "
    "whitespace words before scoring. *Words* is the mean length actually scored; below the "
    "budget means a system gave fewer words than allowed.",
    "Every system gets the same documents and storyline's sentence splitter. sumy's own "
    "tokenizer needs NLTK punkt data that cannot be downloaded here, so sumy is given storyline's "
    "splitter and word tokens through its tokenizer interface (`to_sentences`/`to_words`), one "
    "paragraph per article, with sumy's `Stemmer('english')` and `get_stop_words('english')` "
    "(both offline). sumy's KL-Sum and SumBasic rank every sentence greedily (quadratic or "
    "worse); we stop their greedy loop once the budget is filled, which picks the same "
    "sentences. Lead takes the first sentence of each article, then the second, ... "
    "The oracle greedily adds the sentence that most raises R-1 F + R-2 F against the "
    "references (an upper bound for extraction, it reads the references).",
    "**storyline is mostly in sample on these dev files**: its learned models "
    "(`summarize/concept_model.json`, `summarize/sentence_model.json`) were trained on the "
    "two thirds of the clusters of `../shared/data/mds/*/dev.jsonl` that are not blind "
    "(`storyline.evaluate.splits`), so its rows here overstate it. Its margins over the best "
    "peer on the blind third, with paired intervals, and out of fold on the rest, are in "
    "`bench/results/summarization_blind.md`; on data it was not trained on this table "
    "compares fairly.",
    "storyline runs as `digest(articles, words=budget, cluster=False, compare=False, "
    "dedupe=False, clean=False)`: every system gets the same documents as the data gives them "
    "(Multi-News and TAC pages keep their headlines and scrape leftovers; storyline's cleaner "
    "would help the peers as much, see the ablation file) and each cluster is one story. "
    "*Faithful span* is the share of its summary sentences with a citation whose span contains "
    "the sentence; *numbers* the share whose numbers all occur in a cited article.",
    "*Clusters/s* counts summarization time only (scoring excluded), one process, one core; "
    "systems run interleaved cluster by cluster, so load from other jobs on the machine "
    "slows them alike. "
    "*Peak MiB* is the peak Python heap (`tracemalloc`) while summarizing the largest cluster "
    "of the file once more after the timed run, so tracing does not slow the timing.",
)


def _cell(interval: Interval) -> str:
    return f"{100 * interval.mean:.2f} [{100 * interval.low:.2f}–{100 * interval.high:.2f}]"


def _faith_cell(system: SystemResult) -> str:
    if not system.faithfulness:
        return "—"
    span = 100 * float(system.faithfulness["span_contains_sentence"])
    figures = 100 * float(system.faithfulness["numbers_in_cited_source"])
    return f"{span:.0f}% / {figures:.0f}%"


def render_table(result: EvaluationResult) -> Table:
    table = Table(
        title=(
            f"{result.dataset}: {result.clusters} clusters, {result.words}-word budget "
            f"({result.budget_rule})"
        ),
        caption="ROUGE F1 ×100, mean [95% bootstrap CI]; R-L = rougeL (whole-summary LCS), "
        "R-Lsum = rougeLsum (sentence-level, one sentence a line)",
    )
    table.add_column("system", no_wrap=True)
    for metric in METRICS:
        table.add_column(METRIC_LABELS[metric], justify="right")
    for label in ("words", "clusters/s", "peak MiB", "faithful span / numbers", "errors"):
        table.add_column(label, justify="right")
    for system in result.systems:
        table.add_row(
            system.name,
            *(_cell(system.scores[m]) for m in METRICS),
            f"{system.mean_words:.0f}",
            f"{system.clusters_per_second:.2f}",
            "—" if system.peak_mib is None else f"{system.peak_mib:.1f}",
            _faith_cell(system),
            str(len(system.errors)),
        )
    return table


def result_to_json(result: EvaluationResult) -> dict[str, Any]:
    payload = asdict(result)
    for system, raw in zip(result.systems, payload["systems"], strict=True):
        raw["clusters_per_second"] = system.clusters_per_second
        raw["scores"] = {m: asdict(i) for m, i in system.scores.items()}
        raw["date"], raw["commit"] = result.date, result.commit
        raw["per_cluster"] = {
            cid: {m: round(v, 5) for m, v in values.items()}
            for cid, values in system.per_cluster.items()
        }
    return payload


def write_results(
    result: EvaluationResult, md_path: Path = DEFAULT_MD, json_path: Path = DEFAULT_JSON
) -> None:
    """Merge this data file's section into the JSON (replacing an earlier run of the same file)
    and re-render the whole Markdown from it, so several data files add up to one report."""
    md_path, json_path = Path(md_path), Path(json_path)
    store: dict[str, Any] = {"datasets": {}}
    if json_path.exists():
        try:
            store = json.loads(json_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            store = {"datasets": {}}
    entry = result_to_json(result)
    earlier = store.setdefault("datasets", {}).get(result.dataset)
    same_run = ("data", "clusters", "words", "limit", "sample", "seed")
    if earlier and all(earlier.get(k) == entry.get(k) for k in same_run):
        # `--systems storyline` after a full run refreshes storyline's row and keeps the
        # peers' rows: each row carries its own date and commit in the JSON.
        rerun = {s["name"] for s in entry["systems"]}
        systems = [s for s in earlier["systems"] if s["name"] not in rerun] + entry["systems"]
        rank = {name: i for i, name in enumerate(ALL_SYSTEMS)}
        entry["systems"] = sorted(systems, key=lambda s: rank.get(s["name"], len(rank)))
    store["datasets"][result.dataset] = entry
    store["datasets"] = dict(sorted(store["datasets"].items()))
    store["reproduce"] = REPRODUCE
    store["notes"] = list(NOTES)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(store, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.parent.mkdir(parents=True, exist_ok=True)
    md_path.write_text(render_markdown(store), encoding="utf-8")


def render_markdown(store: dict[str, Any]) -> str:
    datasets: dict[str, Any] = store.get("datasets", {})
    lines = [
        "# Summarization benchmark: storyline vs. peer extractive summarizers",
        "",
        "Reproduce the whole table (all dev files, all systems):",
        "",
        "```sh",
        REPRODUCE,
        "# or, with the CLI wired: storyline evaluate summaries ../shared/data/mds/*/dev.jsonl",
        "```",
        "",
        *[f"- {note}" for note in NOTES],
        "",
    ]
    if datasets:
        lines += _overview(datasets)
    for name, entry in datasets.items():
        partial = []
        if entry.get("sample"):
            partial.append(f"sample {entry['sample']} (seed {entry['seed']})")
        if entry.get("limit"):
            partial.append(f"limit {entry['limit']}")
        lines += [
            f"## {name}",
            "",
            f"Data `{entry['data']}` · {entry['clusters']} clusters · budget {entry['words']} "
            f"words ({entry['budget_rule']}) · {entry['date']} · commit "
            f"`{entry.get('commit') or 'none'}` · {entry['total_seconds']:.0f} s wall (last run) · "
            f"process max RSS {entry.get('max_rss_mib') or 0:.0f} MiB"
            + (
                f" · storyline model load {entry['model_load_seconds']:.2f} s (once, not in "
                "clusters/s)"
                if entry.get("model_load_seconds") is not None
                else ""
            )
            + (f" · **partial run: {', '.join(partial)}**" if partial else ""),
            "",
            "| system | R-1 | R-2 | R-L (rougeL) | R-Lsum (rougeLsum) | words | clusters/s "
            "| peak MiB | faithful span / numbers | errors |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for system in entry["systems"]:
            cells = []
            for metric in METRICS:
                s = system["scores"][metric]
                cells.append(_cell(Interval(s["mean"], s["low"], s["high"])))
            faith = system.get("faithfulness")
            faith_cell = (
                f"{100 * faith['span_contains_sentence']:.0f}% / "
                f"{100 * faith['numbers_in_cited_source']:.0f}%"
                if faith
                else "—"
            )
            peak = system.get("peak_mib")
            lines.append(
                f"| {system['name']} | "
                + " | ".join(cells)
                + f" | {system['mean_words']:.0f} | {system['clusters_per_second']:.2f} | "
                + ("—" if peak is None else f"{peak:.1f}")
                + f" | {faith_cell} | {len(system['errors'])} |"
            )
        errors = [e for system in entry["systems"] for e in system["errors"][:3]]
        if errors:
            lines += ["", "First errors:", "", *[f"- `{e}`" for e in errors]]
        lines.append("")
    return "\n".join(lines)


def _overview(datasets: dict[str, Any]) -> list[str]:
    """One line per system, R-2 and R-Lsum per data file: the table to glance at."""
    names = list(datasets)
    systems: list[str] = []
    for entry in datasets.values():
        for system in entry["systems"]:
            if system["name"] not in systems:
                systems.append(system["name"])
    header = " | ".join(f"{n} ({datasets[n]['clusters']}, {datasets[n]['words']}w)" for n in names)
    lines = [
        "## Overview: R-2 / R-Lsum F1 ×100 (means; intervals in the sections below)",
        "",
        f"| system | {header} |",
        "|---|" + "---|" * len(names),
    ]
    for system in systems:
        cells = []
        for n in names:
            found = [s for s in datasets[n]["systems"] if s["name"] == system]
            if found:
                scores = found[0]["scores"]
                r2, rlsum = scores["rouge2"]["mean"], scores["rougeLsum"]["mean"]
                cells.append(f"{100 * r2:.2f} / {100 * rlsum:.2f}")
            else:
                cells.append("—")
        lines.append(f"| {system} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines
