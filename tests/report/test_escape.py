"""The escape module: any string becomes inert Markdown, only http(s) URLs become links."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xss import HOSTILE_URLS, PAYLOADS, live_markup, render

from storyline.report.escape import markdown_link, markdown_text, plain_text, safe_url


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_payload_renders_as_its_own_text(payload: str) -> None:
    rendered = render(markdown_text(payload) + "\n")
    assert live_markup(rendered) == []
    assert re.fullmatch(r"<p>.*</p>\n", rendered)
    assert html.unescape(rendered[3:-5]) == plain_text(payload)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_hostile_urls_never_become_links(url: str) -> None:
    rendered = render(f"see {markdown_link(url)}\n")
    assert live_markup(rendered) == []
    assert "<a " not in rendered or 'href="https://evil.example/' in rendered


def test_a_gt_sign_cannot_end_an_autolink() -> None:
    url = "https://evil.example/a><script>alert(1)</script>"
    assert safe_url(url) == "https://evil.example/a%3E%3Cscript%3Ealert(1)%3C/script%3E"
    rendered = render(markdown_link(url) + "\n")
    assert rendered.count("<a ") == 1 and "<script" not in rendered


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.reuters.com/world/iraq?id=1#top",
            "https://www.reuters.com/world/iraq?id=1#top",
        ),
        ("HTTP://Example.ORG/A B", "http://example.org/A%20B"),
        ("http://bücher.de/ä", "http://xn--bcher-kva.de/%C3%A4"),
        ("ftp://example.org/file", None),
        ("javascript:alert(1)", None),
        ("//example.org/no-scheme", None),
        ("https://user:pass@example.org/", None),
        ("https://exa mple.org/", None),
        ("https://example.org:99999/", None),
        ("https://example.org/\x00", None),
    ],
)
def test_safe_url(url: str, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_block_markers_at_line_start_are_escaped() -> None:
    for text in ("# Not a heading", "1. not a list", "- not a list", "> not a quote", "---"):
        assert render(markdown_text(text) + "\n").startswith("<p>")


def test_terminal_and_bidi_controls_are_removed() -> None:
    assert plain_text("red\x1b[31m text\u202e reversed\0") == "red[31m text reversed"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_any_text_renders_as_one_inert_paragraph_of_itself(text: str) -> None:
    escaped = markdown_text(text)
    if not escaped:
        assert plain_text(text) == ""
        return
    rendered = render(escaped + "\n")
    assert live_markup(rendered) == []
    assert rendered.startswith("<p>") and rendered.endswith("</p>\n")
    assert html.unescape(rendered[3:-5]) == plain_text(text)


def test_printable_text_takes_the_shortcut_and_keeps_its_meaning() -> None:
    # Printable text has nothing to drop (no control, format or odd space character in it:
    # checked over all of Unicode), so only its runs of spaces are collapsed.
    import sys

    from storyline.report.escape import _hidden, plain_text

    printable = (chr(c) for c in range(sys.maxunicode + 1) if chr(c).isprintable())
    assert not any(_hidden(ch) or (ch.isspace() and ch != " ") for ch in printable)
    assert plain_text("Troops  to   Iraq") == "Troops to Iraq"
    assert plain_text("Troops\u202e to\tIraq\x1b[31m") == "Troops to Iraq[31m"
