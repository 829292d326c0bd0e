"""The story tallies the writer keeps across batches give what a full recount gives.

An ingest in many small batches, with exact copies from other outlets, outlets missing or
empty and dates missing or shared (ties in "who published first"), on real wire articles:
every story's row must equal what the recount of main before the tallies computed from the
committed rows (its SQL, order of ties included), and what ``queries.update_story_counts``
computes now.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_helpers import FAST, stream_articles

import storyline.store.writer as writer
from storyline import Store
from storyline.store import queries, tally

FIELDS = ("articles", "outlets", "origins", "first_date", "last_date", "members", "title")


def _recount_from_rows(store: Store, story: int) -> dict[str, object]:
    """The recount as it was written before the tallies: one SQL pass in SQL's order."""
    db = store.connection
    sightings = db.execute(
        "SELECT s.outlet, s.published, a.id, a.canonical_id "
        "FROM sightings s JOIN articles a ON a.id = s.article_id "
        "WHERE a.story_id = ? ORDER BY s.published IS NULL, s.published, s.added_at",
        (story,),
    ).fetchall()
    dates = [r[1] for r in sightings if r[1] is not None]
    names = list(dict.fromkeys(r[0] for r in sightings if r[0]))
    if sightings and not sightings[0][0]:
        names = ["", *names]
    originals = list({r[2] for r in sightings if r[3] is None})
    title = db.execute(
        "SELECT title FROM articles WHERE story_id = ? AND canonical_id IS NULL "
        "AND title IS NOT NULL ORDER BY rowid LIMIT 1",
        (story,),
    ).fetchone()
    return {
        "articles": len(sightings),
        "outlets": len({r[0] for r in sightings if r[0] is not None}),
        "origins": len(originals),
        "first_date": min(dates, default=None),
        "last_date": max(dates, default=None),
        "members": queries.members_hash(originals),
        "title": title[0] if title else None,
        "outlet_names": names,
    }


def _copies(articles: list) -> list:
    """Exact copies from other outlets: no outlet, an empty one, a shared date, no date."""
    outlets = [None, "", "Echo Wire", None, "Echo Wire", "", "Gazette", None, "Gazette", "", "X"]
    dates = [None, articles[3].published, None, articles[3].published, articles[0].published]
    return [
        article.model_copy(update={"outlet": outlet, "published": dates[n % len(dates)]})
        for n, (article, outlet) in enumerate(zip(articles, outlets * 4, strict=False))
    ]


@pytest.mark.parametrize("budget", [200_000, 1])  # kept for the whole ingest / dropped at once
def test_tallies_across_batches_match_a_full_recount(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int
) -> None:
    monkeypatch.setattr(writer, "BATCH", 3)  # many commits: the tallies carry most recounts
    monkeypatch.setattr(tally, "BUDGET", budget)
    articles = stream_articles(60)
    store = Store(tmp_path / "store", settings=FAST, workers=1)
    store.ingest(articles[:30], summarize=False)  # titles stay the recount's
    # Copies and new articles interleaved in one ingest: copies of stored and of new articles.
    mixed = [*_copies(articles[:20]), *articles[30:], *_copies(articles[30:50])]
    second = store.ingest(mixed, summarize=False)
    assert second.copies >= 40
    rows = store.connection.execute("SELECT * FROM stories").fetchall()
    assert len(rows) >= 3
    tied = 0
    for row in rows:
        expected = _recount_from_rows(store, row["id"])
        assert {f: row[f] for f in FIELDS} == {f: expected[f] for f in FIELDS}
        assert json.loads(row["outlet_names"]) == expected["outlet_names"]
        tied += len(expected["outlet_names"]) > 1
    assert tied  # stories with several outlets, so the first-outlet order was exercised
    # The plain recount (no tallies) writes the very same rows.
    before = [tuple(r) for r in rows]
    for row in rows:
        queries.update_story_counts(store.connection, row["id"], row["changed_at"])
    after = [tuple(r) for r in store.connection.execute("SELECT * FROM stories")]
    assert after == before


def test_a_story_sighted_first_without_outlet_lists_an_unknown_first(tmp_path: Path) -> None:
    articles = stream_articles(4)
    early = articles[0].published.replace(year=articles[0].published.year - 1)
    store = Store(tmp_path / "store", settings=FAST, workers=1)
    store.ingest(articles)
    store.ingest([articles[0].model_copy(update={"outlet": None, "published": early})])
    story = store.connection.execute(
        "SELECT story_id FROM articles WHERE id = ?", (articles[0].id,)
    ).fetchone()[0]
    row = store.connection.execute("SELECT * FROM stories WHERE id = ?", (story,)).fetchone()
    names = json.loads(row["outlet_names"])
    assert names[0] == "" and articles[0].outlet in names
    assert row["first_date"] == early.isoformat()
