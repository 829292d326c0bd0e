"""Online story clustering after Miranda et al. 2018, with story merging and an active window.

Each arriving article (:meth:`OnlineClusterer.add`):

1. is turned into unit TF-IDF vectors per term group (:mod:`storyline.cluster.features`), IDF
   from the stream seen so far;
2. finds candidate stories through an inverted index over the stems of the *active* stories,
   probing only its heaviest terms, and keeps the best few by that partial dot product;
3. gets one feature vector per candidate (a cosine per group, time kernels, story size); the
   learned ranker picks the best candidate and the learned join classifier decides whether
   the article joins it or starts a new story (:mod:`storyline.cluster.model`);
4. when the article also fits the runner-up story almost as surely and the two stories'
   centroids have converged, the two stories are merged (a split story healing itself).

Stories leave the candidate set when their newest article is more than ``window_days`` older
than the stream's clock, when ``max_idle_articles`` articles arrived since their last update,
or when more than ``max_active`` stories are open (the least recently updated goes): cost and
memory are bounded by the active window, not by the archive. Closed stories keep their ids
(``add`` returned them) but are no longer reachable.

State (:meth:`to_state` / :meth:`from_state`, :meth:`save` / :meth:`load`) is plain JSON; see
:data:`STATE_FORMAT` and :meth:`to_state` for the fields.
"""

from __future__ import annotations

import heapq
import json
import math
import os
import tempfile
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from storyline.cluster.background import Background, default_background
from storyline.cluster.features import (
    FIELDS,
    KINDS,
    MAX_BODY_TERMS,
    SECONDS_PER_DAY,
    ArticleTerms,
    article_terms,
    inverse_document_frequency,
    sparse_dot,
    time_features,
    weigh,
)
from storyline.cluster.model import ClusterModel, default_model
from storyline.model import Article
from storyline.settings import Settings
from storyline.stages import Clustered, register

STATE_FORMAT = "storyline-online-clusterer"
RETRIEVAL_GROUP = "stems_all"
RETRIEVAL_TERMS = 25  # heaviest article terms probed in the inverted index
CANDIDATES = 8  # stories scored in full per article


@dataclass
class _Story:
    id: str
    size: int = 0
    vectors: dict[str, dict[str, float]] = field(default_factory=dict)  # group -> summed units
    squared_norms: dict[str, float] = field(default_factory=dict)
    oldest: float | None = None
    newest: float | None = None
    time_sum: float = 0.0
    dated: int = 0
    last_arrival: int = 0

    def add(self, vectors: dict[str, dict[str, float]], time: float | None, arrival: int) -> None:
        for group, vector in vectors.items():
            story_vector = self.vectors.setdefault(group, {})
            dot = sparse_dot(vector, story_vector)
            # |s + v|^2 = |s|^2 + 2 s.v + |v|^2 with |v| = 1 (or 0 for an empty group)
            unit = 1.0 if vector else 0.0
            self.squared_norms[group] = self.squared_norms.get(group, 0.0) + 2 * dot + unit
            for term, weight in vector.items():
                story_vector[term] = story_vector.get(term, 0.0) + weight
        self.size += 1
        self.last_arrival = arrival
        if time is not None:
            self.oldest = time if self.oldest is None else min(self.oldest, time)
            self.newest = time if self.newest is None else max(self.newest, time)
            self.time_sum += time
            self.dated += 1

    def absorb(self, other: _Story) -> None:
        for group, vector in other.vectors.items():
            story_vector = self.vectors.setdefault(group, {})
            for term, weight in vector.items():
                story_vector[term] = story_vector.get(term, 0.0) + weight
            self.squared_norms[group] = sum(w * w for w in story_vector.values())
        self.size += other.size
        self.last_arrival = max(self.last_arrival, other.last_arrival)
        for time in (other.oldest, other.newest):
            if time is not None:
                self.oldest = time if self.oldest is None else min(self.oldest, time)
                self.newest = time if self.newest is None else max(self.newest, time)
        self.time_sum += other.time_sum
        self.dated += other.dated

    def cosine(self, group: str, vector: dict[str, float]) -> float:
        norm = self.squared_norms.get(group, 0.0)
        if not vector or norm <= 0.0:
            return 0.0
        return sparse_dot(vector, self.vectors.get(group, {})) / math.sqrt(norm)

    def mean_time(self) -> float | None:
        return self.time_sum / self.dated if self.dated else None


