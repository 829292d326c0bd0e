"""Reading the store: story lists, search, articles and their coverage."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from datetime import UTC, datetime

from storyline.model import Article
from storyline.store.models import Coverage, StoryRow

_STORY_ID = re.compile(r"^s?(\d+)$")
SEARCH_DEPTH = 2000  # matching articles considered per search
_SORTS = {"recent": "s.changed_at DESC, s.id DESC", "size": "s.articles DESC, s.id DESC"}


def story_name(number: int) -> str:
    return f"s{number}"


def story_number(story_id: str | int) -> int:
    match = _STORY_ID.match(str(story_id).strip())
    if not match:
        raise KeyError(f"not a story id: {story_id!r} (story ids look like s12)")
    return int(match.group(1))


def fts_query(text: str) -> str:
    """User text as an FTS5 query: every word must occur (prefix match on the last one).

    Words are quoted, so FTS5 syntax in the text ("NEAR", "-", '"', "*") is only text.
    """
    tokens = re.findall(r"\w+", text)
    if not tokens:
        return ""
    quoted = ['"' + token.replace('"', '""') + '"' for token in tokens]
    quoted[-1] += "*"
    return " ".join(quoted)


def _filters(since: datetime | None, search: str | None) -> tuple[str, str, list[object]]:
    joins, where, parameters = "", [], []
    if search:
        query = fts_query(search)
        if not query:
            return "", "0", []
        # Stories with a matching original, ranked by their best-matching article.
        # The best SEARCH_DEPTH articles by BM25, then their stories: a common word
        # matching half the store costs its ranking in FTS5, not a join over every match.
        joins = (
            "JOIN (SELECT a.story_id AS sid, min(f.rank) AS rank FROM "
            "(SELECT rowid, rank FROM article_fts WHERE article_fts MATCH ? "
            f"ORDER BY rank LIMIT {SEARCH_DEPTH}) f "
            "JOIN articles a ON a.rowid = f.rowid GROUP BY a.story_id) m ON m.sid = s.id"
        )
        parameters.append(query)
    if since:
        moment = since if since.tzinfo else since.replace(tzinfo=UTC)
        where.append("s.changed_at >= ?")  # stored in UTC, so ISO strings compare as times
        parameters.append(moment.astimezone(UTC).isoformat(timespec="microseconds"))
    return joins, " AND ".join(where) or "1", parameters


def stories(
    db: sqlite3.Connection,
    since: datetime | None,
    search: str | None,
    limit: int,
    offset: int,
    sort: str,
) -> list[StoryRow]:
    if sort not in _SORTS and sort != "relevance":
        raise ValueError(f"unknown sort {sort!r} (recent, size, relevance)")
    joins, where, parameters = _filters(since, search)
    order = "m.rank, s.id" if sort == "relevance" and search else _SORTS.get(sort, _SORTS["recent"])
    rows = db.execute(
        f"SELECT s.* FROM stories s {joins} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
        [*parameters, limit, offset],
    ).fetchall()
    return [_row(db, row) for row in rows]


def count_stories(db: sqlite3.Connection, since: datetime | None, search: str | None) -> int:
    joins, where, parameters = _filters(since, search)
    return int(
        db.execute(f"SELECT count(*) FROM stories s {joins} WHERE {where}", parameters).fetchone()[
            0
        ]
    )


def story_row(db: sqlite3.Connection, number: int) -> StoryRow:
    row = db.execute("SELECT * FROM stories WHERE id = ?", (number,)).fetchone()
    if row is None:
        raise KeyError(f"no story {story_name(number)} in this store")
    return _row(db, row)


def _row(db: sqlite3.Connection, row: sqlite3.Row) -> StoryRow:
    names = json.loads(row["outlet_names"])
    first = names[0] if names else None
    names = [name for name in names if name]
    return StoryRow(
        id=story_name(row["id"]),
        title=row["title"],
        articles=row["articles"],
        outlets=row["outlets"],
        origins=row["origins"],
        outlet_names=names,
        first_outlet=first or None,
        first_date=row["first_date"],
        last_date=row["last_date"],
        created_at=row["created_at"],
        changed_at=row["changed_at"],
        version=row["version"],
        lede=row["lede"],
        conflicts=row["conflicts"],
    )


def update_story_counts(db: sqlite3.Connection, story: int, now: str) -> None:
    """Recount a story after articles joined it (its indexed rows only, never the store):
    one pass over its sightings (:mod:`storyline.store.tally`; the writer keeps the tallies
    of an ingest's stories across its batches instead of reading them again)."""
    from storyline.store import tally

    tally.write(db, story, tally.load(db, story), now)


def members_hash(article_ids: list[str]) -> str:
    return hashlib.sha1("\n".join(sorted(article_ids)).encode()).hexdigest()[:16]


def article(db: sqlite3.Connection, article_id: str) -> Article:
    row = db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        raise KeyError(f"no article {article_id} in this store")
    return to_article(row)


def to_article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        outlet=row["outlet"],
        title=row["title"],
        url=row["url"],
        published=row["published"],
        author=row["author"],
        text=row["text"],
        captions=json.loads(row["captions"]),
        source=row["source"],
    )


