"""The online clusterer's open stories and its state as plain JSON (save, load).

The state (:data:`STATE_FORMAT`, version 1) holds the settings, the counts, the document
frequencies of every term, the merges and, per open story (least recently updated first, the
expiry order), its summed vectors per group as ``{term: weight}``, the groups' squared norms
as summed, its dates and size. Term ids are not saved: they are given again in the order of
the saved document frequencies, so a loaded clusterer numbers its terms as the saved one did
and goes on to the very same floating-point sums.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from storyline.cluster.background import Background
from storyline.cluster.features import GROUPS, KINDS
from storyline.cluster.model import ClusterModel
from storyline.cluster.vectors import (
    GROUP_INDEX,
    KEY_GROUPS,
    KIND_OF_GROUP,
    StoryVectors,
    Vocabulary,
)

STATE_FORMAT = "storyline-online-clusterer"


class ActiveStory:
    """An open story: its summed vectors, size, dates and where it sits in the index."""

    __slots__ = (
        "dated",
        "id",
        "last_arrival",
        "newest",
        "number",
        "oldest",
        "size",
        "slot",
        "time_sum",
        "vectors",
    )

    def __init__(self, story_id: str) -> None:
        self.id = story_id
        # Candidates that score the same are taken oldest story first, whatever their slots.
        self.number = int(story_id[1:]) if story_id[1:].isdigit() else 0
        self.slot = -1
        self.size = 0
        self.vectors = StoryVectors()
        self.oldest: float | None = None
        self.newest: float | None = None
        self.time_sum = 0.0
        self.dated = 0
        self.last_arrival = 0

    def add_time(self, time: float | None) -> None:
        if time is not None:
            self.oldest = time if self.oldest is None else min(self.oldest, time)
            self.newest = time if self.newest is None else max(self.newest, time)
            self.time_sum += time
            self.dated += 1

    def absorb(self, other: ActiveStory) -> None:
        self.vectors.absorb(other.vectors)
        self.size += other.size
        self.last_arrival = max(self.last_arrival, other.last_arrival)
        for time in (other.oldest, other.newest):
            if time is not None:
                self.oldest = time if self.oldest is None else min(self.oldest, time)
                self.newest = time if self.newest is None else max(self.newest, time)
        self.time_sum += other.time_sum
        self.dated += other.dated

    def mean_time(self) -> float | None:
        return self.time_sum / self.dated if self.dated else None


class StateMixin:
    """to_state / from_state / save / load of :class:`~storyline.cluster.online.OnlineClusterer`."""

    vocabularies: list[Vocabulary]
    stories: Any
    _groups: list[str]

    def _story_vectors(self, story: ActiveStory) -> dict[str, dict[str, float]]:
        vectors = {}
        for name in self._groups:
            group = GROUP_INDEX[name]
            ids, weights = story.vectors.group(group)
            terms = self.vocabularies[KIND_OF_GROUP[group]].terms
            names = [terms[i] for i in ids.tolist()]
            vectors[name] = dict(zip(names, weights.tolist(), strict=True))
        return vectors

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
            "document_frequency": {
                k: v.counts() for k, v in zip(KINDS, self.vocabularies, strict=True)
            },
            "merged_into": self.merged_into,
            "stories": [  # least recently updated first: the expiry order
                {
                    "id": s.id,
                    "size": s.size,
                    "vectors": self._story_vectors(s),
                    # Kept as summed (not recomputed on load), so a loaded clusterer goes on
                    # to the very same floating-point numbers as one that never stopped.
                    "squared_norms": {
                        g: float(s.vectors.squared_norms[GROUP_INDEX[g]]) for g in self._groups
                    },
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
    def from_state(cls, state: dict[str, Any], source: str = "clusterer state") -> Any:
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
            clusterer.vocabularies = [
                Vocabulary(dict(state["document_frequency"][k])) for k in KINDS
            ]
            clusterer.merged_into = dict(state["merged_into"])
            for row in state["stories"]:
                clusterer._restore(row)
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{source}: broken clusterer state ({error!r})") from error
        return clusterer

    def _restore(self, row: dict[str, Any]) -> None:
        story = ActiveStory(str(row["id"]))
        story.size = int(row["size"])
        story.oldest, story.newest = row["oldest"], row["newest"]
        story.time_sum, story.dated = float(row["time_sum"]), int(row["dated"])
        story.last_arrival = int(row["last_arrival"])
        keys, weights = [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
        for name, vector in row["vectors"].items():
            group = GROUP_INDEX[name]
            ids = self.vocabularies[KIND_OF_GROUP[group]].lookup(list(vector))
            keys.append(ids * KEY_GROUPS + group)
            weights.append(np.fromiter(vector.values(), np.float64, len(vector)))
        every_key = np.concatenate(keys)
        order = np.argsort(every_key)
        story.vectors.keys, story.vectors.weights = every_key[order], np.concatenate(weights)[order]
        saved = row.get("squared_norms")
        if saved is None:  # a state written before the norms were kept
            story.vectors.squared_norms = np.bincount(
                story.vectors.keys % KEY_GROUPS,
                weights=story.vectors.weights**2,
                minlength=len(GROUPS),
            )
        else:
            for name, value in saved.items():
                story.vectors.squared_norms[GROUP_INDEX[name]] = float(value)
        self._open(story)
        self._post(story)

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
    def load(cls, path: Path) -> Any:
        path = Path(path)
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise ValueError(f"{path}: cannot read clusterer state ({error})") from error
        return cls.from_state(state, str(path))


__all__ = ["STATE_FORMAT", "ActiveStory", "StateMixin"]
