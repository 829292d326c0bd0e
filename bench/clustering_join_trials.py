"""Would a non-linear join classifier help the online clusterer? A trial, not shipped.

For each of the 3 folds of the dev stream's non-blind stories, the online clusterer is trained
on the other 2 as ``bench/clustering.py`` does; then the linear join classifier is set against
gradient-boosted trees (scikit-learn HistGradientBoostingClassifier) fitted on the same
positives and negatives plus two features a linear model cannot build (the rank-score gap to
the runner-up, the number of candidates). Both run the fold's stream at the same join
thresholds, with and without the merge step; B-cubed F1 per fold and the mean over folds.
The threshold is chosen on the scored fold for both alike (optimistic for both).

    .venv/bin/python bench/clustering_join_trials.py > bench/results/clustering_join_trials.txt
"""

import sys

import numpy as np

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
from dataclasses import replace

from clustering import DEFAULT_DATA, train_on
from sklearn.ensemble import HistGradientBoostingClassifier

from storyline.cluster.features import FEATURES, article_terms
from storyline.cluster.online import OnlineClusterer
from storyline.evaluate.clusters import bcubed, read_stream
from storyline.training.cluster import story_buckets

articles, labels = read_stream(DEFAULT_DATA)
buckets = story_buckets(labels, 3)
terms = [article_terms(a) for a in articles]


def extra(X, w):
    r = X @ w
    top = np.max(r)
    second = np.sort(r)[-2] if len(r) > 1 else top - 5
    gap = np.where(r == top, r - second, r - top)
    return np.column_stack([X, gap, np.full(len(r), len(r))])


class GBTClusterer(OnlineClusterer):
    gbt = None
    wr = None

    def _score_candidates(self, vectors, time):
        stories = self.candidates(vectors)
        if not stories:
            return []
        rows = self._feature_rows(vectors, time, stories)
        rank = rows @ self._rank_weights
        p = self.gbt.predict_proba(extra(rows, self._rank_weights))[:, 1]
        order = np.argsort(-rank, kind="stable")
        return [(float(rank[i]), float(p[i]), stories[i]) for i in order]


def run(cls, model, tt, bg, **kw):
    c = cls(model, background=bg, **kw)
    a = [c.add_terms(t) for t in tt]
    return [c.resolve(s) for s in a]


tot = {}
for fold in range(3):
    train = [i for i, label in enumerate(labels) if 0 <= buckets[label] != fold]
    test = [i for i, label in enumerate(labels) if buckets[label] == fold]
    model, bg, arrivals = train_on([terms[i] for i in train], [labels[i] for i in train])
    w = np.array(model.ranker_weights)
    pos, neg = [], []
    for a in arrivals:
        if not a.features:
            continue
        X = np.array([[f.get(n, 0.0) for n in FEATURES] for f in a.features])
        E = extra(X, w)
        order = np.argsort(-(X @ w))
        wrong = next((int(i) for i in order if int(i) != a.gold), None)
        if a.gold is not None:
            pos.append(E[a.gold])
        if wrong is not None:
            neg.append(E[wrong])
    Xj = np.array(pos + neg)
    yj = np.r_[np.ones(len(pos)), np.zeros(len(neg))]
    gbt = HistGradientBoostingClassifier(
        max_iter=200, learning_rate=0.05, max_leaf_nodes=15, l2_regularization=1.0, random_state=0
    ).fit(Xj, yj)
    GBTClusterer.gbt = gbt
    tt = [terms[i] for i in test]
    gold = [labels[i] for i in test]
    line = [f"fold {fold}"]
    for th in (0.2, 0.3, 0.4, 0.5, 0.6):
        for merge in (False, True):
            m = replace(model, join_threshold=th)
            f_lin = bcubed(gold, run(OnlineClusterer, m, tt, bg, merge=merge))[2]
            f_gbt = bcubed(gold, run(GBTClusterer, m, tt, bg, merge=merge))[2]
            tot.setdefault((th, merge, "lin"), []).append(f_lin)
            tot.setdefault((th, merge, "gbt"), []).append(f_gbt)
            line.append(f"t{th}{'m' if merge else ''} lin {f_lin * 100:.1f} gbt {f_gbt * 100:.1f}")
    print(" | ".join(line), flush=True)
for k, v in sorted(tot.items()):
    print(k, f"{np.mean(v) * 100:.1f}")