def originals(db: sqlite3.Connection, story: int, upto: str | None = None) -> list[Article]:
    """The story's original articles (added by ``upto``), oldest first."""
    rows = db.execute(
        "SELECT * FROM articles WHERE story_id = ? AND canonical_id IS NULL "
        + ("AND added_at <= ? " if upto else "")
        + "ORDER BY published IS NULL, published, rowid",
        (story, upto) if upto else (story,),
    ).fetchall()
    return [to_article(row) for row in rows]


def coverage(db: sqlite3.Connection, article_id: str) -> list[Coverage]:
    row = db.execute(
        "SELECT coalesce(canonical_id, id) FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    if row is None:
        raise KeyError(f"no article {article_id} in this store")
    rows = db.execute(
        "SELECT s.article_id, s.outlet, s.url, s.published, a.canonical_id, a.similarity "
        "FROM sightings s JOIN articles a ON a.id = s.article_id "
        "WHERE a.id = ? OR a.canonical_id = ? "
        "ORDER BY s.published IS NULL, s.published, s.added_at",
        (row[0], row[0]),
    ).fetchall()
    seen: set[str] = set()
    result = []
    for r in rows:
        first_of_its_text = r["article_id"] not in seen
        seen.add(r["article_id"])
        kind = "near copy" if r["canonical_id"] else "original"
        if not first_of_its_text:
            kind = "exact copy"
        result.append(
            Coverage(
                article_id=r["article_id"],
                outlet=r["outlet"],
                url=r["url"],
                published=r["published"],
                kind=kind,
                similarity=r["similarity"],
            )
        )
    return result


def duplicates(db: sqlite3.Connection, story: int) -> list[dict[str, str]]:
    """The story's copies: {'dropped': copy, 'kept': original, 'reason'} (exact copies too)."""
    result = []
    for r in db.execute(
        "SELECT id, canonical_id, similarity FROM articles "
        "WHERE story_id = ? AND canonical_id IS NOT NULL ORDER BY rowid",
        (story,),
    ):
        reason = f"near duplicate (estimated Jaccard {r['similarity']:.2f})"
        result.append({"dropped": r["id"], "kept": r["canonical_id"], "reason": reason})
    for r in db.execute(
        "SELECT s.article_id, s.outlet, count(*) OVER (PARTITION BY s.article_id) AS n, "
        "row_number() OVER (PARTITION BY s.article_id ORDER BY s.added_at, s.raw_id) AS k "
        "FROM sightings s JOIN articles a ON a.id = s.article_id WHERE a.story_id = ?",
        (story,),
    ):
        if r["k"] > 1:
            outlet = f" from {r['outlet']}" if r["outlet"] else ""
            result.append(
                {
                    "dropped": r["article_id"],
                    "kept": r["article_id"],
                    "reason": f"exact duplicate{outlet}",
                }
            )
    return result
