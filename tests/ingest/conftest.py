"""Fixtures of the ingest tests."""

from __future__ import annotations

import pytest
from hostile_data import article_html, example_text


@pytest.fixture(scope="session")
def three_pages() -> list[bytes]:
    return [article_html(example_text(n), title=f"Story {n}") for n in (0, 2, 3)]
