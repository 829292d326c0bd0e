"""Every endpoint of the web app through TestClient, hostile stories included."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime

import feedparser
import html5lib
import pytest
from fastapi.testclient import TestClient
from xss_corpus import BAD_URLS, assert_safe_html, hostile, text_of

from storyline.model import Article, Report, Story, SummarySentence
from storyline.serve import MemorySource, StoryChanges, create_app
from storyline.serve import app as app_module
from storyline.serve.security import is_loopback

ATOM = "{http://www.w3.org/2005/Atom}"


def _hostile_story(n: int) -> Story:
    text = f"{hostile(n)} A hostile body {n}. It says {hostile(n + 1)} twice."
    article = Article(
        id=f"evil{n}",
        outlet=hostile(n + 2),
        title=hostile(n + 3),
        text=text,
        url=BAD_URLS[n % len(BAD_URLS)],
        published=datetime(2020, 1, 1 + n),
    )
    return Story(
        id=f"sevil{n}",
        title=hostile(n),
        articles=[article],
        summary=[SummarySentence(text=text[: text.index(".") + 1])],
    )


@pytest.fixture()
def stories(iraq_report: Report) -> list[Story]:
    return [*iraq_report.stories, *(_hostile_story(n) for n in range(6))]


@pytest.fixture()
def client(stories: list[Story]) -> TestClient:
    return TestClient(create_app(MemorySource(stories)))


@pytest.fixture()
def writable(stories: list[Story]) -> TestClient:
    return TestClient(
        create_app(MemorySource(stories, read_only=False), max_articles=3, max_body_bytes=20_000)
    )


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() | {"version": ""} == {
        "status": "ok",
        "stories": 7,
        "read_only": True,
        "version": "",
    }


def test_list_page_search_sort_and_paging(client: TestClient, iraq_report: Report) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert_safe_html(page.text)
    iraq = iraq_report.stories[0]
    found = client.get("/", params={"q": "560 more soldiers"})
    document = html5lib.parse(found.text, treebuilder="lxml", namespaceHTMLElements=False)
    links = [a.get("href") for a in document.findall(".//ol[@class='story-list']//h2/a")]
    assert links == [f"/story/{iraq.id}"]
    by_size = client.get("/", params={"sort": "size"}).text
    first = html5lib.parse(by_size, treebuilder="lxml", namespaceHTMLElements=False).find(
        ".//ol[@class='story-list']//h2/a"
    )
    assert first.get("href") == f"/story/{iraq.id}"  # five sources beat one
    since = client.get("/", params={"since": "2020-01-03"}).text
    assert "3 stories" in since  # the hostile ones of 4, 5 and 6 January 2020
    bad = client.get("/", params={"since": "yesterday"})
    assert bad.status_code == 200 and "not a date" in bad.text and "7 stories" in bad.text


def test_list_page_pages(iraq_report: Report) -> None:
    many = [_hostile_story(n % 6).model_copy(update={"id": f"s{n:03d}"}) for n in range(45)]
    client = TestClient(create_app(MemorySource(many)))
    text = client.get("/", params={"page": 3}).text
    assert "page 3 of 3" in text and "next page" not in text and "newer page" in text
    assert client.get("/", params={"page": 0}).status_code == 422


def test_story_page_escapes_and_shows_comparison(client: TestClient, iraq_report: Report) -> None:
    iraq = iraq_report.stories[0]
    page = client.get(f"/story/{iraq.id}")
    assert page.status_code == 200
    assert_safe_html(page.text)
    assert "more than 4,647" in text_of(page.text)
    for n in range(6):
        evil = client.get(f"/story/sevil{n}")
        assert evil.status_code == 200
        assert_safe_html(evil.text)
        assert hostile(n) in text_of(evil.text)
    assert client.get("/story/nope").status_code == 404
    assert client.get("/story/..%2F..%2Fetc").status_code in (404, 422)


def test_story_pages_are_cached_by_version(
    client: TestClient, iraq_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = app_module.story_page
    monkeypatch.setattr(app_module, "story_page", lambda *a, **k: calls.append(1) or real(*a, **k))
    story_id = iraq_report.stories[0].id
    first, second = client.get(f"/story/{story_id}"), client.get(f"/story/{story_id}")
    assert first.text == second.text and len(calls) == 1


class ChangingSource(MemorySource):
    def story_changes(self, story_id: str, since: datetime) -> StoryChanges | None:
        return StoryChanges(
            since=since,
            articles_added=[hostile(0)],
            sentences_added=["Carter announced 560 more troops."],
        )


def test_what_changed_since(stories: list[Story]) -> None:
    client = TestClient(create_app(ChangingSource(stories)))
    page = client.get(f"/story/{stories[0].id}", params={"since": "2016-07-10"}).text
    assert_safe_html(page)
    section = html5lib.parse(page, treebuilder="lxml", namespaceHTMLElements=False).find(
        ".//section[@id='changes']"
    )
    assert "What changed since 2016-07-10" in " ".join(section.itertext())
    assert hostile(0) in " ".join(section.itertext())
    plain = client.get(f"/story/{stories[0].id}").text
    assert 'id="changes"' not in plain


def test_stories_api(client: TestClient, iraq_report: Report) -> None:
    page = client.get("/stories", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == 7 and page["offset"] == 1 and len(page["stories"]) == 2
    newest = client.get("/stories", params={"limit": 1}).json()["stories"][0]
    assert newest["id"] == "sevil5"  # 2020-01-06, the newest
    after = client.get("/stories", params={"since": "2020-01-04T00:00:00"}).json()
    assert [s["id"] for s in after["stories"]] == ["sevil5", "sevil4"]
    found = client.get("/stories", params={"search": "SOLDIERS"}).json()
    assert [s["id"] for s in found["stories"]] == [iraq_report.stories[0].id]
    assert client.get("/stories", params={"limit": 0}).status_code == 422
    assert client.get("/stories", params={"since": "not a date"}).status_code == 422
    story = client.get(f"/stories/{iraq_report.stories[0].id}").json()
    assert story["comparison"]["conflicts"][0]["values"][2]["value"] == "more than 4,647"
    assert client.get("/stories/missing").status_code == 404


@pytest.mark.parametrize(
    ("format", "media"),
    [("json", "application/json"), ("md", "text/markdown"), ("html", "text/html")],
)
def test_digest_formats(client: TestClient, iraq_report: Report, format: str, media: str) -> None:
    story_id = iraq_report.stories[0].id
    response = client.get(f"/stories/{story_id}/digest", params={"format": format})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert "4,647" in response.text
    if format == "json":
        assert Report.model_validate_json(response.text).stories[0].id == story_id
    if format == "html":
        assert_safe_html(response.text)
    assert client.get(f"/stories/{story_id}/digest", params={"format": "pdf"}).status_code == 422


def test_articles_api(client: TestClient, iraq_report: Report) -> None:
    article = iraq_report.stories[0].articles[2]
    got = client.get(f"/articles/{article.id}").json()
    assert got["outlet"] == "Press TV" and got["text"] == article.text
    assert client.get("/articles/none").status_code == 404


def test_atom_feed_is_well_formed_and_escaped(client: TestClient) -> None:
    response = client.get("/stories.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # well-formed XML despite the hostile titles
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 7
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert hostile(5) in titles  # the hostile title is text, not markup
    assert not root.findall(f".//{ATOM}entry/{ATOM}title/*")
    feed = feedparser.parse(response.content)
    assert not feed.bozo and len(feed.entries) == 7
    assert all(e.link.startswith("http://testserver/story/") for e in feed.entries)


def test_docs_without_cdn_and_openapi(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert_safe_html(docs.text)
    assert "cdn" not in docs.text.lower()
    spec = client.get("/openapi.json").json()
    for path in (
        "/articles",
        "/stories",
        "/stories/{story_id}",
        "/stories/{story_id}/digest",
        "/articles/{article_id}",
        "/stories.atom",
        "/healthz",
    ):
        assert path in spec["paths"], path
    assert "PostBody" in spec["components"]["schemas"]


def test_post_is_refused_when_read_only(client: TestClient) -> None:
    response = client.post("/articles", json={"text": "Some news."})
    assert response.status_code == 405 and "read-only" in response.json()["detail"]


def test_post_articles(writable: TestClient) -> None:
    one = writable.post("/articles", json={"id": "n1", "outlet": "AP", "text": "News one."})
    assert one.status_code == 200 and one.json()[0] | {"detail": ""} == {
        "id": "n1",
        "status": "added",
        "story_id": None,
        "detail": "",
    }
    assert writable.get("/articles/n1").json()["outlet"] == "AP"
    many = writable.post(
        "/articles", json={"articles": [{"text": "News two."}, {"id": "n1", "text": "x"}]}
    )
    assert [r["status"] for r in many.json()] == ["added", "duplicate"]
    listed = writable.post("/articles", json=[{"text": "News three."}])
    assert listed.json()[0]["status"] == "added"


@pytest.mark.parametrize(
    ("body", "status", "named"),
    [
        (b"{not json", 400, "not valid JSON"),
        (b"\xff\xfe", 400, "not valid JSON"),
        (json.dumps({"text": ""}).encode(), 422, "text"),
        (json.dumps({"body": "typo for text"}).encode(), 422, "body"),
        (json.dumps({"text": "ok", "published": "someday"}).encode(), 422, "published"),
        (json.dumps([]).encode(), 422, "at least 1 item"),
        (json.dumps([{"text": "a"}] * 4).encode(), 422, "at most 3"),
        (json.dumps({"text": "x" * 30_000}).encode(), 413, "over 20,000 bytes"),
    ],
)
def test_bad_posts_are_refused_and_change_nothing(
    writable: TestClient, body: bytes, status: int, named: str
) -> None:
    before = writable.get("/healthz").json()
    response = writable.post(
        "/articles", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == status, response.text
    assert named in json.dumps(response.json())
    assert writable.get("/healthz").json() == before
    assert writable.get("/articles/a" + "0" * 12).status_code == 404


def test_body_cap_without_content_length(writable: TestClient) -> None:
    def chunks():
        for _ in range(30):
            yield b"x" * 1000

    response = writable.post("/articles", content=chunks())
    assert response.status_code == 413


def test_writes_need_the_token(stories: list[Story]) -> None:
    client = TestClient(create_app(MemorySource(stories, read_only=False), token="s3cret"))
    body = {"text": "News."}
    assert client.post("/articles", json=body).status_code == 401
    wrong = client.post("/articles", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    right = client.post("/articles", json=body, headers={"Authorization": "Bearer s3cret"})
    assert right.status_code == 200
    assert client.get("/stories").status_code == 200  # reads need none


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert not is_loopback("example.com")


def test_head_gives_the_headers(client: TestClient) -> None:
    response = client.head("/")
    assert response.status_code == 200 and not response.content
    assert "script-src 'none'" in response.headers["content-security-policy"]
