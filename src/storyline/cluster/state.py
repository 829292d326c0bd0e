"""The online clusterer's open stories and its state as plain JSON (save, load).

The state (:data:`STATE_FORMAT`, version 1) holds the settings, the counts, the document
frequencies of every term, the merges and, per open story (least recently updated first, the
expiry order), its summed vectors per group as ``{term: weight}``, the groups' squared norms
as summed, its dates and size. Term ids are not saved: they are given again in the order of
the saved document frequencies, so a loaded clusterer numbers its terms as the saved one did
and goes on to the very same floating-point sums.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
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

    def to_state(self, vectors: bool = True) -> dict[str, Any]:
        """Plain JSON: settings, counts, IDF table, merges and the active stories' sums
        (``vectors=False``: without the IDF table and the sums, which :meth:`to_bytes` keeps
        as arrays)."""
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
                k: v.counts() if vectors else {}
                for k, v in zip(KINDS, self.vocabularies, strict=True)
            },
            "merged_into": self.merged_into,
            "stories": [  # least recently updated first: the expiry order
                {
                    "id": s.id,
                    "size": s.size,
                    "vectors": self._story_vectors(s) if vectors else {},
                    # Kept as summed (not recomputed on load), so a loaded clusterer goes on
                    # to the very same floating-point numbers as one that never stopped.
                    "squared_norms": {
                        g: float(s.vectors.squared_norms[GROUP_INDEX[g]])
                        for g in (self._groups if vectors else ())
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

    # -- the same state, binary (what the store keeps) ---------------------------------------

    def to_bytes(self) -> bytes:
        """The state as an ``.npz`` archive: the JSON fields without the two big ones, and the
        document frequencies and story sums as arrays (term ids as they are, with the terms in
        id order). Tens of times faster to write and read than :meth:`to_state` as JSON for a
        big window; loaded by :meth:`from_bytes` without pickle."""
        state = self.to_state(vectors=False)
        arrays: dict[str, np.ndarray] = {}
        for kind, vocabulary in zip(KINDS, self.vocabularies, strict=True):
            encoded = [term.encode() for term in vocabulary.terms]  # any character, "\n" too
            arrays[f"terms_{kind}"] = np.frombuffer(b"".join(encoded), np.uint8)
            arrays[f"term_lengths_{kind}"] = np.array([len(t) for t in encoded], dtype=np.int64)
            arrays[f"frequency_{kind}"] = vocabulary.frequency[: len(vocabulary.terms)]
        stories = list(self.stories.values())
        arrays["lengths"] = np.array([len(s.vectors.keys) for s in stories], dtype=np.int64)
        arrays["keys"] = np.concatenate([np.zeros(0, np.int64), *(s.vectors.keys for s in stories)])
        arrays["weights"] = np.concatenate([np.zeros(0), *(s.vectors.weights for s in stories)])
        arrays["norms"] = np.array([s.vectors.squared_norms for s in stories]).reshape(
            -1, len(GROUPS)
        )
        arrays["header"] = np.frombuffer(json.dumps(state).encode(), np.uint8)
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, source: str = "clusterer state") -> Any:
        try:
            archive = np.load(io.BytesIO(data), allow_pickle=False)
            state = json.loads(archive["header"].tobytes())
            clusterer = cls.from_state(state, source)
            vocabularies = []
            for kind in KINDS:
                text = archive[f"terms_{kind}"].tobytes()
                ends = np.cumsum(archive[f"term_lengths_{kind}"]).tolist()
                vocabulary = Vocabulary()
                vocabulary.terms = [
                    text[start:end].decode() for start, end in zip([0, *ends], ends, strict=False)
                ]
                vocabulary.ids = {term: n for n, term in enumerate(vocabulary.terms)}
                vocabulary.frequency = np.array(archive[f"frequency_{kind}"], dtype=np.int64)
                if not len(vocabulary.frequency):
                    vocabulary.frequency = np.zeros(1024, dtype=np.int64)
                vocabularies.append(vocabulary)
            clusterer.vocabularies = vocabularies
            story_ends = np.cumsum(archive["lengths"]).tolist()
            keys, weights, norms = archive["keys"], archive["weights"], archive["norms"]
            starts = [0, *story_ends]
            for number, story in enumerate(list(clusterer.stories.values())):
                start, end = starts[number], story_ends[number]
                story.vectors.keys = np.array(keys[start:end])
                story.vectors.weights = np.array(weights[start:end])
                story.vectors.squared_norms = np.array(norms[number])
                clusterer._post(story)
        except (OSError, KeyError, IndexError, ValueError, zipfile.BadZipFile) as error:
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
    def load(cls, path: Path) -> Any:
        path = Path(path)
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise ValueError(f"{path}: cannot read clusterer state ({error})") from error
        return cls.from_state(state, str(path))


__all__ = ["STATE_FORMAT", "ActiveStory", "StateMixin"]
