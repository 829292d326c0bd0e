"""A story's counts (articles, outlets, dates, first outlets, originals), kept across batches.

Every committed batch recounts the stories its articles joined. Reading a story's sightings
again at every batch cost a large ingest about a millisecond an article (a story of the
store holds hundreds of sightings, and each batch touches a hundred stories), so the writer
reads a story once per ingest (:func:`load`) and then adds what each batch brings to the
tally it keeps (:meth:`StoryTally.add`). The figures are those of a full recount: the order
of the sightings is made total (publication date, NULL last; then when the input was added;
then the article's and the sighting's row numbers: the order SQL's join read them in), so
"which outlet published first" is well defined among sightings of the same date and batch.
"""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass, field

from storyline.store.queries import members_hash

# Original ids the tallies of one ingest may hold (~100 bytes each) before the least recently
# used stories are dropped.
BUDGET = 200_000

# A sighting's place in the story: (no date, date, added_at, article rowid, sighting rowid).
Key = tuple[bool, str, str, int, int]


@dataclass(slots=True)
class NewSighting:
    """What the writer knows of a sighting it has just inserted (in a released savepoint)."""

    key: Key
    outlet: str | None
    published: str | None
    article_id: str
    original: bool  # the article is an original (not a copy of another)
    title: str | None  # the article's title, for a story that has none yet


def sighting_key(published: str | None, added_at: str, article_row: int, row: int) -> Key:
    return (published is None, published or "", added_at, article_row, row)


@dataclass(slots=True)
class StoryTally:
    """The running figures of one story, enough to write its row again."""

    articles: int = 0
    outlets: set[str] = field(default_factory=set)  # distinct non-NULL outlets ("" included)
    first: str | None = None
    last: str | None = None
    first_key: Key | None = None  # the story's first sighting in the order above
    first_outlet_missing: bool = False  # that sighting had no outlet ("" or NULL)
    outlet_first_keys: dict[str, Key] = field(default_factory=dict)  # non-empty outlets
    originals: set[str] = field(default_factory=set)
    title: str | None = None
    title_row: int | None = None  # rowid of the original the title comes from

    def add(self, sighting: NewSighting) -> None:
        key, outlet, published = sighting.key, sighting.outlet, sighting.published
        self.articles += 1
        if outlet is not None:
            self.outlets.add(outlet)
        if published is not None:
            self.first = published if self.first is None else min(self.first, published)
            self.last = published if self.last is None else max(self.last, published)
        if self.first_key is None or key < self.first_key:
            self.first_key, self.first_outlet_missing = key, not outlet
        if outlet:
            known = self.outlet_first_keys.get(outlet)
            if known is None or key < known:
                self.outlet_first_keys[outlet] = key
        if sighting.original:
            self.originals.add(sighting.article_id)
            article_row = key[3]
            if sighting.title is not None and (
                self.title_row is None or article_row < self.title_row
            ):
                self.title, self.title_row = sighting.title, article_row

    def outlet_names(self) -> list[str]:
        """Outlets in the order they first published (an unknown first outlet: "" first)."""
        names = sorted(self.outlet_first_keys, key=self.outlet_first_keys.__getitem__)
        return ["", *names] if self.first_outlet_missing else names


def load(db: sqlite3.Connection, story: int) -> StoryTally:
    """The tally of a story from its rows (one pass over its sightings).

    The figures :meth:`StoryTally.add` would reach row by row, computed in one loop without
    a :class:`NewSighting` per row: a story holds hundreds of sightings and an ingest loads
    every story it touches.
    """
    tally = StoryTally()
    rows = db.execute(
        "SELECT s.outlet, s.published, s.added_at, a.rowid, s.rowid, a.id, "
        "a.canonical_id IS NULL FROM sightings s JOIN articles a ON a.id = s.article_id "
        "WHERE a.story_id = ?",
        (story,),
    ).fetchall()
    first_keys, originals = tally.outlet_first_keys, tally.originals
    dates: list[str] = []
    first_key: Key | None = None
    first_outlet_missing = False
    for outlet, published, added_at, article_row, row, article_id, original in rows:
        key = (published is None, published or "", added_at, article_row, row)  # sighting_key
        if first_key is None or key < first_key:
            first_key, first_outlet_missing = key, not outlet
        if outlet:
            known = first_keys.get(outlet)
            if known is None or key < known:
                first_keys[outlet] = key
        if original:
            originals.add(article_id)
        if published is not None:
            dates.append(published)
    tally.articles = len(rows)
    tally.outlets = {row[0] for row in rows if row[0] is not None}
    tally.first_key, tally.first_outlet_missing = first_key, first_outlet_missing
    if dates:
        tally.first, tally.last = min(dates), max(dates)
    title = db.execute(
        "SELECT title, rowid FROM articles WHERE story_id = ? AND canonical_id IS NULL "
        "AND title IS NOT NULL ORDER BY rowid LIMIT 1",
        (story,),
    ).fetchone()
    if title:
        tally.title, tally.title_row = title[0], int(title[1])
    return tally


def write(db: sqlite3.Connection, story: int, tally: StoryTally, now: str) -> None:
    """The story's row from its tally (its title only while no version was computed)."""
    db.execute(
        "UPDATE stories SET articles = ?, outlets = ?, origins = ?, first_date = ?, "
        "last_date = ?, changed_at = ?, members = ?, outlet_names = ?, "
        "title = CASE WHEN version = 0 THEN ? ELSE title END WHERE id = ?",
        (
            tally.articles,
            len(tally.outlets),
            len(tally.originals),
            tally.first,
            tally.last,
            now,
            members_hash(list(tally.originals)),
            json.dumps(tally.outlet_names()),
            tally.title,
            story,
        ),
    )


class Tallies:
    """The tallies of the stories an ingest has recounted, least recently used dropped first
    once they hold more than ``budget`` original ids (memory stays bounded; a dropped story
    is read again when it is next touched)."""

    def __init__(self, budget: int | None = None) -> None:
        self.budget = BUDGET if budget is None else budget
        self._tallies: OrderedDict[int, StoryTally] = OrderedDict()
        self._held = 0

    def recount(self, db: sqlite3.Connection, story: int, new: list[NewSighting], now: str) -> None:
        """Write the story's row after the batch's ``new`` sightings (already inserted)
        joined it."""
        tally = self._tallies.pop(story, None)
        if tally is None:
            tally = load(db, story)  # the rows read include the batch's own
        else:
            self._held -= len(tally.originals)
            for sighting in new:
                tally.add(sighting)
        write(db, story, tally, now)
        self._tallies[story] = tally
        self._held += len(tally.originals)
        while self._held > self.budget and len(self._tallies) > 1:
            _, dropped = self._tallies.popitem(last=False)
            self._held -= len(dropped.originals)

    def clear(self) -> None:
        """Forget every tally (after a failed commit the rows may not be what they say)."""
        self._tallies.clear()
        self._held = 0

    def __len__(self) -> int:
        return len(self._tallies)


__all__ = ["NewSighting", "StoryTally", "Tallies", "load", "sighting_key", "write"]
