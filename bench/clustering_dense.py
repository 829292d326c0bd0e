"""Do dense sentence embeddings help story clustering here? A batch probe before any online work.

Issue 21 asks for dense features "only where they measurably help". The cheapest test is the
batch upper bound itself: average-linkage agglomerative clustering (as the batch baseline of
``storyline evaluate clusters``) on TF-IDF rows, on embeddings of each article's lead, and on
both side by side (the embedding scaled by a weight), each at its best distance threshold on
the stream it scores (an upper bound for every variant alike). Streams: the 3 folds of the dev
stream's non-blind stories (``storyline.training.cluster.story_buckets``); the blind stories
are not read.

    .venv/bin/python bench/clustering_dense.py [--embedders model2vec,minilm]

Needs the ``llm-embed`` extra (model2vec distils its static model from the packaged MiniLM
once, offline, into the cache; ``minilm`` runs sentence-transformers on torch).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.evaluate.clusters import bcubed
from storyline.training.cluster import story_buckets
from storyline.verify.embed import load_embedder

ROOT = Path(__file__).resolve().parents[1]
STREAM = ROOT.parent / "shared" / "data" / "clustering" / "dev.jsonl"
RESULTS = ROOT / "bench" / "results"
FOLDS = 3
LEAD = 3000  # characters of each article embedded (the clusterer reads as much)
THRESHOLDS = np.round(np.arange(0.05, 1.0, 0.025), 3)
WEIGHTS = (0.25, 0.5, 1.0)


def best_cut(matrix: np.ndarray, gold: list[str]) -> tuple[float, float]:
    """Best B-cubed F1 over the distance thresholds, and that threshold."""
    tree = linkage(matrix, method="average", metric="cosine")
    return max(
        (bcubed(gold, [int(x) for x in fcluster(tree, t=t, criterion="distance")])[2], float(t))
        for t in THRESHOLDS
    )


def unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / (np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embedders", default="model2vec")
    args = parser.parse_args()
    rows = [json.loads(line) for line in STREAM.read_text(encoding="utf-8").splitlines()]
    labels = [r["cluster"] for r in rows]
    bucket = story_buckets(labels, FOLDS)
    embedders = {name: load_embedder(name) for name in args.embedders.split(",")}
    results: list[dict] = []
    for fold in range(FOLDS):
        chosen = [r for r in rows if bucket[r["cluster"]] == fold]
        gold = [r["cluster"] for r in chosen]
        texts = [(r.get("title") or "") + "\n" + r["text"] for r in chosen]
        tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
        sparse_rows = unit(tfidf.toarray())  # a probe on ~500 articles: dense is fine here
        row: dict = {"fold": fold, "articles": len(chosen), "stories": len(set(gold))}
        row["tfidf"] = best_cut(sparse_rows, gold)
        for name, embedder in embedders.items():
            if embedder is None:
                raise SystemExit(f"{name}: embeddings unavailable (install the llm-embed extra)")
            started = time.process_time()
            vectors = unit(np.asarray(embedder.encode([t[:LEAD] for t in texts]), dtype=float))
            row[f"{name}_cpu_seconds"] = round(time.process_time() - started, 1)
            row[name] = best_cut(vectors, gold)
            for weight in WEIGHTS:
                row[f"tfidf+{weight}*{name}"] = best_cut(
                    np.hstack([sparse_rows, weight * vectors]), gold
                )
        results.append(row)
        print(json.dumps(row), flush=True)
    write(results, args.embedders)


def write(results: list[dict], embedders: str) -> None:
    variants = [k for k in results[0] if isinstance(results[0][k], tuple)]
    lines = [
        "# Dense embeddings for story clustering: a batch probe",
        "",
        f"Command: `python bench/clustering_dense.py --embedders {embedders}`  ",
        f"Date: {datetime.now(UTC).isoformat(timespec='seconds')}, Python "
        f"{platform.python_version()}, shared 2-core machine",
        "",
        "Average-linkage agglomerative clustering (cosine) of each fold of the dev stream's "
        "non-blind stories, each variant at its best threshold on the fold it scores (an "
        "upper bound for all alike). B-cubed F1 (threshold):",
        "",
        "| variant | "
        + " | ".join(f"fold {r['fold']} ({r['articles']})" for r in results)
        + " | mean |",
        "|---|" + "---:|" * (len(results) + 1),
    ]
    for variant in variants:
        cells = [f"{r[variant][0] * 100:.1f} ({r[variant][1]:.3f})" for r in results]
        mean = np.mean([r[variant][0] for r in results]) * 100
        lines.append(f"| {variant} | " + " | ".join(cells) + f" | **{mean:.1f}** |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "clustering_dense.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (RESULTS / "clustering_dense.json").write_text(json.dumps(results, indent=1) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
