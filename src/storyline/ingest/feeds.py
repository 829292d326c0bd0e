"""RSS / Atom feeds (feedparser) and WARC archives (warcio): each entry or record an article."""

from __future__ import annotations

import contextlib
import io
import re
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
    if not feed.entries:
        # Well-formed XML that is no feed (a sitemap, an export), or a feed with no items.
        root = _root_element(text)
        kind = "RSS/Atom feed with no entries" if feed.version else "XML but not an RSS/Atom feed"
        yield BadRecord(f"{source}: {kind}" + (f" (root element <{root}>)" if root else ""))
        return
    outlet = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, start=1):
        body_html = ""
        if entry.get("content"):
            body_html = " ".join(part.get("value") or "" for part in entry.content)
        # feedparser may hold None for a summary it could not parse (found by fuzzing).
        body_html = body_html or entry.get("summary") or ""
        text_body = _html_to_text(body_html)
        if not text_body.strip():
            yield BadRecord(f"{source}[{number}]: feed entry without text")
            continue
        published = None
        if entry.get("published_parsed"):
            try:
                published = datetime(*entry.published_parsed[:6])
            except (TypeError, ValueError):
                published = None
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
    """Each HTML response of a WARC (plain or record-gzipped) as an article.

    A damaged or truncated archive keeps every record read before the damage and reports the
    rest; a record cut short is reported and not used; warcio's own warnings, which it prints
    to stderr, are captured and reported against the file.
    """
    outcomes: list[Article | BadRecord] = []
    captured = io.StringIO()
    with contextlib.redirect_stderr(captured):
        _read_warc_records(data, source, outcomes)
    if not outcomes:
        outcomes.append(BadRecord(f"{source}: no HTML response record in this WARC archive"))
    yield from outcomes
    for warning in _warcio_warnings(captured.getvalue()):
        yield BadRecord(f"{source}: {warning}")


def _warcio_warnings(printed: str, *, limit: int = 5) -> list[str]:
    """warcio's multi-line stderr warnings as one short line each (the first few)."""
    warnings = [" ".join(part.split()) for part in re.split(r"(?=WARNING:)", printed)]
    warnings = [w.removeprefix("WARNING:").strip() for w in warnings if w]
    shown = [f"warcio warning: {w[:200]}" + ("..." if len(w) > 200 else "") for w in warnings]
    if len(shown) > limit:
        shown = [*shown[:limit], f"warcio warning: ... and {len(shown) - limit} more"]
    return shown


def _read_warc_records(data: bytes, source: str, outcomes: list[Article | BadRecord]) -> None:
    from warcio.archiveiterator import ArchiveIterator

    from storyline.ingest.html import read_html

    number = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            number += 1
            if record.rec_type != "response":
                continue
            content_type = (
                record.http_headers.get_header("Content-Type") if record.http_headers else ""
            )
            url = record.rec_headers.get_header("WARC-Target-URI") or f"record {number}"
            if "html" not in (content_type or ""):
                record.content_stream().read()  # consumed, so truncation is still seen
                continue
            payload = record.content_stream().read()
            missing = getattr(record.raw_stream, "limit", 0) or 0
            if missing > 0:
                outcomes.append(
                    BadRecord(
                        f"{source}:{url}: truncated WARC record ({missing:,} of its "
                        f"{record.length:,} bytes missing); not used"
                    )
                )
                continue
            html = payload.decode("utf-8", errors="replace")
            try:
                outcomes.append(read_html(html, source=f"{source}:{url}", url=url))
            except ValueError as error:
                outcomes.append(BadRecord(f"{source}:{url}: {error}"))
    except Exception as error:  # warcio raises plain exceptions for damaged archives
        kept = sum(isinstance(o, Article) for o in outcomes)
        outcomes.append(
            BadRecord(
                f"{source}: damaged WARC archive after record {number} ({error}); "
                f"{kept} article{'s' if kept != 1 else ''} read before the damage kept"
            )
        )


def _root_element(text: str) -> str | None:
    match = re.search(r"<([A-Za-z_][\w:.-]*)[\s>/]", re.sub(r"<[?!][^>]*>", "", text[:4096]))
    return match.group(1) if match else None


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
