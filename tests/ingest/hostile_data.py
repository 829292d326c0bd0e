"""Builders of hostile inputs from real article text (the bundled Iraq example); imported by
the ingest tests (pytest puts this folder on sys.path) and by bench/robustness.py."""

from __future__ import annotations

import io
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_DIR = ROOT / "examples" / "iraq-troops-2016"


def example_text(number: int = 2) -> str:
    return sorted(EXAMPLE_DIR.glob("*.txt"))[number].read_text(encoding="utf-8")


def article_html(text: str, title: str = "Carter in Baghdad") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
    page = (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{paragraphs}</article></body></html>"
    )
    return page.encode("utf-8")


def make_warc(pages: list[bytes], *, gzip: bool) -> bytes:
    """A WARC of HTML responses, written by warcio itself (record-gzipped when ``gzip``)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for number, page in enumerate(pages):
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            f"https://example.org/story/{number}",
            "response",
            payload=io.BytesIO(page),
            http_headers=headers,
        )
        writer.write_record(record)
    return out.getvalue()
