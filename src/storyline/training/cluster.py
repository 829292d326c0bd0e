"""Train the online clusterer's ranker and join classifier on a labelled stream.

    python -m storyline.training.cluster ../shared/data/clustering/dev.jsonl

writes ``src/storyline/cluster/online_model.json``. Outside the runtime: scikit-learn fits
here, the runtime only takes dot products.

How (after Miranda et al. 2018): the stream is replayed in order with every article placed in
its gold story, and at each arrival the features of the candidate stories the clusterer would
look at are recorded. The *ranker* is a logistic regression on feature differences (gold story
minus each other candidate: a pairwise ranking model). The *join* classifier sees the gold
story as a positive and the best-ranked wrong story as a negative (the second best when the
ranker is right, the best when the article starts a new story). The join threshold and the
merge settings are then chosen by running the clusterer itself on the training stream.

Stories, never articles, are split: ``story_split`` puts each gold story (by a hash of its
label) in the blind part or one of the folds, so that no story is seen on both sides.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from storyline.cluster.background import BACKGROUND_PATH, Background
from storyline.cluster.features import FEATURES, ArticleTerms, article_terms
from storyline.cluster.model import MODEL_PATH, ClusterModel
from storyline.cluster.online import OnlineClusterer
from storyline.evaluate.clusters import bcubed, read_stream

BLIND_SHARE = 0.2
JOIN_THRESHOLDS = (0.15, 0.2, 0.3, 0.4)
MERGES = ((None, None), (0.3, 0.3), (0.2, 0.2))  # (probability, cosine); None: off


@dataclass
class Arrival:
    """The candidates of one article in a labelled replay: features and which one is gold."""

    features: list[dict[str, float]]
    gold: int | None  # index of the gold story among the candidates, None if not retrieved
    label: str = ""


def story_buckets(
    labels: Sequence[str], folds: int, blind_share: float = BLIND_SHARE
) -> dict[str, int]:
    """Each gold story's bucket: -1 for the blind part, else its fold (0..folds-1).

    Stories are ordered by a stable hash of their label; the first ``blind_share`` of the
    articles (whole stories) are blind, the rest are dealt to the folds so that the folds hold
    about as many articles each.
    """
    sizes: dict[str, int] = {}
    for label in labels:
        sizes[label] = sizes.get(label, 0) + 1
    order = sorted(sizes, key=lambda lab: hashlib.sha1(lab.encode("utf-8")).hexdigest())
    buckets: dict[str, int] = {}
    blind_articles = 0
    fold_articles = [0] * folds
    for label in order:
        if blind_articles < blind_share * len(labels):
            buckets[label] = -1
            blind_articles += sizes[label]
        else:
            fold = min(range(folds), key=lambda f: fold_articles[f])
            buckets[label] = fold
            fold_articles[fold] += sizes[label]
    return buckets


def full_model() -> ClusterModel:
    """A model that uses every feature: for the replay, which must compute all of them."""
    ones = tuple(1.0 for _ in FEATURES)
    return ClusterModel(features=FEATURES, ranker_weights=ones, join_weights=ones)


def replay(
    terms: Sequence[ArticleTerms], labels: Sequence[str], **options: object
) -> list[Arrival]:
    """Feed the stream with gold assignments, recording each article's candidate features."""
    clusterer = OnlineClusterer(full_model(), merge=False, **options)  # type: ignore[arg-type]
    gold_story: dict[str, str] = {}
    arrivals = []
    for article, label in zip(terms, labels, strict=True):
        vectors = clusterer.arrive(article)
        candidates = clusterer.candidates(vectors)
        gold_id = gold_story.get(label)
        gold = next((i for i, s in enumerate(candidates) if s.id == gold_id), None)
        arrivals.append(
            Arrival([clusterer.features(vectors, article.time, s) for s in candidates], gold, label)
        )
        target = clusterer.stories.get(gold_id) if gold_id is not None else None
        gold_story[label] = clusterer.place(vectors, article.time, target).id
    return arrivals


def _matrix(rows: Iterable[dict[str, float]], features: Sequence[str]) -> np.ndarray:
    return np.array([[row.get(name, 0.0) for name in features] for row in rows], dtype=float)


