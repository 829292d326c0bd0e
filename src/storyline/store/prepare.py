"""What ingest does to each article before the store's state is involved, on every core.

Cleaning, the MinHash signature and the clusterer's term counts depend on the article alone,
and they are most of an article's cost; the writer's work (the known-input check, the copy
lookup against the store, the clusterer's decision, the inserts) depends on everything before
it and stays in one process. So :func:`prepared` hands articles in chunks to a pool of worker
processes and yields their results in the input order, a few chunks ahead of the writer: the
store ends up exactly as a one-process run leaves it, whatever the number of workers.

Workers are forked (nothing to import again), never touch the database, close their copy of
the writer lock, and exit when the ingesting process dies (kill -9 included).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storyline.model import Article, Problem, content_id
from storyline.pipeline import Pipeline
from storyline.settings import Settings

log = logging.getLogger(__name__)

CHUNK = 32  # articles per task: enough to pay for the round trip, small enough to keep order
# The first tasks are smaller (4, 8, 16 articles, then CHUNK): the writer, idle until the
# first results come back, starts after 4 articles' work instead of 32 (~0.15 s an ingest).
FIRST_CHUNK = 4
AHEAD = 3  # chunks in flight per worker: the writer never waits, memory stays bounded
MIN_ARTICLES = 4 * CHUNK  # below this a pool costs more than it saves


def raw_id(article: Article) -> str:
    """An input is the same input when its content and who ran it are: the same wire text
    from another outlet is a copy to record, not something already known."""
    return content_id(f"{article.id}\n{article.outlet or ''}\n{article.url or ''}", prefix="r")


@dataclass
class Prepared:
    """One input article made ready: cleaned (or rejected), its signature and term counts."""

    raw_id: str
    article: Article | None  # cleaned; None when rejected
    problems: list[Problem] = field(default_factory=list)
    signature: np.ndarray | None = None  # MinHash hash values of the cleaned text
    features: Any = None  # the stream clusterer's features (its ``features(article)``)
    # Whether the store was asked if it knew this input when it was sent off (``prepared``'s
    # ``skip``): then the writer only checks the inputs it has written since.
    checked: bool = False


class Preparer:
    """Everything per article that needs no store: the pipeline's cleaning, the signature."""

    def __init__(self, settings: Settings, pipeline: Pipeline | None = None) -> None:
        from storyline.store.clustering import featurizer
        from storyline.store.lsh import Signer

        self.pipeline = pipeline or Pipeline(settings)
        self.signer = Signer(settings.dedupe.permutations) if settings.dedupe.enabled else None
        self.featurize = featurizer(settings)

    def __call__(self, article: Article) -> Prepared:
        prepared = Prepared(raw_id=raw_id(article), article=None)
        try:
            ready, prepared.problems = self.pipeline.prepare([article])
        except Exception as error:  # one broken article never aborts the batch
            log.debug("preparing %s failed", article.source or article.id, exc_info=True)
            source = article.source or article.id
            prepared.problems = [Problem(source=source, reason=str(error))]
            return prepared
        if not ready:
            return prepared
        cleaned = prepared.article = ready[0]
        if self.signer is not None:
            prepared.signature = self.signer.values(cleaned.text)
        if self.featurize is not None:
            prepared.features = self.featurize(cleaned)
        return prepared


_worker: Preparer | None = None


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)  # the ingesting process is gone: nothing to hand results to


def detach_worker(parent: int, close: tuple[int, ...]) -> None:
    """In a forked worker of the writer: let go of the writer lock's descriptors (only the
    writer may hold it) and exit when the writer is gone."""
    for descriptor in close:
        with contextlib.suppress(OSError):
            os.close(descriptor)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _start_worker(settings: Settings, parent: int, close: tuple[int, ...]) -> None:
    global _worker
    detach_worker(parent, close)
    _worker = Preparer(settings)


def _prepare_chunk(articles: list[Article]) -> list[Prepared]:
    assert _worker is not None
    return [_worker(article) for article in articles]


def _warm(settings: Settings) -> None:
    """Load here, before the workers are forked, what each would otherwise load on its first
    article (the line model's trees, the stemmer, the inference modules): forked workers
    share it, and an ingest stops paying it once per worker (~0.3 s of CPU each)."""
    import storyline.clean.date_inference
    import storyline.clean.outlet_inference  # noqa: F401
    from storyline.text.tokens import stem

    if settings.clean.enabled and settings.clean.method == "storyline":
        from storyline.clean.model import default_model

        default_model()
    stem("warming")


def _chunks(articles: list[Article]) -> Generator[list[Article], None, None]:
    """The input in order, in tasks of FIRST_CHUNK articles doubling up to CHUNK."""
    start, size = 0, FIRST_CHUNK
    while start < len(articles):
        yield articles[start : start + size]
        start += size
        size = min(2 * size, CHUNK)


def default_workers() -> int:
    """Worker processes for a large ingest: one per core (the writer shares them)."""
    return max(1, min(os.cpu_count() or 1, 8))


def prepared(
    articles: list[Article],
    settings: Settings,
    *,
    workers: int,
    skip: Callable[[Article], bool] | None = None,
    close: tuple[int, ...] = (),
    pipeline: Pipeline | None = None,
) -> Generator[tuple[Article, Prepared | None], None, None]:
    """Each article with its :class:`Prepared` (None where ``skip`` says it is known), in order.

    ``skip`` is asked before an article is sent off (an input already in the store costs
    nothing), and the results say so (``checked``): the writer then only checks the inputs it
    wrote since. With ``workers`` <= 1 or a small input everything runs here, lazily, one
    article at a time.
    """
    asked = skip is not None
    known_input = skip or (lambda article: False)

    def made(result: Prepared) -> Prepared:
        result.checked = asked
        return result

    if (
        workers <= 1
        or len(articles) < MIN_ARTICLES
        or "fork" not in (multiprocessing.get_all_start_methods())
    ):
        preparer = Preparer(settings, pipeline)
        for article in articles:
            yield article, None if known_input(article) else made(preparer(article))
        return
    _warm(settings)
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(settings, os.getpid(), close),
    )
    pending: deque[tuple[list[Article], list[bool], Future[list[Prepared]]]] = deque()
    chunks = _chunks(articles)
    # The workers are forked at the first submit. Frozen, the writer's objects (the store's
    # clusterer, the input) are never walked by a worker's garbage collector, which would
    # copy every page it touches and cost CPU for objects a worker never uses.
    gc.freeze()
    frozen = True
    try:
        while True:
            while len(pending) < AHEAD * workers:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                known = [known_input(article) for article in chunk]
                todo = [a for a, k in zip(chunk, known, strict=True) if not k]
                pending.append((chunk, known, pool.submit(_prepare_chunk, todo)))
                if frozen:  # forked: the writer collects its own garbage again
                    gc.unfreeze()
                    frozen = False
            if not pending:
                return
            chunk, known, future = pending.popleft()
            results = iter(future.result())
            for article, is_known in zip(chunk, known, strict=True):
                yield article, None if is_known else made(next(results))
    finally:
        if frozen:
            gc.unfreeze()
        for *_, future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["Prepared", "Preparer", "default_workers", "detach_worker", "prepared", "raw_id"]
