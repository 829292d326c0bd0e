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
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from storyline.store import history
from storyline.store.prepare import detach_worker

if TYPE_CHECKING:
    from storyline.model import Article, Story
    from storyline.pipeline import Pipeline
    from storyline.store.core import Store

# The pipeline a worker computes with: the writer's own, inherited by the fork.
_pipeline: Pipeline | None = None


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


def keep_versions(
    store: Store,
    numbers: list[int],
    submit: Callable[[list[Article]], Any],
    result: Callable[[Any], Story],
    window: int,
    progress: Callable[[str, int, int], None] | None = None,
) -> int:
    """Keep the current version of each story of ``numbers`` that lacks one, in that order,
    each computed elsewhere: ``submit(originals)`` sends one off and ``result(handle)`` waits
    for it. At most ``window`` are in flight, so memory holds the originals and versions of a
    few stories. Returns how many versions were kept."""
    pending: deque[tuple[int, str, str, Any]] = deque()
    kept = 0

    def keep_oldest() -> None:
        nonlocal kept
        number, members, as_of, handle = pending.popleft()
        history.keep(store, number, result(handle), members, as_of)
        kept += 1

    for step, number in enumerate(numbers):
        if progress:
            progress("summarize", step, len(numbers))
        job = history.stale(store, number)
        if job is None:
            continue
        articles, members, as_of = job
        pending.append((number, members, as_of, submit(articles)))
        if len(pending) >= window:
            keep_oldest()
    while pending:
        keep_oldest()
    if progress:
        progress("summarize", len(numbers), len(numbers))
    return kept


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
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=detach_worker,
        initargs=(os.getpid(), store._lock.descriptors()),
    )
    # The biggest stories first: a story's version is one task, so the last big one sent
    # would leave the other workers idle while it runs (longest-processing-time order).
    biggest_first = sorted(numbers, key=lambda n: (-_originals(store, n), n))
    try:
        keep_versions(
            store,
            biggest_first,
            lambda articles: pool.submit(_compute, articles),
            Future.result,
            2 * workers,
            progress,
        )
    finally:  # an error: the stories not yet started are cancelled
        pool.shutdown(wait=True, cancel_futures=True)
        _pipeline = None


__all__ = ["keep_versions", "refresh_stories"]
