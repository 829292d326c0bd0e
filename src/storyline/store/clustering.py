"""The clusterer the store feeds one article at a time, and how its state is kept.

The store needs three things of a clusterer: ``add(article) -> story key``, ``state() ->
bytes`` and ``load(bytes)``. :class:`CentroidStream` adapts the centroid
:class:`~storyline.cluster.StoryClusterer`, :class:`OnlineStream` the online clusterer (the
default); any other registered clusterer with ``add`` and
a ``save``/``load`` (or ``state``/``load``) pair, such as the online clusterer, is used as it
is through :class:`RegisteredStream`.

The state is checkpointed now and then (a file beside the database, :mod:`.checkpoint`), not
after every batch: it grows with the store, so writing it per batch would make each batch
cost the whole store. Every committed article records its story, and the checkpoint records
the last article it has seen, so on opening the store the articles committed after the
checkpoint are added again in the order they came. Adding is deterministic, so they land in
the stories they were given, and the clusterer is exactly where it was when the last batch
committed, kill -9 included.
"""

from __future__ import annotations

import io
import json
import pickle
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any, Protocol

from storyline import stages
from storyline.cluster import StoryClusterer
from storyline.model import Article
from storyline.settings import Settings


class StreamClusterer(Protocol):
    name: str

    def add(self, article: Article, features: Any = None) -> str:
        """The article's story key; ``features`` are what :func:`featurizer` made of it
        (in a worker process), when the clusterer has such a step."""
        ...

    def state(self) -> bytes: ...

    def load(self, state: bytes) -> None: ...


class CentroidStream:
    """The centroid clusterer: story keys are its story indices, its state compact JSON."""

    name = "centroid"

    def __init__(self, settings: Settings) -> None:
        self.clusterer = StoryClusterer(threshold=settings.cluster.threshold)

    def add(self, article: Article, features: Any = None) -> str:
        return str(self.clusterer.add(article))

    def state(self) -> bytes:
        c = self.clusterer
        # Members are not part of the state: the store keeps them; only their count matters.
        data = {
            "threshold": c.threshold,
            "seen": c._seen,
            "stories": len(c.members),
            "df": dict(c._document_frequency),
            "norms": c._squared_norms,
            "index": dict(c._index),
        }
        # Pickle of plain dicts, lists and numbers: 15x faster than JSON for a big index.
        # It is read back by _plain_loads, which refuses every class, so a store file can
        # never make storyline run code.
        return zlib.compress(pickle.dumps(data, protocol=5), 1)

    def load(self, state: bytes) -> None:
        data = _plain_loads(zlib.decompress(state))
        c = StoryClusterer(threshold=data["threshold"])
        c._seen = data["seen"]
        c._document_frequency = Counter(data["df"])
        c._squared_norms = list(data["norms"])
        c.members = [[] for _ in range(data["stories"])]
        c._index = defaultdict(dict, data["index"])
        self.clusterer = c


class OnlineStream:
    """The online clusterer (:mod:`storyline.cluster.online`): its state is its own JSON.

    Merging two open stories is switched off here: the store keeps each article's story as
    it was given, and a later merge would have to move rows already committed (not done
    yet), so a story the batch run would merge stays two stories in a store.
    """

    name = "online"

    def __init__(self, settings: Settings) -> None:
        from storyline.cluster.online import OnlineClusterer

        self.clusterer = OnlineClusterer(merge=False)

    def add(self, article: Article, features: Any = None) -> str:
        if features is not None:  # the term counts, made where the article was cleaned
            return self.clusterer.add_terms(features)
        return self.clusterer.add(article)

    def state(self) -> bytes:
        # Binary (an .npz of arrays, no pickle): a big window's JSON took ~20 s to write.
        return self.clusterer.to_bytes()

    def load(self, state: bytes) -> None:
        from storyline.cluster.online import OnlineClusterer

        source = "the store's clusterer state"
        if state[:2] == b"PK":  # the .npz (zip) form
            self.clusterer = OnlineClusterer.from_bytes(state, source=source)
            return
        data = json.loads(zlib.decompress(state))  # stores written before: zlib'd JSON
        self.clusterer = OnlineClusterer.from_state(data, source=source)


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(
            f"clusterer state may hold plain data only, not {module}.{name}"
        )


def _plain_loads(data: bytes) -> Any:
    return _PlainUnpickler(io.BytesIO(data)).load()


class RegisteredStream:
    """A registered clusterer that adds one article at a time and saves its own state."""

    def __init__(self, name: str, clusterer: Any) -> None:
        self.name = name
        self.clusterer = clusterer

    def add(self, article: Article, features: Any = None) -> str:
        return str(self.clusterer.add(article))

    def state(self) -> bytes:
        saver = getattr(self.clusterer, "save", None) or self.clusterer.state
        value = saver()
        return value if isinstance(value, bytes) else json.dumps(value).encode()

    def load(self, state: bytes) -> None:
        loaded = self.clusterer.load(state)
        if loaded is not None:  # a classmethod-style load returns the restored clusterer
            self.clusterer = loaded


def featurizer(settings: Settings) -> Callable[[Article], Any] | None:
    """The per-article step of the store's clusterer that needs no state (None if it has
    none): the online clusterer's term counts, which ingest computes on other cores."""
    if settings.cluster.method == "online":
        return _packed_terms
    return None


def _packed_terms(article: Article) -> Any:
    """The online clusterer's terms of an article without the raw counts: the clusterer reads
    the packed arrays and the time only, and the counts (Counters of every term, nine
    groups) were most of what the writer spent unpickling a worker's result."""
    from storyline.cluster.features import ArticleTerms, article_terms

    terms = article_terms(article)
    return ArticleTerms(counts={}, time=terms.time, packed=terms.pack())


def stream_clusterer(settings: Settings) -> StreamClusterer:
    """The clusterer ``settings.cluster.method`` names, as the store drives it."""
    method = settings.cluster.method
    if method == "centroid":
        return CentroidStream(settings)
    if method == "online":
        return OnlineStream(settings)
    clusterer = stages.resolve("clusterer", method)
    missing = [m for m in ("add", "load") if not callable(getattr(clusterer, m, None))]
    if not (
        callable(getattr(clusterer, "save", None)) or callable(getattr(clusterer, "state", None))
    ):
        missing.append("save")
    if missing:
        raise ValueError(
            f"clusterer {method!r} cannot feed a store: it lacks {', '.join(missing)}() "
            "(a store adds one article at a time and keeps the clusterer's state)"
        )
    return RegisteredStream(method, clusterer)
