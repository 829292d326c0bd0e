"""``storyline ingest CORPUS... --engine ray``: the store fed by Ray, its contents unchanged.

The pure work of an ingest (reading, cleaning, MinHash signing; no stage computes embeddings)
runs as Ray Data work (:func:`storyline.engine.prepared.ray_rows`); the store stays the one
sink, in the driver: one SQLite writer, fed the prepared articles in input order through
:meth:`Store.add_prepared`, which makes every decision a local ingest makes (known inputs,
copies against the whole store, the stream clusterer's stories), so the store's contents are
those of ``storyline ingest`` without Ray. The summaries of the stories that changed are
computed on a pool of Ray actors (spaCy loaded once per actor) and kept by the driver.

Memory: the rows stream through (Ray Data holds back the readers when the writer falls
behind); the writer holds one batch; a few stories are being summarized at a time.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from storyline.engine.prepared import PreparedRow, ray_rows
from storyline.engine.ray_engine import ray_session
from storyline.model import Article, Problem, Story
from storyline.pipeline import Pipeline
from storyline.store import Store
from storyline.store.models import IngestResult


class _Teller:
    """A Ray actor that summarizes and compares stories with the store's settings."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def tell(self, articles: list[Article]) -> Story:
        story, _problems = self.pipeline.story(articles)
        return story


def ingest_into_store(
    store: Store,
    inputs: list[Any],
    *,
    address: str | None = None,
    workers: int | None = None,
    batch_size: int = 64,
    summarize: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> IngestResult:
    """Ingest ``inputs`` into ``store`` with Ray doing the reading, cleaning, signing and
    summarizing; URLs are fetched in the driver first (the store's guarded fetcher)."""
    from storyline.ingest.fetch import is_url

    settings = store.settings
    pipeline = store.pipeline
    fetched: list[Any] = []
    problems: list[Problem] = []
    files: list[Any] = []
    for item in inputs:
        if is_url(item):
            articles, found = store._read([item], None)
            fetched.extend(articles)
            problems.extend(found)
        else:
            files.append(item)
    permutations = settings.dedupe.permutations if settings.dedupe.enabled else None
    with ray_session(address, workers) as ray:
        size = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        rows = ray_rows(ray, pipeline, [*files, *fetched], workers=size,
                        permutations=permutations, batch_size=batch_size)
        result = store.add_prepared(
            _articles(rows, problems), progress, summarize=False, stop=stop
        )
        result.rejected[:0] = problems  # read problems first, as a local ingest lists them
        if summarize and not result.stopped:
            summarize_on_ray(ray, store, result.story_ids, size, progress)
    return result


def _articles(rows: Iterable[PreparedRow], problems: list[Problem]) -> Iterator[Any]:
    """The store's items of the rows; a shard's read problems are set aside in ``problems``."""
    for row in rows:
        if row.raw is None:
            problems.extend(row.problems)
            continue
        yield row.raw, row.prepared, row.hashvalues


def summarize_on_ray(
    ray: Any, store: Store, story_ids: list[str], workers: int,
    progress: Callable[[str, int, int], None] | None = None,
) -> int:
    """Compute the stale stories' versions on Ray actors and keep them; returns how many."""
    from storyline.store import queries
    from storyline.store.summaries import keep_versions

    numbers = [queries.story_number(s) for s in story_ids]
    actor = ray.remote(_Teller)
    tellers = [actor.remote(store.pipeline) for _ in range(max(1, min(workers, len(numbers))))]
    sent = itertools.count()

    def submit(articles: list[Article]) -> Any:  # round robin over the actors
        return tellers[next(sent) % len(tellers)].tell.remote(articles)

    return keep_versions(store, numbers, submit, ray.get, 2 * len(tellers), progress)


__all__ = ["ingest_into_store", "summarize_on_ray"]
