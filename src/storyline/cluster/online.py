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

import math
from collections import OrderedDict

import numpy as np

from storyline.cluster.background import Background, default_background
from storyline.cluster.features import (
    FEATURES,
    FIELDS,
    GROUPS,
    KINDS,
    MAX_BODY_TERMS,
    SECONDS_PER_DAY,
    ArticleTerms,
    article_terms,
    time_features,
)
from storyline.cluster.model import ClusterModel, default_model
from storyline.cluster.state import STATE_FORMAT, ActiveStory, StateMixin
from storyline.cluster.vectors import (
    GROUP_INDEX,
    KEY_GROUPS,
    ArticleVectors,
    PostingIndex,
    Vocabulary,
    cosine_rows,
    vectorize,
)
from storyline.model import Article
from storyline.settings import Settings
from storyline.stages import Clustered, register

RETRIEVAL_GROUP = "stems_all"
RETRIEVAL = GROUP_INDEX[RETRIEVAL_GROUP]
RETRIEVAL_TERMS = 25  # heaviest article terms probed in the inverted index
CANDIDATES = 8  # stories scored in full per article
# The time features' columns in FEATURES order; the story's inverse size is the last.
_TIME = slice(len(GROUPS), len(GROUPS) + 4)
# Terms kept per group: the heaviest MAX_BODY_TERMS of a body or of all; a title is short.
_LIMITS = np.array([1 << 30 if g.endswith("_title") else MAX_BODY_TERMS for g in GROUPS])


