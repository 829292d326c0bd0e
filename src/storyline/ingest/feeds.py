"""RSS / Atom feeds (feedparser) and WARC archives (warcio): each entry or record an article."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime

from storyline.ingest.records import BadRecord, parse_date
from storyline.model import Article


def iter_feed(text: str, *, source: str) -> Iterator[Article | BadRecord]:
    import feedparser

    # Parse the string we already hold: feedparser must never fetch a URL itself.
    feed = feedparser.parse(io.BytesIO(text.encode("utf-8")))
    if feed.bozo and not feed.entries:
        yield BadRecord(f"{source}: not a readable RSS/Atom feed ({feed.bozo_exception})")
        return
    outlet = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, start=1):
        body_html = ""
        if entry.get("content"):
            body_html = " ".join(part.get("value", "") for part in entry.content)
        body_html = body_html or entry.get("summary", "")
        text_body = _html_to_text(body_html)
        if not text_body.strip():
            yield BadRecord(f"{source}[{number}]: feed entry without text")
            continue
        published = None
        if entry.get("published_parsed"):
            published = datetime(*entry.published_parsed[:6])
        else:
            published = parse_date(entry.get("published") or entry.get("updated"))
        yield Article(
            title=entry.get("title"),
            text=text_body,
            url=entry.get("link"),
            published=published,
            author=entry.get("author"),
            outlet=outlet,
            source=f"{source}[{number}]",
        )


def iter_warc(data: bytes, *, source: str) -> Iterator[Article | BadRecord]:
    from warcio.archiveiterator import ArchiveIterator

    from storyline.ingest.html import read_html

    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type != "response":
                continue
            content_type = (
                record.http_headers.get_header("Content-Type") if record.http_headers else ""
            )
            if "html" not in (content_type or ""):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            html = record.content_stream().read().decode("utf-8", errors="replace")
            try:
                yield read_html(html, source=f"{source}:{url}", url=url)
            except ValueError as error:
                yield BadRecord(f"{source}:{url}: {error}")
    except Exception as error:  # warcio raises plain exceptions for damaged archives
        yield BadRecord(f"{source}: damaged WARC archive ({error})")


def _html_to_text(html: str) -> str:
    if "<" not in html:
        return html
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    blocks = [" ".join(el.text_content().split()) for el in root.iter("p", "li", "h2", "h3")]
    blocks = [block for block in blocks if block]
    return "\n".join(blocks) if blocks else " ".join(root.text_content().split())
