"""Story clustering systems side by side on a labelled stream, and harder variants of a stream.

Systems: ``online`` (:class:`storyline.cluster.online.OnlineClusterer`, the shipped model),
``centroid`` (the older :class:`storyline.cluster.StoryClusterer`) and ``batch``: scikit-learn
TF-IDF and average-linkage agglomerative clustering (cosine) over the whole stream at once, with the
distance threshold that scores best *on the stream being scored*, so an upper-bound reference
rather than a fair competitor.

Measures: B-cubed P/R/F1 (per article, averaged), pairwise F1 (the measure of Miranda et al.'s
evaluation code: precision and recall over pairs of articles put together), ARI and AMI
(scikit-learn), the number of stories, articles per second and the peak Python heap.

Variants of a stream (``shuffle_dates``, ``interleave_related``) test what the time features
lean on: dates permuted within each story keep each story's span but break its order, and
stories that share names moved to start on the same day make time useless between them.
"""

from __future__ import annotations

import random
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from storyline.cluster import StoryClusterer
from storyline.cluster.features import article_terms
from storyline.model import Article

BATCH_THRESHOLDS = tuple(round(0.5 + 0.02 * i, 2) for i in range(25))  # cosine distances


@dataclass(frozen=True)
class SystemScore:
    system: str
    articles: int
    gold_stories: int
    predicted_stories: int
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pairwise_f1: float
    ari: float
    ami: float
    articles_per_second: float
    peak_mib: float
    note: str = ""


