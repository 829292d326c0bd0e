"""Trials on the non-blind MDS clusters that were measured and not shipped (out of fold).

    STORYLINE_CACHE=/tmp/slcache PYTHONPATH=src /work/wt/llm/.venv/bin/python \\
        bench/summarization_trials.py embed-features      # model2vec features, both models
    ... bench/summarization_trials.py embed-restates 0.85  # model2vec cosine as restatement

Needs model2vec (``storyline[llm-embed]``) for the distilled MiniLM of
:mod:`storyline.verify.embed`. Every cluster is summarized by fold models fitted without it,
the same three 5-fold draws as ``bench/summarization_blind.py --part dev`` (whose default
figures these are compared with); blind clusters are never loaded. Results are quoted in
bench/results/summarization_blind.md; both commands reproduced them on 12-01 (embed-features:
532 s wall, 363 s CPU; embed-restates with fold models cached in /tmp: 213 s wall, 142 s CPU;
shared 2-core machine, load about 3.5). The embedding features compare every sentence of a story
with every other (a dense n x n product): fine for a trial, not for the product, which is one
more reason it was not shipped.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from pathlib import Path

import numpy as np
from summarization_blind import (
    clusters_of,
    margin_table,
    out_of_fold,
    peer_scores_from_benchmark,
    render_rows,
)

from storyline.summarize import concepts, coverage, sentence_worth
from storyline.training.summarize import Example, fit, fit_sentence_model, make_example

CACHE = Path("/tmp/storyline-summarization-trials")


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(1e-9, float(np.linalg.norm(vector)))


def sentence_extra(example: Example, embeddings: np.ndarray) -> np.ndarray:
    """Per sentence: cosine with the story's mean and leads' mean, share of other articles with
    a sentence at cosine >= 0.7, mean best cosine over the other articles."""
    story = example.story
    n = len(story.sentences)
    if n == 0:
        return np.zeros((0, 4))
    to_story = embeddings @ _unit(embeddings.mean(axis=0))
    lead = story.position < 3
    to_leads = embeddings @ _unit(embeddings[lead].mean(axis=0)) if lead.any() else to_story
    n_articles = max(1, len(story.articles))
    cosines = embeddings @ embeddings.T
    best = np.full((n, n_articles), -1.0)
    for article in range(n_articles):
        columns = story.article_index == article
        if columns.any():
            best[:, article] = cosines[:, columns].max(axis=1)
    best[np.arange(n), story.article_index] = np.nan
    support = np.nansum(best >= 0.7, axis=1) / max(1, n_articles - 1)
    mean_best = np.nan_to_num(np.nanmean(best, axis=1)) if n_articles > 1 else np.zeros(n)
    return np.column_stack([to_story, to_leads, support, mean_best])


def concept_extra(example: Example, per_sentence: np.ndarray) -> np.ndarray:
    matrix = example.concepts.matrix
    counts = np.maximum(1, np.asarray(matrix.sum(axis=0)).ravel())
    mean = (matrix.T @ per_sentence[:, [0, 2]]) / counts[:, None]
    top = [concepts.column_max(matrix, per_sentence[:, k]) for k in (0, 2)]
    return np.column_stack([mean, *top])


def cached_fitter(train: list[Example]) -> tuple:
    """Fold models, kept on disk by the names of their training clusters (default features)."""
    key = hashlib.sha1("|".join(sorted(e.name for e in train)).encode()).hexdigest()[:16]
    path = CACHE / f"models-{key}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    models = (fit(train), fit_sentence_model(train))
    path.write_bytes(pickle.dumps(models))
    return models


def main(argv: list[str]) -> None:
    from storyline.verify.embed import load_embedder

    CACHE.mkdir(exist_ok=True)
    rows = clusters_of("dev")
    examples = [make_example(c.id, c.documents, c.references) for _, _, c in rows]
    encoder = load_embedder("model2vec")
    if encoder is None:
        raise SystemExit("model2vec is not installed: pip install 'storyline[llm-embed]'")
    embeddings = [encoder.encode([s.text for s in e.story.sentences]) for e in examples]
    fitter = None
    if argv[0] == "embed-features":
        per_sentence = [sentence_extra(e, v) for e, v in zip(examples, embeddings, strict=True)]
        per_concept = [concept_extra(e, s) for e, s in zip(examples, per_sentence, strict=True)]
        index = {id(e.story): i for i, e in enumerate(examples)}
        examples = [
            Example(e.name, e.story, e.concepts, np.column_stack([e.features, c]), e.labels,
                    np.column_stack([e.sentence_features, s]), e.sentence_labels)
            for e, s, c in zip(examples, per_sentence, per_concept, strict=True)
        ]  # fmt: skip
        concept_features, sentence_features = coverage.features, sentence_worth.features
        coverage.features = lambda story, found: np.column_stack(
            [concept_features(story, found), per_concept[index[id(story)]]]
        )
        sentence_worth.features = lambda story, similarity: np.column_stack(
            [sentence_features(story, similarity), per_sentence[index[id(story)]]]
        )
    elif argv[0] == "embed-restates":
        threshold = float(argv[1])
        vector = {
            s.text: v
            for e, rows_of in zip(examples, embeddings, strict=True)
            for s, v in zip(e.story.sentences, rows_of, strict=True)
        }
        lexical = coverage.restates
        coverage.restates = lambda cosine, a, b: (
            lexical(cosine, a, b) or float(vector[a] @ vector[b]) >= threshold
        )
        fitter = cached_fitter
    else:
        raise SystemExit(f"unknown trial {argv[0]!r}")
    ours = out_of_fold(examples, rows, fitter=fitter)
    table = margin_table(ours, peer_scores_from_benchmark(sorted(ours)))
    print("\n".join(render_rows(table, {f: len(v) for f, v in ours.items()})))


if __name__ == "__main__":
    main(sys.argv[1:])
