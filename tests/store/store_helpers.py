"""Helpers shared by the store tests (real wire articles of the dev stream)."""

import json
from pathlib import Path

from storyline import Article, Settings, Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "store"
STREAM = FIXTURES / "stream.jsonl"


def stream_articles(limit: int | None = None) -> list[Article]:
    """Real wire articles of the shared dev stream (a slice), with their outlet and date."""
    rows = [json.loads(line) for line in STREAM.read_text(encoding="utf-8").splitlines()]
    return [
        Article(
            id=r["id"], title=r["title"], text=r["text"], outlet=r["outlet"], published=r["date"]
        )
        for r in rows[:limit]
    ]


# The dev stream is already clean text; skipping the cleaner keeps these tests fast.
FAST = Settings(clean=False, compare=False)


def table_dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table that ingest writes, for before/after comparisons."""
    tables = ["articles", "sightings", "signatures", "lsh_bands", "stories", "story_versions"]
    dump = {}
    for table in tables:
        rows = store.connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        dump[table] = [tuple(row) for row in rows]
    return dump


def story_membership(store: Store) -> set[tuple[str, ...]]:
    """The stories as sets of their article ids (each sorted), whatever the stories' numbers."""
    groups: dict[int, list[str]] = {}
    for story, article in store.connection.execute("SELECT story_id, id FROM articles ORDER BY id"):
        groups.setdefault(story, []).append(article)
    return {tuple(v) for v in groups.values()}
