"""``storyline evaluate summaries DATA``: storyline against peer summarizers on human references.

Fairness rules, the same for every system:

* same documents, cut by storyline's sentence splitter (peers get :func:`split_cluster`;
  storyline splits its ``Article`` texts with the same function);
* each system lists sentences in its own order of preference and we take them until the word
  budget is reached (the last may overflow), then cut *every* summary to exactly the budget in
  whitespace words before scoring, as ROUGE's ``-l N`` does;
* ROUGE F1 against every reference, averaged over references, then over clusters, with a 95%
  percentile bootstrap interval over clusters.
"""

from __future__ import annotations

import json
import resource
import subprocess
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storyline.model import Article, SummarySentence

from .data import Cluster, default_budget, load_clusters, select
from .faithfulness import Faithfulness, faithfulness
from .peers import PEERS, PeerInput, split_cluster
from .rouge import (
    METRICS,
    Interval,
    bootstrap_ci,
    fill_budget,
    prepare_references,
    score,
    truncate,
    word_count,
)

ALL_SYSTEMS: tuple[str, ...] = (
    "storyline",
    "lead",
    "lexrank",
    "textrank",
    "lsa",
    "luhn",
    "sumbasic",
    "kl",
    "oracle",
)


@dataclass
class SystemResult:
    name: str
    scores: dict[str, Interval]
    clusters: int
    seconds: float
    mean_words: float
    peak_mib: float | None = None
    errors: list[str] = field(default_factory=list)
    faithfulness: dict[str, float | int] | None = None
    per_cluster: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def clusters_per_second(self) -> float:
        return self.clusters / self.seconds if self.seconds > 0 else float("inf")


@dataclass
class EvaluationResult:
    data: str
    dataset: str
    clusters: int
    words: int
    budget_rule: str
    systems: list[SystemResult]
    date: str
    commit: str | None
    limit: int | None = None
    sample: int | None = None
    seed: int = 0
    max_rss_mib: float | None = None
    total_seconds: float = 0.0
    model_load_seconds: float | None = None  # storyline's learned models, once, not in clusters/s


@dataclass
class Output:
    """A system's sentences in its order of preference, and storyline's cited summary."""

    sentences: list[str]
    summary: list[SummarySentence] | None = None
    articles: list[Article] | None = None


System = Callable[[Cluster, PeerInput], Output]


def peer_system(name: str) -> System:
    peer = PEERS[name]

    def run(cluster: Cluster, task: PeerInput) -> Output:
        return Output([s.text for s in peer(task)])

    return run


def storyline_system(*, dedupe: bool = False, clean: bool = False) -> System:
    def run(cluster: Cluster, task: PeerInput) -> Output:
        from storyline.pipeline import digest

        articles = [
            Article(id=f"d{i}", text=text, source=f"{cluster.id}#{i}")
            for i, text in enumerate(cluster.documents)
        ]
        report = digest(
            articles,
            words=task.words,
            cluster=False,
            compare=False,
            dedupe=dedupe,
            clean=clean,
        )
        summary = [s for story in report.stories for s in story.summary]
        used = [a for story in report.stories for a in story.articles] or articles
        return Output([s.text for s in summary], summary, used)

    return run


def make_system(name: str, *, dedupe: bool = False, clean: bool = False) -> System:
    if name == "storyline":
        return storyline_system(dedupe=dedupe, clean=clean)
    if name in PEERS:
        return peer_system(name)
    raise ValueError(f"unknown system {name!r} (available: {', '.join(ALL_SYSTEMS)})")


def parse_systems(value: str | Sequence[str]) -> list[str]:
    names = value.split(",") if isinstance(value, str) else list(value)
    names = [n.strip().lower() for n in names if n.strip()]
    if not names or names == ["all"]:
        return list(ALL_SYSTEMS)
    unknown = [n for n in names if n not in ALL_SYSTEMS]
    if unknown:
        available = ", ".join(ALL_SYSTEMS)
        raise ValueError(f"unknown system(s) {', '.join(unknown)}; available: {available}")
    return list(dict.fromkeys(names))


def scored_sentences(sentences: Sequence[str], words: int) -> list[str]:
    """The budget rule, in one place, for every system."""
    return truncate(fill_budget(sentences, words), words)


def dataset_name(path: Path) -> str:
    # ../shared/data/mds/duc2006/dev.jsonl -> duc2006/dev
    path = Path(path)
    return f"{path.parent.name}/{path.stem}" if path.parent.name else path.stem