class OnlineClusterer(StateMixin):
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
        self.window_days = window_days
        self.max_idle_articles = max_idle_articles
        self.max_active = max_active
        self.merge = merge
        self.clock: float | None = None
        background = background if background is not None else default_background()
        self.seen = background.articles
        # Copies: the stream's counts go on top of the background's, never into it.
        self.vocabularies = [Vocabulary(background.document_frequency[k]) for k in KINDS]
        self.stories: OrderedDict[str, ActiveStory] = OrderedDict()  # least recently updated first
        self.merged_into: dict[str, str] = {}  # story id -> the story that absorbed it
        # Stories placed by follow(), so a replay can reopen one the window closed; a replay's
        # working memory only, never saved with the state.
        self._followed: dict[str, ActiveStory] = {}
        self._next_story = 0
        self._index = PostingIndex()  # retrieval term id -> story slots and weights
        self._slots: list[ActiveStory | None] = []
        self._free_slots: list[int] = []
        self._retrieval_norms = np.zeros(64)  # per slot: |story|^2 of the retrieval group
        self._numbers = np.zeros(64, dtype=np.int64)  # per slot: the story's number
        self._set_model(model or default_model())

    def _set_model(self, model: ClusterModel) -> None:
        self.model = model
        used = set(model.used)
        self._groups = [g for g in (f"{k}_{f}" for k in KINDS for f in FIELDS) if g in used]
        if RETRIEVAL_GROUP not in self._groups:
            self._groups.append(RETRIEVAL_GROUP)  # always kept: the index is built on it
        self._used = np.zeros(len(GROUPS), dtype=bool)
        self._used[[GROUP_INDEX[g] for g in self._groups]] = True
        # The weights in FEATURES order, so that a candidate's features are one row.
        position = {name: n for n, name in enumerate(FEATURES)}
        self._rank_weights = np.zeros(len(FEATURES))
        self._join_weights = np.zeros(len(FEATURES))
        weights = zip(model.features, model.ranker_weights, model.join_weights, strict=True)
        for name, rank, join in weights:
            self._rank_weights[position[name]] = rank
            self._join_weights[position[name]] = join

    # -- one article -------------------------------------------------------------------------

    def add(self, article: Article) -> str:
        """Assign one article to a story (an existing one or a new one); its story id."""
        return self.add_terms(article_terms(article))

    def add_terms(self, terms: ArticleTerms) -> str:
        vectors = self.arrive(terms)
        scored = self._score_candidates(vectors, terms.time)
        chosen: ActiveStory | None = None
        if scored:
            _, best_probability, best = scored[0]
            if best_probability >= self.model.join_threshold:
                chosen = best
        story = self.place(vectors, terms.time, chosen)
        if self.merge and chosen is not None:
            story = self._maybe_merge(story, scored[1:])
        return story.id

    def follow(self, article: Article, story_id: str | None) -> str:
        """Put an article into the story ``story_id`` (a new one when None) without deciding:
        a labelled replay (the partitioned run's second pass, :mod:`storyline.engine.history`).
        A story the window closed meanwhile is reopened, as :meth:`place` does."""
        terms = article_terms(article)
        vectors = self.arrive(terms)
        story = self.place(vectors, terms.time, self._followed.get(story_id) if story_id else None)
        self._followed[story.id] = story
        return story.id

    def arrive(self, terms: ArticleTerms) -> ArticleVectors:
        """Count an article into the IDF and the clock, close stale stories; its vectors."""
        vectors = self._vectorize(terms)
        if terms.time is not None:
            self.clock = terms.time if self.clock is None else max(self.clock, terms.time)
        self._expire()
        return vectors

    def place(
        self, vectors: ArticleVectors, time: float | None, story: ActiveStory | None
    ) -> ActiveStory:
        """Put an arrived article into ``story`` (a new story when None); that story.

        The clusterer's own decision is :meth:`add`; a labelled replay (training) places each
        article in its gold story instead.
        """
        reopened = False
        if story is None:
            story = ActiveStory(f"s{self._next_story}")
            self._next_story += 1
            self._open(story)
        elif story.id not in self.stories:  # closed by the window: a replay may reopen it
            self._open(story)
            reopened = True
        else:
            self.stories.move_to_end(story.id)
        positions = story.vectors.add(vectors)
        story.size += 1
        story.last_arrival = self.seen
        story.add_time(time)
        if reopened:
            self._post(story)
        else:  # only the article's own terms changed weight in the story: re-post just those
            mine = vectors.groups == RETRIEVAL
            ids = (vectors.keys[mine] // KEY_GROUPS).tolist()
            self._index.set(story.slot, ids, story.vectors.weights[positions[mine]].tolist())
            self._retrieval_norms[story.slot] = story.vectors.squared_norms[RETRIEVAL]
        return story

    def _vectorize(self, terms: ArticleTerms) -> ArticleVectors:
        self.seen += 1
        used = None if self._used.all() else self._used  # None: every group, no mask to apply
        return vectorize(terms.pack(), self.vocabularies, self.seen, used, _LIMITS, RETRIEVAL)

    def _score_candidates(
        self, vectors: ArticleVectors, time: float | None
    ) -> list[tuple[float, float, ActiveStory]]:
        """(rank score, join probability, story) of the candidate stories, best first."""
        stories = self.candidates(vectors)
        if not stories:
            return []
        rows = self._feature_rows(vectors, time, stories)
        rank = rows @ self._rank_weights
        z = rows @ self._join_weights + self.model.join_bias
        probability = np.where(z > -50, 1.0 / (1.0 + np.exp(-np.maximum(z, -50.0))), 0.0)
        order = np.argsort(-rank, kind="stable")
        return [(float(rank[i]), float(probability[i]), stories[i]) for i in order]

    def _feature_rows(
        self, vectors: ArticleVectors, time: float | None, stories: list[ActiveStory]
    ) -> np.ndarray:
        rows = np.empty((len(stories), len(FEATURES)))
        rows[:, : len(GROUPS)] = cosine_rows(vectors, [s.vectors for s in stories])
        # The time kernels and the size of every story as one array (the same numbers):
        # two numpy assignments a story cost more than computing them.
        rows[:, _TIME.start :] = [
            (*time_features(time, s.newest, s.oldest, s.mean_time()), 1.0 / min(s.size, 100))
            for s in stories
        ]
        return rows

    def candidates(self, vectors: ArticleVectors) -> list[ActiveStory]:
        """The active stories sharing the most weight with the article's heaviest stems."""
        slots, dots = self._index.dots(*vectors.heaviest(RETRIEVAL_TERMS))
        if not len(slots):
            return []
        norms = self._retrieval_norms[slots]
        scores = dots / np.sqrt(np.where(norms > 0, norms, 1.0))
        if len(scores) > CANDIDATES:
            # Everything scoring at least the CANDIDATES-th best (ties included), then sorted.
            floor = np.partition(scores, len(scores) - CANDIDATES)[len(scores) - CANDIDATES]
            keep = np.flatnonzero(scores >= floor)
            slots, scores = slots[keep], scores[keep]
        order = np.lexsort((self._numbers[slots], -scores))[:CANDIDATES]
        return [self._slots[slot] for slot in slots[order].tolist()]  # type: ignore[misc]

    def features(
        self, vectors: ArticleVectors, time: float | None, story: ActiveStory
    ) -> dict[str, float]:
        """The named features of an article (its vectors and time) against one story."""
        row = self._feature_rows(vectors, time, [story])[0].tolist()
        values = {group: row[GROUP_INDEX[group]] for group in self._groups}
        values.update(zip(FEATURES[len(GROUPS) :], row[len(GROUPS) :], strict=True))
        return values

    def _maybe_merge(
        self, story: ActiveStory, others: list[tuple[float, float, ActiveStory]]
    ) -> ActiveStory:
        for _, probability, other in others:
            if probability < self.model.merge_probability or other.id not in self.stories:
                continue
            ids, weights = story.vectors.group(RETRIEVAL)
            other_ids, other_weights = other.vectors.group(RETRIEVAL)
            _, mine, theirs = np.intersect1d(
                ids, other_ids, assume_unique=True, return_indices=True
            )
            dot = float(weights[mine] @ other_weights[theirs])
            norms = float(
                story.vectors.squared_norms[RETRIEVAL] * other.vectors.squared_norms[RETRIEVAL]
            )
            if norms <= 0 or dot / math.sqrt(norms) < self.model.merge_cosine:
                continue
            keep, gone = (story, other) if story.size >= other.size else (other, story)
            self._close(gone)
            keep.absorb(gone)
            self.merged_into[gone.id] = keep.id
            self._post(keep)
            self.stories.move_to_end(keep.id)
            story = keep
        return story

    # -- the active window -------------------------------------------------------------------

    def _open(self, story: ActiveStory) -> None:
        if self._free_slots:
            story.slot = self._free_slots.pop()
        else:
            story.slot = len(self._slots)
            self._slots.append(None)
            if story.slot >= len(self._retrieval_norms):
                self._retrieval_norms = np.resize(self._retrieval_norms, 2 * story.slot)
                self._numbers = np.resize(self._numbers, 2 * story.slot)
        self._slots[story.slot] = story
        self._numbers[story.slot] = story.number
        self.stories[story.id] = story

    def _post(self, story: ActiveStory) -> None:
        """Post every retrieval term of the story in the index (after a merge or a reopen)."""
        ids, weights = story.vectors.group(RETRIEVAL)
        self._index.set(story.slot, ids.tolist(), weights.tolist())
        self._retrieval_norms[story.slot] = story.vectors.squared_norms[RETRIEVAL]

    def _close(self, story: ActiveStory) -> None:
        """Take a story out of the candidates: out of the index, its slot freed."""
        ids, _ = story.vectors.group(RETRIEVAL)
        self._index.remove(story.slot, ids.tolist())
        self._slots[story.slot] = None
        self._retrieval_norms[story.slot] = 0.0
        self._free_slots.append(story.slot)
        story.slot = -1
        del self.stories[story.id]

    def _expire(self) -> None:
        window = None if self.window_days is None else self.window_days * SECONDS_PER_DAY
        while self.stories:
            story = next(iter(self.stories.values()))
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
            self._close(story)

    def resolve(self, story_id: str) -> str:
        """The id a story goes by now (after merges)."""
        while story_id in self.merged_into:
            story_id = self.merged_into[story_id]
        return story_id


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