def pairwise_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """F1 over article pairs: a pair is positive when the two share a story."""
    together = Counter(zip(gold, predicted, strict=True))
    both = sum(n * (n - 1) // 2 for n in together.values())
    predicted_pairs = sum(n * (n - 1) // 2 for n in Counter(predicted).values())
    gold_pairs = sum(n * (n - 1) // 2 for n in Counter(gold).values())
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / gold_pairs if gold_pairs else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(
    system: str,
    gold: Sequence[str],
    predicted: Sequence[str],
    seconds: float,
    peak_bytes: int,
    note: str = "",
) -> SystemScore:
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

    from storyline.evaluate.clusters import bcubed

    precision, recall, f1 = bcubed(list(gold), list(predicted))  # type: ignore[arg-type]
    return SystemScore(
        system=system,
        articles=len(gold),
        gold_stories=len(set(gold)),
        predicted_stories=len(set(predicted)),
        bcubed_precision=precision,
        bcubed_recall=recall,
        bcubed_f1=f1,
        pairwise_f1=pairwise_f1(gold, predicted),
        ari=float(adjusted_rand_score(gold, predicted)),
        ami=float(adjusted_mutual_info_score(gold, predicted)),
        articles_per_second=len(gold) / seconds if seconds else 0.0,
        peak_mib=peak_bytes / 2**20,
        note=note,
    )


def measured(run: Callable[[], list[str]]) -> tuple[list[str], float, int]:
    """A run's labels, its seconds (untraced) and its peak heap (a second, traced run)."""
    started = time.perf_counter()
    labels = run()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return labels, seconds, peak


def run_centroid(articles: Sequence[Article], threshold: float | None = None) -> list[str]:
    clusterer = StoryClusterer() if threshold is None else StoryClusterer(threshold=threshold)
    return [str(clusterer.add(article)) for article in articles]


def run_online(articles: Sequence[Article], **options: object) -> list[str]:
    from storyline.cluster.online import OnlineClusterer

    clusterer = OnlineClusterer(**options)  # type: ignore[arg-type]
    assigned = [clusterer.add(article) for article in articles]
    return [clusterer.resolve(story) for story in assigned]


def batch_labels(articles: Sequence[Article], threshold: float) -> list[str]:
    """TF-IDF (sublinear tf, English stop words) + average-linkage cosine agglomerative."""
    return _batch(articles, (threshold,))[threshold]


def _batch(articles: Sequence[Article], thresholds: Sequence[float]) -> dict[float, list[str]]:
    # scikit-learn's AgglomerativeClustering(linkage="average", metric="cosine") cut at each
    # distance threshold; the tree is built once (scipy, which scikit-learn builds on) and cut
    # at every threshold, so tuning the threshold costs one clustering.
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(articles) < 2:
        return {t: ["0"] * len(articles) for t in thresholds}
    texts = [(a.title or "") + "\n" + a.text for a in articles]
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    dense = matrix.toarray()  # the baseline is batch and quadratic by design: a reference
    tree = linkage(dense, method="average", metric="cosine")
    return {
        threshold: [str(label) for label in fcluster(tree, t=threshold, criterion="distance")]
        for threshold in thresholds
    }


def best_batch(articles: Sequence[Article], gold: Sequence[str]) -> tuple[list[str], float]:
    """The batch baseline at the distance threshold with the best B-cubed F1 on ``gold``."""
    from storyline.evaluate.clusters import bcubed

    runs = _batch(articles, BATCH_THRESHOLDS)
    threshold = max(runs, key=lambda t: bcubed(list(gold), runs[t])[2])  # type: ignore[arg-type]
    return runs[threshold], threshold


def compare_systems(
    articles: Sequence[Article],
    gold: Sequence[str],
    systems: Sequence[str],
    centroid_threshold: float | None = None,
) -> list[SystemScore]:
    """Score each named system (online, batch, centroid) on one stream."""
    scores = []
    for system in systems:
        if system == "online":
            labels, seconds, peak = measured(lambda: run_online(articles))
            scores.append(score("online", gold, labels, seconds, peak))
        elif system == "centroid":
            labels, seconds, peak = measured(lambda: run_centroid(articles, centroid_threshold))
            scores.append(score("centroid", gold, labels, seconds, peak))
        elif system == "batch":
            _, threshold = best_batch(articles, gold)
            labels, seconds, peak = measured(lambda t=threshold: batch_labels(articles, t))
            note = f"distance threshold {threshold:g} tuned on this stream (upper bound)"
            scores.append(score("batch", gold, labels, seconds, peak, note))
        else:
            raise ValueError(f"unknown clustering system {system!r} (online, batch, centroid)")
    return scores


# -- variants of a stream ----------------------------------------------------------------------


def _in_arrival_order(articles: list[Article], gold: list[str]) -> tuple[list[Article], list[str]]:
    """Dated articles by date (stable), then the undated ones, as the dev stream is built."""
    order = sorted(
        range(len(articles)),
        key=lambda i: (articles[i].published is None, articles[i].published or datetime.min, i),
    )
    return [articles[i] for i in order], [gold[i] for i in order]


def shuffle_dates(
    articles: Sequence[Article], gold: Sequence[str], seed: int = 0
) -> tuple[list[Article], list[str]]:
    """The stream with dates permuted among each story's articles, then re-sorted by date."""
    generator = random.Random(seed)
    by_story: dict[str, list[int]] = {}
    for i, label in enumerate(gold):
        by_story.setdefault(label, []).append(i)
    moved = list(articles)
    for members in by_story.values():
        dates = [articles[i].published for i in members]
        generator.shuffle(dates)
        for i, date in zip(members, dates, strict=True):
            moved[i] = articles[i].model_copy(update={"published": date})
    return _in_arrival_order(moved, list(gold))


def interleave_related(
    articles: Sequence[Article], gold: Sequence[str], shared_names: int = 2
) -> tuple[list[Article], list[str]]:
    """Stories that share names are made to start on the same day and are interleaved.

    Two stories are related when they share at least ``shared_names`` of their 10 most
    frequent names; related stories (connected groups) have their dates shifted so that each
    begins on the group's first day, keeping the gaps within each story. Undated articles come
    last as before, interleaved: every story's first article, then every second one, ...
    """
    by_story: dict[str, list[int]] = {}
    for i, label in enumerate(gold):
        by_story.setdefault(label, []).append(i)
    names: dict[str, set[str]] = {}
    for label, members in by_story.items():
        counts: Counter[str] = Counter()
        for i in members:
            counts.update(article_terms(articles[i]).counts["entities_all"])
        names[label] = {name for name, _ in counts.most_common(10)}
    labels = list(by_story)
    parent = {label: label for label in labels}

    def root(label: str) -> str:
        while parent[label] != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    for a_index, a in enumerate(labels):
        for b in labels[a_index + 1 :]:
            if len(names[a] & names[b]) >= shared_names:
                parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for label in labels:
        groups.setdefault(root(label), []).append(label)
    moved = list(articles)
    undated_order: dict[int, tuple[int, int]] = {}
    for group in groups.values():
        starts = {
            label: min(
                (articles[i].published for i in by_story[label] if articles[i].published),
                default=None,
            )
            for label in group
        }
        dated = [s for s in starts.values() if s is not None]
        first = min(dated) if dated else None
        for rank_in_group, label in enumerate(group):
            start = starts[label]
            for position, i in enumerate(by_story[label]):
                published = articles[i].published
                if published is not None and start is not None and first is not None:
                    moved[i] = articles[i].model_copy(
                        update={"published": published - (start - first)}
                    )
                else:
                    undated_order[i] = (position, rank_in_group)
    order = sorted(
        range(len(moved)),
        key=lambda i: (
            moved[i].published is None,
            moved[i].published or datetime.min,
            undated_order.get(i, (0, 0)),
            i,
        ),
    )
    return [moved[i] for i in order], [gold[i] for i in order]


__all__ = [
    "SystemScore",
    "ablate_shipped",
    "batch_labels",
    "best_batch",
    "compare_systems",
    "interleave_related",
    "pairwise_f1",
    "render_sections",
    "score",
    "shuffle_dates",
]


def ablate_shipped(articles: Sequence[Article], gold: Sequence[str]) -> dict[str, float]:
    """B-cubed F1 of the shipped model with each feature group's weights zeroed (not refitted:
    a quick look; ``bench/clustering.py`` refits out of fold)."""
    from storyline.cluster.features import FIELDS, KINDS, TIME_FEATURES
    from storyline.cluster.model import default_model
    from storyline.evaluate.clusters import bcubed

    model = default_model()
    groups = {
        **{f"no {k}": {f"{k}_{f}" for f in FIELDS} for k in KINDS},
        **{f"no {f} field": {f"{k}_{f}" for k in KINDS} for f in FIELDS},
        "no time features": set(TIME_FEATURES),
    }
    out = {"shipped model": bcubed(list(gold), run_online(articles))[2]}  # type: ignore[arg-type]
    for name, dropped in groups.items():
        labels = run_online(articles, model=model.without(dropped))
        out[name] = bcubed(list(gold), labels)[2]  # type: ignore[arg-type]
    out["no merge step"] = bcubed(list(gold), run_online(articles, merge=False))[2]  # type: ignore[arg-type]
    return out


def render_sections(sections: list[dict[str, object]], command: str) -> str:
    """Markdown of :func:`compare_systems` tables (one per stream and variant) and ablations."""
    lines = [
        "# Story clustering systems side by side",
        "",
        f"Command: `{command}`  ",
        f"Date: {datetime.now().strftime('%Y-%m-%d %H:%M')} UTC (timings on a shared machine)",
        "",
        "online: the shipped model (trained on the dev stream's non-blind stories, so on dev "
        "these figures are in sample; `bench/clustering.py` has the out-of-fold ones); batch: "
        "TF-IDF + average-linkage agglomerative with the threshold tuned on the stream scored "
        "(an upper bound); centroid: the older clusterer.",
    ]
    for section in sections:
        lines += [
            "",
            f"## {section['title']}",
            "",
            "| system | articles | gold | predicted | B³ P | B³ R | B³ F1 | pairwise F1 | ARI "
            "| AMI | articles/s | peak MiB |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for s in section["scores"]:  # type: ignore[attr-defined]
            lines.append(
                f"| {s.system} | {s.articles} | {s.gold_stories} | {s.predicted_stories} | "
                f"{100 * s.bcubed_precision:.1f} | {100 * s.bcubed_recall:.1f} | "
                f"**{100 * s.bcubed_f1:.1f}** | {100 * s.pairwise_f1:.1f} | {100 * s.ari:.1f} | "
                f"{100 * s.ami:.1f} | {s.articles_per_second:.0f} | {s.peak_mib:.1f} |"
            )
        if section.get("ablation"):
            lines += ["", "| online, weights zeroed (not refitted) | B³ F1 |", "|---|---:|"]
            for name, value in section["ablation"].items():  # type: ignore[attr-defined]
                lines.append(f"| {name} | {100 * value:.1f} |")
    return "\n".join(lines) + "\n"