@lru_cache(maxsize=1)
def git_commit() -> str | None:
    """HEAD when the code was first loaded (cached: one process runs one version of the code,
    even if someone commits while a long run is going), ``+dirty`` if ``src/`` had changes."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    head = git("rev-parse", "--short", "HEAD")
    if not head:
        return None
    return head + "+dirty" if git("status", "--porcelain", "--", "src") else head


@contextmanager
def _progress(enabled: bool, total: int, label: str) -> Iterator[Callable[[str], None]]:
    if not enabled:
        yield lambda _description: None
        return
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(label, total=total)

        def advance(description: str) -> None:
            bar.update(task, advance=1, description=f"{label} {description}")

        yield advance


def evaluate_summaries(
    data: Path,
    *,
    systems: Sequence[str] = ALL_SYSTEMS,
    words: int | None = None,
    limit: int | None = None,
    sample: int | None = None,
    seed: int = 0,
    output_dir: Path | None = None,
    progress: bool = True,
    dedupe: bool = False,
    clean: bool = False,
    memory: bool = True,
) -> EvaluationResult:
    """Summarize every cluster of ``data`` with every system and score against the references.

    With ``output_dir``, each system's scored summaries are written there as JSONL
    (``<system>.jsonl``: id, summary sentences, and for storyline the citations).
    """
    started = time.perf_counter()
    commit = git_commit()
    clusters = select(load_clusters(Path(data)), limit=limit, sample=sample, seed=seed)
    if not clusters:
        raise ValueError(f"no clusters in {data}")
    if words is None:
        words, rule = default_budget(clusters)
    else:
        rule = "given (--words)"
    names = parse_systems(systems)
    runners = {n: make_system(n, dedupe=dedupe, clean=clean) for n in names}
    model_load_seconds = _load_storyline_models() if "storyline" in names else None

    per_cluster: dict[str, dict[str, dict[str, float]]] = {n: {} for n in names}
    seconds = dict.fromkeys(names, 0.0)
    lengths: dict[str, list[int]] = {n: [] for n in names}
    errors: dict[str, list[str]] = {n: [] for n in names}
    faith: dict[str, Faithfulness] = {}
    dumps: dict[str, list[dict[str, Any]]] = {n: [] for n in names}

    with _progress(progress, len(clusters) * len(names), dataset_name(Path(data))) as advance:
        for cluster in clusters:
            task = PeerInput(
                documents=cluster.documents,
                sentences=split_cluster(cluster.documents),
                words=words,
                references=cluster.references,
            )
            references = prepare_references(cluster.references)
            for name in names:
                tick = time.perf_counter()
                try:
                    output = runners[name](cluster, task)
                except Exception as error:  # one failure is a finding, not a crash
                    errors[name].append(f"{cluster.id}: {type(error).__name__}: {error}")
                    output = Output([])
                seconds[name] += time.perf_counter() - tick
                kept = scored_sentences(output.sentences, words)
                lengths[name].append(sum(word_count(s) for s in kept))
                per_cluster[name][cluster.id] = (
                    score(kept, references) if kept else dict.fromkeys(METRICS, 0.0)
                )
                if output.summary is not None and output.articles is not None:
                    faith.setdefault(name, Faithfulness()).add(
                        faithfulness(output.summary, output.articles)
                    )
                if output_dir is not None:
                    record: dict[str, Any] = {"id": cluster.id, "summary": kept}
                    if output.summary is not None:
                        record["cited"] = [s.model_dump() for s in output.summary]
                    dumps[name].append(record)
                advance(f"{name} {cluster.id}")

    peaks = _peak_memory(runners, clusters, words) if memory else {}
    results = []
    for index, name in enumerate(names):
        values = per_cluster[name]
        scores = {
            metric: bootstrap_ci([v[metric] for v in values.values()], seed=seed + index)
            for metric in METRICS
        }
        results.append(
            SystemResult(
                name=name,
                scores=scores,
                clusters=len(clusters),
                seconds=seconds[name],
                mean_words=sum(lengths[name]) / len(lengths[name]),
                peak_mib=peaks.get(name),
                errors=errors[name],
                faithfulness=faith[name].as_dict() if name in faith else None,
                per_cluster=values,
            )
        )
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
        for name, records in dumps.items():
            with (output_dir / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
                for record in records:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return EvaluationResult(
        data=str(data),
        dataset=dataset_name(Path(data)),
        clusters=len(clusters),
        words=words,
        budget_rule=rule,
        systems=results,
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        commit=commit,
        limit=limit,
        sample=sample,
        seed=seed,
        # Linux reports ru_maxrss in KiB.
        max_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        total_seconds=time.perf_counter() - started,
        model_load_seconds=model_load_seconds,
    )


def _load_storyline_models() -> float:
    """Load storyline's shipped models before timing, so clusters/s counts summarizing only."""
    from storyline.summarize import concept_model, sentence_worth

    loaders = (concept_model.default_model, sentence_worth.default_model)
    for loader in loaders:
        loader.cache_clear()  # measured afresh for every data file
    tick = time.perf_counter()
    for loader in loaders:
        loader()
    return time.perf_counter() - tick


def _peak_memory(
    runners: dict[str, System], clusters: Sequence[Cluster], words: int
) -> dict[str, float]:
    largest = max(clusters, key=lambda c: sum(word_count(d) for d in c.documents))
    task = PeerInput(largest.documents, split_cluster(largest.documents), words, largest.references)
    peaks: dict[str, float] = {}
    for name, run in runners.items():
        tracemalloc.start()
        try:
            run(largest, task)
        except Exception:  # already counted as an error in the timed run
            pass
        finally:
            peaks[name] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
    return peaks
