"""ROUGE with ``rouge-score`` (Porter stemming on), the budget rule, and bootstrap intervals.

Two ROUGE-L variants are reported because papers mix them: ``rougeL`` is the LCS of the whole
summary taken as one sequence; ``rougeLsum`` is summary-level LCS (union LCS over sentences,
as in the original ROUGE-1.5.5 ``-m`` setup) and needs one sentence a line, which we give it
with storyline's own splitter for the references and the systems' sentence boundaries for the
summaries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rouge_score import rouge_scorer

from storyline.text.sentences import split_sentences

METRICS: tuple[str, ...] = ("rouge1", "rouge2", "rougeL", "rougeLsum")
METRIC_LABELS: dict[str, str] = {
    "rouge1": "R-1",
    "rouge2": "R-2",
    "rougeL": "R-L",
    "rougeLsum": "R-Lsum",
}


@lru_cache(maxsize=1)
def scorer() -> rouge_scorer.RougeScorer:
    return rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)


def word_count(text: str) -> int:
    return len(text.split())


def fill_budget(sentences: Sequence[str], words: int) -> list[str]:
    """Sentences in the system's order until the budget is reached; the last may overflow
    (it is cut by :func:`truncate`), so no system loses words to a sentence that didn't fit."""
    chosen: list[str] = []
    total = 0
    for sentence in sentences:
        if total >= words:
            break
        n = word_count(sentence)
        if n == 0:
            continue
        chosen.append(sentence)
        total += n
    return chosen


def truncate(sentences: Sequence[str], words: int) -> list[str]:
    """Cut to exactly ``words`` whitespace words (fewer if there are fewer), keeping sentence
    boundaries: the usual ROUGE ``-l N`` rule, applied to every system alike."""
    kept: list[str] = []
    left = words
    for sentence in sentences:
        if left <= 0:
            break
        tokens = sentence.split()
        if not tokens:
            continue
        kept.append(" ".join(tokens[:left]))
        left -= len(tokens[:left])
    return kept


def reference_sentences(reference: str) -> list[str]:
    # DUC references wrap lines mid-sentence, so line breaks are not sentence boundaries there:
    # flatten first, then split with the splitter every system uses.
    flat = " ".join(reference.split())
    return [flat[s:e] for s, e in split_sentences(flat)]


@dataclass(frozen=True)
class PreparedReference:
    flat: str
    lines: str


def prepare_references(references: Sequence[str]) -> list[PreparedReference]:
    return [
        PreparedReference(" ".join(r.split()), "\n".join(reference_sentences(r)))
        for r in references
    ]


def score(
    summary_sentences: Sequence[str], references: Sequence[str] | Sequence[PreparedReference]
) -> dict[str, float]:
    """F1 of each metric against every reference, averaged over the references (not the max
    that ``score_multi`` takes: the data README asks for the mean over human summaries)."""
    prepared = [
        r if isinstance(r, PreparedReference) else prepare_references([r])[0] for r in references
    ]
    if not prepared:
        raise ValueError("no references to score against")
    flat = " ".join(" ".join(s.split()) for s in summary_sentences)
    lines = "\n".join(" ".join(s.split()) for s in summary_sentences)
    sums = dict.fromkeys(METRICS, 0.0)
    rs = scorer()
    for ref in prepared:
        plain = rs.score(ref.flat, flat)
        for metric in ("rouge1", "rouge2", "rougeL"):
            sums[metric] += plain[metric].fmeasure
        sums["rougeLsum"] += _lsum(ref.lines, lines)
    return {metric: value / len(prepared) for metric, value in sums.items()}


def _lsum(reference_lines: str, summary_lines: str) -> float:
    scorer_lsum = _lsum_scorer()
    return scorer_lsum.score(reference_lines, summary_lines)["rougeLsum"].fmeasure


@lru_cache(maxsize=1)
def _lsum_scorer() -> rouge_scorer.RougeScorer:
    return rouge_scorer.RougeScorer(["rougeLsum"], use_stemmer=True)


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float


def bootstrap_ci(
    values: Sequence[float], *, resamples: int = 1000, confidence: float = 0.95, seed: int = 0
) -> Interval:
    """Percentile bootstrap over clusters: the clusters are the sample, so they are resampled."""
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        raise ValueError("no values")
    mean = float(data.mean())
    if data.size == 1:
        return Interval(mean, mean, mean)
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, data.size, size=(resamples, data.size))].mean(axis=1)
    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(means, [tail, 100.0 - tail])
    # The percentile interval can miss the sample mean by float noise on tiny, skewed samples.
    return Interval(mean, min(float(low), mean), max(float(high), mean))
