"""A story's recount (one pass over its sightings) gives what SQL's aggregates say.

The recount reads each story's sightings once and counts in Python; this checks every stored
figure against the plain SQL aggregates on a store with exact copies, outlets and dates
missing (NULL) and empty, on real wire articles of the dev stream.
"""

from __future__ import annotations

import json
from pathlib import Path

from store_helpers import FAST, stream_articles

from storyline import Store
from storyline.store import queries


def _by_sql(store: Store, story: int) -> dict[str, object]:
    db = store.connection
    counts = db.execute(
        "SELECT count(*), count(DISTINCT s.outlet), min(s.published), max(s.published) "
        "FROM sightings s JOIN articles a ON a.id = s.article_id WHERE a.story_id = ?",
        (story,),
    ).fetchone()
    originals = [
        r[0]
        for r in db.execute(
            "SELECT id FROM articles WHERE story_id = ? AND canonical_id IS NULL", (story,)
        )
    ]
    return {
        "articles": counts[0],
        "outlets": counts[1],
        "first_date": counts[2],
        "last_date": counts[3],
        "origins": len(originals),
        "members": queries.members_hash(originals),
    }


def test_recount_matches_the_sql_aggregates(tmp_path: Path) -> None:
    articles = stream_articles(40)
    assert len(articles) == 40
    # Copies of the same texts from other outlets, with the metadata a feed may lack: no
    # outlet, an empty outlet, no date.
    outlets = [None, "", "Echo Wire", None, "Echo Wire", "", "Gazette", None, "Gazette", "", "X"]
    dates = [None, articles[3].published, None, None, articles[0].published, None] * 2
    copies = [
        article.model_copy(update={"outlet": outlet, "published": published})
        for article, outlet, published in zip(articles, outlets, dates, strict=False)
    ]
    store = Store(tmp_path / "store", settings=FAST, workers=1)
    first = store.ingest(articles)
    second = store.ingest(copies)
    assert second.copies == len(copies) == len(outlets)
    rows = store.connection.execute(
        "SELECT id, articles, outlets, first_date, last_date, origins, members, outlet_names "
        "FROM stories"
    ).fetchall()
    assert rows
    checked_copies = 0
    for row in rows:
        expected = _by_sql(store, row["id"])
        got = {key: row[key] for key in expected}
        assert got == expected
        names = json.loads(row["outlet_names"])
        stored_outlets = {
            r[0]
            for r in store.connection.execute(
                "SELECT s.outlet FROM sightings s JOIN articles a ON a.id = s.article_id "
                "WHERE a.story_id = ?",
                (row["id"],),
            )
        }
        assert set(names) - {""} == {o for o in stored_outlets if o}
        checked_copies += row["articles"] - row["origins"]
    # Every copy (the stream's own near copies too) counted as coverage of its story.
    assert checked_copies == first.copies + second.copies
