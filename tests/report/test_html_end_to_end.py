"""The bundled example digested with hostile articles mixed in: the whole comparison still
renders, and nothing hostile becomes markup (in the HTML report and in the served pages)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from xss_corpus import BAD_URLS, PAYLOADS, assert_safe_html, text_of

import storyline
from storyline.report.html import to_html
from storyline.serve import create_app, folder_source

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mixed_folder(example_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    for path in example_dir.iterdir():
        shutil.copy(path, folder / path.name)
    for n, payload in enumerate(PAYLOADS[:6]):
        body = (
            f"Hostile page {n} {payload}\n\n"
            f"The city council of Springfield {payload} voted on Tuesday to repair 12 bridges. "
            f"The mayor said the work would cost $4 million {payload} and take two years. "
            f"Residents {payload} welcomed the vote."
        )
        (folder / f"9{n}_hostile.txt").write_text(body, encoding="utf-8")
        meta = {
            "outlet": payload,
            "title": f"Bridges {payload}",
            "url": BAD_URLS[n],
            "published": "2016-07-12",
        }
        (folder / f"9{n}_hostile.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_report_with_hostile_articles(mixed_folder: Path) -> None:
    report = storyline.digest([str(mixed_folder)], cluster=True)
    iraq = next(s for s in report.stories if "560" in (s.title or ""))
    page = to_html(report)
    assert_safe_html(page)
    text = text_of(page)
    for figure in ("more than 4,600", "more than 4,647", "at least 5,000", "more than 5,000"):
        assert figure in text
    assert len(iraq.articles) == 5  # the hostile pages are another story, not mixed into it
    assert PAYLOADS[0] in text  # shown as text


def test_served_folder_with_hostile_articles(mixed_folder: Path) -> None:
    source = folder_source([str(mixed_folder)])
    client = TestClient(create_app(source))
    listing = client.get("/")
    assert_safe_html(listing.text)
    for info in source.list_stories(limit=100).stories:
        page = client.get(f"/story/{info.id}")
        assert page.status_code == 200
        assert_safe_html(page.text)
    feed = client.get("/stories.atom")
    assert feed.status_code == 200 and b"<script>" not in feed.content