class OnlineClusterer:
    """Assign articles to stories one at a time; see the module docstring."""

    def __init__(
        self,
        model: ClusterModel | None = None,
        *,
        window_days: float | None = 365.0,
        max_idle_articles: int = 20_000,
        max_active: int = 5_000,
        merge: bool = True,
        background: Background | None = None,
    ) -> None:
        """``background``: document frequencies to start the IDF from (default: the shipped
        ones, :mod:`storyline.cluster.background`); ``Background()`` starts from nothing."""
        self.model = model or default_model()
        self.window_days = window_days
        self.max_idle_articles = max_idle_articles
        self.max_active = max_active
        self.merge = merge
        self.clock: float | None = None
        background = background if background is not None else default_background()
        self.seen = background.articles
        # Copies: the stream's counts go on top of the background's, never into it.
        self.document_frequency = {k: Counter(background.document_frequency[k]) for k in KINDS}
        self.stories: OrderedDict[str, _Story] = OrderedDict()  # least recently updated first
        self.merged_into: dict[str, str] = {}  # story id -> the story that absorbed it
        self._next_story = 0
        self._index: dict[str, dict[str, float]] = {}  # retrieval term -> story id -> weight
        self._set_model(self.model)

    def _set_model(self, model: ClusterModel) -> None:
        self.model = model
        used = set(model.used)
        self._groups = [g for g in (f"{k}_{f}" for k in KINDS for f in FIELDS) if g in used]
        if RETRIEVAL_GROUP not in self._groups:
            self._groups.append(RETRIEVAL_GROUP)  # always kept: the index is built on it

    # -- one article -------------------------------------------------------------------------

    def add(self, article: Article) -> str:
        """Assign one article to a story (an existing one or a new one); its story id."""
        return self.add_terms(article_terms(article))

    def add_terms(self, terms: ArticleTerms) -> str:
        vectors = self.arrive(terms)
        scored = self._score_candidates(vectors, terms.time)
        chosen: _Story | None = None
        if scored:
            _, best_probability, best = scored[0]
            if best_probability >= self.model.join_threshold:
                chosen = best
        story = self.place(vectors, terms.time, chosen)
        if self.merge and chosen is not None:
            story = self._maybe_merge(story, scored[1:])
        return story.id

    def arrive(self, terms: ArticleTerms) -> dict[str, dict[str, float]]:
        """Count an article into the IDF and the clock, close stale stories; its vectors."""
        vectors = self._vectorize(terms)
        if terms.time is not None:
            self.clock = terms.time if self.clock is None else max(self.clock, terms.time)
        self._expire()
        return vectors

    def place(
        self, vectors: dict[str, dict[str, float]], time: float | None, story: _Story | None
    ) -> _Story:
        """Put an arrived article into ``story`` (a new story when None); that story.

        The clusterer's own decision is :meth:`add`; a labelled replay (training) places each
        article in its gold story instead.
        """
        if story is None:
            story = _Story(id=f"s{self._next_story}")
            self._next_story += 1
            self.stories[story.id] = story
        elif story.id not in self.stories:  # closed by the window: a replay may reopen it
            self.stories[story.id] = story
            self._reindex(story)
        else:
            self.stories.move_to_end(story.id)
        story.add(vectors, time, self.seen)
        # Only the article's own terms changed weight in the story: re-post just those.
        story_vector = story.vectors[RETRIEVAL_GROUP]
        index = self._index
        for term in vectors[RETRIEVAL_GROUP]:
            postings = index.get(term)
            if postings is None:
                index[term] = postings = {}
            postings[story.id] = story_vector[term]
        return story

    def _vectorize(self, terms: ArticleTerms) -> dict[str, dict[str, float]]:
        self.seen += 1
        idf = {}
        for kind in KINDS:
            everything = terms.counts[f"{kind}_all"]
            self.document_frequency[kind].update(everything.keys())
            idf[kind] = inverse_document_frequency(
                everything, self.document_frequency[kind], self.seen
            )
        vectors = {}
        for group in self._groups:
            kind = group.split("_", 1)[0]
            limit = None if group.endswith("_title") else MAX_BODY_TERMS
            vectors[group] = weigh(terms.counts[group], idf[kind], limit)
        return vectors

    def _score_candidates(
        self, vectors: dict[str, dict[str, float]], time: float | None
    ) -> list[tuple[float, float, _Story]]:
        """(rank score, join probability, story) of the candidate stories, best first."""
        scored = []
        for story in self.candidates(vectors):
            features = self.features(vectors, time, story)
            scored.append((self.model.rank(features), self.model.join_probability(features), story))
        scored.sort(key=lambda item: -item[0])
        return scored

    def candidates(self, vectors: dict[str, dict[str, float]]) -> list[_Story]:
        """The active stories sharing the most weight with the article's heaviest stems."""
        probe = vectors[RETRIEVAL_GROUP]
        heaviest = sorted(probe.items(), key=itemgetter(1), reverse=True)[:RETRIEVAL_TERMS]
        dots: dict[str, float] = {}
        for term, weight in heaviest:
            for story_id, story_weight in self._index.get(term, {}).items():
                dots[story_id] = dots.get(story_id, 0.0) + weight * story_weight
        stories = self.stories
        top = heapq.nlargest(
            CANDIDATES,
            dots,
            key=lambda s: dots[s] / math.sqrt(stories[s].squared_norms[RETRIEVAL_GROUP] or 1.0),
        )
        return [stories[story_id] for story_id in top]

    def features(
        self, vectors: dict[str, dict[str, float]], time: float | None, story: _Story
    ) -> dict[str, float]:
        """The named features of an article (its vectors and time) against one story."""
        values = {group: story.cosine(group, vectors[group]) for group in self._groups}
        newest, oldest, mean, missing = time_features(
            time, story.newest, story.oldest, story.mean_time()
        )
        values.update(newest_time=newest, oldest_time=oldest, mean_time=mean)
        values["time_missing"] = missing
        values["inverse_size"] = 1.0 / min(story.size, 100)
        return values

    def _maybe_merge(self, story: _Story, others: list[tuple[float, float, _Story]]) -> _Story:
        for _, probability, other in others:
            if probability < self.model.merge_probability or other.id not in self.stories:
                continue
            dot = sparse_dot(
                *sorted((story.vectors[RETRIEVAL_GROUP], other.vectors[RETRIEVAL_GROUP]), key=len)
            )
            norms = story.squared_norms[RETRIEVAL_GROUP] * other.squared_norms[RETRIEVAL_GROUP]
            if norms <= 0 or dot / math.sqrt(norms) < self.model.merge_cosine:
                continue
            keep, gone = (story, other) if story.size >= other.size else (other, story)
            self._unindex(keep)
            self._unindex(gone)
            keep.absorb(gone)
            del self.stories[gone.id]
            self.merged_into[gone.id] = keep.id
            self._reindex(keep)
            self.stories.move_to_end(keep.id)
            story = keep
        return story

    # -- the active window -------------------------------------------------------------------

    def _expire(self) -> None:
        window = None if self.window_days is None else self.window_days * SECONDS_PER_DAY
        while self.stories:
            story_id, story = next(iter(self.stories.items()))
            idle = self.seen - story.last_arrival > self.max_idle_articles
            stale = (
                window is not None
                and story.newest is not None
                and self.clock is not None
                and self.clock - story.newest > window
            )
            # One slot is kept free for the story this article may open.
            if not (idle or stale or len(self.stories) >= self.max_active):
                break
            self._unindex(story)
            del self.stories[story_id]

    def _unindex(self, story: _Story) -> None:
        for term in story.vectors.get(RETRIEVAL_GROUP, {}):
            postings = self._index.get(term)
            if postings is not None:
                postings.pop(story.id, None)
                if not postings:
                    del self._index[term]

    def _reindex(self, story: _Story) -> None:
        for term, weight in story.vectors.get(RETRIEVAL_GROUP, {}).items():
            self._index.setdefault(term, {})[story.id] = weight

    def resolve(self, story_id: str) -> str:
        """The id a story goes by now (after merges)."""
        while story_id in self.merged_into:
            story_id = self.merged_into[story_id]
        return story_id

    # -- state -------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """Plain JSON: settings, counts, IDF table, merges and the active stories' sums."""
        return {
            "format": STATE_FORMAT,
            "version": 1,
            "model": self.model.to_json(),
            "window_days": self.window_days,
            "max_idle_articles": self.max_idle_articles,
            "max_active": self.max_active,
            "merge": self.merge,
            "seen": self.seen,
            "clock": self.clock,
            "next_story": self._next_story,
            "document_frequency": {k: dict(v) for k, v in self.document_frequency.items()},
            "merged_into": self.merged_into,
            "stories": [  # least recently updated first: the expiry order
                {
                    "id": s.id,
                    "size": s.size,
                    "vectors": s.vectors,
                    "oldest": s.oldest,
                    "newest": s.newest,
                    "time_sum": s.time_sum,
                    "dated": s.dated,
                    "last_arrival": s.last_arrival,
                }
                for s in self.stories.values()
            ],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], source: str = "clusterer state") -> OnlineClusterer:
        if state.get("format") != STATE_FORMAT:
            raise ValueError(f"{source}: not a {STATE_FORMAT} state")
        try:
            clusterer = cls(
                ClusterModel.from_json(state["model"], source),
                window_days=state["window_days"],
                max_idle_articles=int(state["max_idle_articles"]),
                max_active=int(state["max_active"]),
                merge=bool(state["merge"]),
                background=Background(),  # the state's own counts replace it below
            )
            clusterer.seen = int(state["seen"])
            clusterer.clock = state["clock"]
            clusterer._next_story = int(state["next_story"])
            clusterer.document_frequency = {
                k: Counter(state["document_frequency"][k]) for k in KINDS
            }
            clusterer.merged_into = dict(state["merged_into"])
            for row in state["stories"]:
                story = _Story(
                    id=row["id"],
                    size=int(row["size"]),
                    vectors={g: dict(v) for g, v in row["vectors"].items()},
                    oldest=row["oldest"],
                    newest=row["newest"],
                    time_sum=float(row["time_sum"]),
                    dated=int(row["dated"]),
                    last_arrival=int(row["last_arrival"]),
                )
                story.squared_norms = {
                    g: sum(w * w for w in v.values()) for g, v in story.vectors.items()
                }
                clusterer.stories[story.id] = story
                clusterer._reindex(story)
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{source}: broken clusterer state ({error!r})") from error
        return clusterer

    def save(self, path: Path) -> None:
        """Write the state as JSON atomically (a crash never leaves half a file)."""
        path = Path(path)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump(self.to_state(), handle)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> OnlineClusterer:
        path = Path(path)
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise ValueError(f"{path}: cannot read clusterer state ({error})") from error
        return cls.from_state(state, str(path))


def cluster_online(
    articles: list[Article], clusterer: OnlineClusterer | None = None
) -> list[list[Article]]:
    """Group articles into stories in arrival order; the biggest story first."""
    clusterer = clusterer or OnlineClusterer()
    assigned = [(clusterer.add(article), article) for article in articles]
    groups: dict[str, list[Article]] = {}
    for story_id, article in assigned:
        groups.setdefault(clusterer.resolve(story_id), []).append(article)
    return sorted(groups.values(), key=len, reverse=True)


@register("clusterer", "online")
class OnlineStageClusterer:
    """The clusterer stage: a fresh :class:`OnlineClusterer` over the run's articles.

    ``settings.cluster.threshold`` is the centroid clusterer's cosine and does not apply here:
    the join decision is the learned classifier's.
    """

    def cluster(self, articles: list[Article], settings: Settings) -> Clustered:
        return Clustered(stories=cluster_online(articles))


__all__ = ["STATE_FORMAT", "OnlineClusterer", "OnlineStageClusterer", "cluster_online"]
