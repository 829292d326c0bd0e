"""Engines: where the pipeline runs. ``local`` (one process, the default) or ``ray``.

An engine takes a :class:`~storyline.pipeline.Pipeline` (its stages and settings) and inputs
and returns the same :class:`~storyline.model.Report`; only where the work is done changes::

    from storyline.engine import get_engine
    report = get_engine("ray", address="auto").run(Pipeline(settings), ["corpus/"])

The Ray engine is an extra (``pip install 'storyline[ray]'``); asking for it without Ray
installed raises :class:`EngineUnavailable` with that hint.
"""

from __future__ import annotations

from typing import Any

from storyline.engine.local import LocalEngine
from storyline.engine.ray_engine import INSTALL_HINT, EngineUnavailable, RayEngine
from storyline.engine.shards import write_story_shards

ENGINES = ("local", "ray")


def get_engine(name: str = "local", *, address: str | None = None, **options: Any) -> Any:
    """The engine called ``name``; ``address`` and ``options`` are for the Ray engine."""
    if name == "local":
        if address:
            raise ValueError("--address is for the ray engine (--engine ray)")
        return LocalEngine()
    if name == "ray":
        return RayEngine(address, **options)
    raise ValueError(f"unknown engine {name!r} (engines: {', '.join(ENGINES)})")


__all__ = [
    "ENGINES",
    "INSTALL_HINT",
    "EngineUnavailable",
    "LocalEngine",
    "RayEngine",
    "get_engine",
    "write_story_shards",
]
