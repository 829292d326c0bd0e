"""The pipeline's stages: one small interface each, implementations registered by name.

A stage is any object with the one method of its interface below; it takes and returns the
typed model of :mod:`storyline.model` and is given the run's :class:`Settings`. Batch stages
(reader, deduper, clusterer) return their problems with their result; per-article and
per-story stages (cleaner, summarizer, comparer) report a problem by raising, and the pipeline
records it against that article or story and goes on with the rest.

Implementations register under a name, so ``Settings`` and the CLI choose them by string, and
a user can add one without touching storyline::

    @stages.register("summarizer", "first-sentences")
    class FirstSentences:
        def summarize(self, story: Story, settings: Settings) -> list[SummarySentence]: ...

    storyline.Pipeline(summarizer="first-sentences")  # or Pipeline(summarizer=FirstSentences())

Every optional stage (dedupe, cluster, compare) has a pass-through registered as ``"none"``.
The built-in implementations register themselves when their stage package is imported;
:mod:`storyline.pipeline` imports them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from storyline.model import (
    Article,
    Comparison,
    DroppedSentence,
    Duplicate,
    Problem,
    Story,
    SummarySentence,
)

if TYPE_CHECKING:
    from storyline.settings import Settings

KINDS = ("reader", "cleaner", "deduper", "clusterer", "summarizer", "comparer")


@dataclass
class Ingested:
    """What a reader returns: the articles it read and the inputs it could not use."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Deduplicated:
    """What a deduper returns: the articles kept, the copies dropped, and any problems."""

    articles: list[Article]
    dropped: list[Duplicate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Clustered:
    """What a clusterer returns: groups of articles, one per story, biggest first."""

    stories: list[list[Article]]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Summarized:
    """What a summarizer may return instead of a bare list, when it has more to say: how the
    summary was made, the sentences it left out and why, problems (an unreachable endpoint,
    a fallback), and a comparison it already computed (the pipeline then reuses it)."""

    summary: list[SummarySentence]
    method: str = "extractive"
    dropped: list[DroppedSentence] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    comparison: Comparison | None = None


@runtime_checkable
class Reader(Protocol):
    def read(self, inputs: Iterable[Any], settings: Settings) -> Ingested: ...


@runtime_checkable
class Cleaner(Protocol):
    def clean(self, article: Article, settings: Settings) -> Article: ...


@runtime_checkable
class Deduper(Protocol):
    def dedupe(self, articles: list[Article], settings: Settings) -> Deduplicated: ...


@runtime_checkable
class Clusterer(Protocol):
    def cluster(self, articles: list[Article], settings: Settings) -> Clustered: ...


@runtime_checkable
class Summarizer(Protocol):
    def summarize(
        self, story: Story, settings: Settings
    ) -> list[SummarySentence] | Summarized: ...


@runtime_checkable
class Comparer(Protocol):
    def compare(self, story: Story, settings: Settings) -> Comparison | None: ...


_INTERFACES: dict[str, type] = {
    "reader": Reader,
    "cleaner": Cleaner,
    "deduper": Deduper,
    "clusterer": Clusterer,
    "summarizer": Summarizer,
    "comparer": Comparer,
}
_METHODS = {
    "reader": "read",
    "cleaner": "clean",
    "deduper": "dedupe",
    "clusterer": "cluster",
    "summarizer": "summarize",
    "comparer": "compare",
}
_REGISTRY: dict[str, dict[str, Callable[[], Any]]] = {kind: {} for kind in KINDS}

T = TypeVar("T")


def register(kind: str, name: str) -> Callable[[T], T]:
    """Register a stage class (or a factory taking no arguments) under ``name``."""
    if kind not in _REGISTRY:
        raise ValueError(f"unknown stage kind {kind!r} (kinds: {', '.join(KINDS)})")

    def add(factory: T) -> T:
        _REGISTRY[kind][name] = factory  # type: ignore[assignment]
        return factory

    return add


def available(kind: str) -> list[str]:
    """The names registered for a kind of stage."""
    return sorted(_REGISTRY[kind])


def resolve(kind: str, stage: Any) -> Any:
    """A stage object from a registered name or an object with the interface's method."""
    if isinstance(stage, str):
        factories = _REGISTRY[kind]
        if stage not in factories:
            known = ", ".join(sorted(factories)) or "none registered"
            raise ValueError(f"unknown {kind} {stage!r} (available: {known})")
        return factories[stage]()
    if not isinstance(stage, _INTERFACES[kind]):
        method = _METHODS[kind]
        raise TypeError(f"a {kind} needs a {method}() method; got {type(stage).__name__}")
    return stage


# The pass-throughs of the optional stages.


@register("deduper", "none")
class KeepAll:
    def dedupe(self, articles: list[Article], settings: Settings) -> Deduplicated:
        return Deduplicated(articles=list(articles))


@register("clusterer", "none")
class OneStory:
    def cluster(self, articles: list[Article], settings: Settings) -> Clustered:
        return Clustered(stories=[list(articles)] if articles else [])


@register("comparer", "none")
class NoComparison:
    def compare(self, story: Story, settings: Settings) -> Comparison | None:
        return None


@register("cleaner", "none")
class AsIs:
    def clean(self, article: Article, settings: Settings) -> Article:
        return article


__all__ = [
    "KINDS",
    "AsIs",
    "Cleaner",
    "Clustered",
    "Clusterer",
    "Comparer",
    "Deduper",
    "Deduplicated",
    "Ingested",
    "KeepAll",
    "NoComparison",
    "OneStory",
    "Reader",
    "Summarized",
    "Summarizer",
    "available",
    "register",
    "resolve",
]