def fit(arrivals: Sequence[Arrival], features: Sequence[str] = FEATURES) -> ClusterModel:
    """Ranker and join classifier on the named features (the others get zero weight)."""
    from sklearn.linear_model import LogisticRegression

    differences = []
    for arrival in arrivals:
        if arrival.gold is None:
            continue
        gold = arrival.features[arrival.gold]
        for i, other in enumerate(arrival.features):
            if i != arrival.gold:
                differences.append({n: gold.get(n, 0.0) - other.get(n, 0.0) for n in features})
    x = _matrix(differences, features)
    # Both orientations of each pair: a balanced problem through the origin.
    ranker = LogisticRegression(C=1.0, fit_intercept=False, max_iter=2000)
    ranker.fit(np.vstack([x, -x]), np.r_[np.ones(len(x)), np.zeros(len(x))])
    ranker_weights = ranker.coef_[0]

    positives, negatives = [], []
    for arrival in arrivals:
        if not arrival.features:
            continue
        scores = _matrix(arrival.features, features) @ ranker_weights
        order = np.argsort(-scores)
        wrong = next((int(i) for i in order if int(i) != arrival.gold), None)
        if arrival.gold is not None:
            positives.append(arrival.features[arrival.gold])
        if wrong is not None:
            negatives.append(arrival.features[wrong])
    x = _matrix([*positives, *negatives], features)
    y = np.r_[np.ones(len(positives)), np.zeros(len(negatives))]
    join = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    weights = dict(zip(features, ranker_weights, strict=True))
    join_weights = dict(zip(features, join.coef_[0], strict=True))
    return ClusterModel(
        features=FEATURES,
        ranker_weights=tuple(float(weights.get(n, 0.0)) for n in FEATURES),
        join_weights=tuple(float(join_weights.get(n, 0.0)) for n in FEATURES),
        join_bias=float(join.intercept_[0]),
    )


def run_online(
    model: ClusterModel, terms: Sequence[ArticleTerms], *, merge: bool = True, **options: object
) -> list[str]:
    clusterer = OnlineClusterer(model, merge=merge, **options)  # type: ignore[arg-type]
    assigned = [clusterer.add_terms(t) for t in terms]
    return [clusterer.resolve(story) for story in assigned]


def tune(
    model: ClusterModel, terms: Sequence[ArticleTerms], labels: Sequence[str], **options: object
) -> ClusterModel:
    """Join threshold and merge settings with the best B-cubed F1 on the training stream."""
    best: tuple[float, ClusterModel] | None = None
    for threshold, (probability, cosine) in itertools.product(JOIN_THRESHOLDS, MERGES):
        candidate = ClusterModel(
            features=model.features,
            ranker_weights=model.ranker_weights,
            join_weights=model.join_weights,
            join_bias=model.join_bias,
            join_threshold=threshold,
            merge_probability=probability if probability is not None else 2.0,
            merge_cosine=cosine if cosine is not None else 2.0,
        )
        predicted = run_online(candidate, terms, **options)
        f1 = bcubed(list(labels), predicted)[2]  # type: ignore[arg-type]
        if best is None or f1 > best[0]:
            best = (f1, candidate)
    assert best is not None
    return best[1]


def train(
    terms: Sequence[ArticleTerms],
    labels: Sequence[str],
    features: Sequence[str] = FEATURES,
    arrivals: Sequence[Arrival] | None = None,
    **options: object,
) -> ClusterModel:
    """Weights from the replay of all stories; threshold and merge settings held out.

    Tuning the threshold on the stream the weights were fitted on picks settings that trust
    the model too much, so the stories are halved (by hash): weights fitted on one half choose
    the threshold and merge settings by running on the other half, and the final weights are
    fitted on everything with those settings.
    """
    arrivals = arrivals if arrivals is not None else replay(terms, labels, **options)
    half = {lab for lab in set(labels) if hashlib.sha1(lab.encode()).digest()[0] % 2}
    held = [i for i, lab in enumerate(labels) if lab not in half]
    chosen = tune(
        fit([a for a in arrivals if a.label in half], features),
        [terms[i] for i in held],
        [labels[i] for i in held],
        **options,
    )
    final = fit(arrivals, features)
    final.join_threshold = chosen.join_threshold
    final.merge_probability = chosen.merge_probability
    final.merge_cosine = chosen.merge_cosine
    return final


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="labelled stream (JSONL: id, cluster, date, ...)")
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    parser.add_argument("--folds", type=int, default=4, help="folds of the non-blind stories")
    arguments = parser.parse_args(argv)
    articles, labels = read_stream(arguments.data)
    buckets = story_buckets(labels, arguments.folds)
    keep = [i for i, label in enumerate(labels) if buckets[label] >= 0]
    terms = [article_terms(articles[i]) for i in keep]
    kept_labels = [labels[i] for i in keep]
    background = Background.count(terms)
    model = train(terms, kept_labels, background=background)
    model.meta = {
        "trained_on": f"{arguments.data.name}: {len(keep)} articles, "
        f"{len(set(kept_labels))} stories (the blind {BLIND_SHARE:.0%} of stories left out)",
        "command": "python -m storyline.training.cluster " + str(arguments.data),
    }
    model.save(arguments.output)
    background.save(arguments.output.with_name(BACKGROUND_PATH.name))
    print(
        f"wrote {arguments.output}: threshold {model.join_threshold}, merge "
        f"{model.merge_probability}/{model.merge_cosine}"
    )


if __name__ == "__main__":
    main()
