import json
from pathlib import Path

import pytest

from storyline.ingest.records import parse_date
from storyline.model import Article

FIXTURES = Path(__file__).parents[1] / "fixtures" / "engine"
SHARDS = sorted(FIXTURES.glob("wire-part-*.jsonl"))


def wire_rows() -> list[dict]:
    return [json.loads(line) for shard in SHARDS for line in shard.read_text().splitlines()]


@pytest.fixture
def wire_articles() -> list[Article]:
    """The fixture stream as articles, in file (date) order."""
    return [
        Article(id=r["id"], title=r["title"], text=r["text"], published=parse_date(r["date"]))
        for r in wire_rows()
    ]


@pytest.fixture
def gold() -> dict[str, str]:
    return {r["id"]: r["cluster"] for r in wire_rows()}
