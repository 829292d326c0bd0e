"""Keeping the versions of the stories an ingest changed, computed on the store's workers.

Computing a version (``Pipeline.story``: summary and comparison) is most of an ingest that
summarizes: a story of 1,000 articles takes minutes, most of it spaCy's parse. Each story's
version depends on its own originals alone, so the stories go to forked worker processes, a
few at a time, the biggest first, and the writer keeps each version as it comes back: the same
versions :func:`storyline.store.history.refresh` computes one after the other, on every core.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

from storyline.store import history
from storyline.store.prepare import _watch_parent

if TYPE_CHECKING:
    from storyline.model import Article, Story
    from storyline.pipeline import Pipeline
    from storyline.store.core import Store

# The pipeline a worker computes with: the writer's own, inherited by the fork.
_pipeline: Pipeline | None = None


def _start(parent: int, close: tuple[int, ...]) -> None:
    for descriptor in close:  # the writer lock: only the writer may hold it
        with contextlib.suppress(OSError):
            os.close(descriptor)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _warm(store: Store) -> None:
    """Load spaCy here, before the fork, when the comparison will use it: the workers share
    the loaded model instead of each loading it (about a second of CPU each)."""
    settings = store.settings
    if settings.compare.enabled and settings.compare.method == "storyline":
        from storyline.compare import nlp

        with contextlib.suppress(ImportError):  # then the comparer says so, as it would here
            nlp.load()


def _originals(store: Store, number: int) -> int:
    return store.connection.execute(
        "SELECT count(*) FROM articles WHERE story_id = ? AND canonical_id IS NULL", (number,)
    ).fetchone()[0]


def _compute(articles: list[Article]) -> Story:
    assert _pipeline is not None
    story, _problems = _pipeline.story(articles)
    return story


def refresh_stories(
    store: Store,
    numbers: list[int],
    progress: Callable[[str, int, int], None] | None = None,
) -> None:
    """Compute and keep the current version of each story of ``numbers`` that lacks one."""
    workers = min(store.workers, len(numbers))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for step, number in enumerate(numbers):
            if progress:
                progress("summarize", step, len(numbers))
            history.refresh(store, number)
        if progress:
            progress("summarize", len(numbers), len(numbers))
        return
    global _pipeline
    _pipeline = store.pipeline
    _warm(store)
    # A bounded window in flight: memory holds the originals and versions of a few stories.
    pending: deque[tuple[int, str, str, Future[Story]]] = deque()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start,
        initargs=(os.getpid(), store._lock.descriptors()),
    )

    def keep_oldest() -> None:
        number, members, as_of, future = pending.popleft()
        history.keep(store, number, future.result(), members, as_of)

    try:
        # The biggest stories first: a story's version is one task, so the last big one sent
        # would leave the other workers idle while it runs (longest-processing-time order).
        for step, number in enumerate(sorted(numbers, key=lambda n: (-_originals(store, n), n))):
            if progress:
                progress("summarize", step, len(numbers))
            job = history.stale(store, number)
            if job is None:
                continue
            articles, members, as_of = job
            pending.append((number, members, as_of, pool.submit(_compute, articles)))
            if len(pending) >= 2 * workers:
                keep_oldest()
        while pending:
            keep_oldest()
    finally:
        for *_, future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        _pipeline = None
    if progress:
        progress("summarize", len(numbers), len(numbers))


__all__ = ["refresh_stories"]
