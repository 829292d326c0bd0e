"""A corpus of hostile markup and the checks a rendered report must pass (markdown-it-py)."""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    "[click me](javascript:alert(4))",
    "![pic](javascript:alert(5))",
    "<javascript:alert(6)>",
    '<a href="javascript:alert(7)">link</a>',
    "</p><script>alert(8)</script><p>",
    "<!-- --><script>alert(9)</script>",
    '**<div onmouseover="alert(10)">bold</div>**',
    "`<b>code</b>` and <<script>script>alert(11)<</script>/script>",
    "&lt;script&gt;alert(12)&lt;/script&gt;",
    '<iframe src="javascript:alert(13)"></iframe>',
    '"><script>alert(14)</script>',
    "# heading\n\n- list <style>body{}</style>",
    "[x]: javascript:alert(15)\n\n[x]",
    "<https://evil.example/a><script>alert(16)</script>",
]

HOSTILE_URLS = [
    "javascript:alert(17)",
    "https://evil.example/a><script>alert(18)</script>",
    'https://evil.example/" onmouseover="alert(19)',
    "data:text/html,<script>alert(20)</script>",
    "  JaVaScRiPt:alert(21)",
]

# What Markdown itself produces; anything else came from article text.
ALLOWED_TAGS = {
    "p", "ul", "ol", "li", "strong", "em", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "code", "hr", "blockquote", "br", "pre",
}  # fmt: skip


def render(markdown: str) -> str:
    """CommonMark with raw HTML on, and markdown-it's own link filter off: the report must be
    safe in the laxest renderer, not only in one that cleans up after it."""
    md = MarkdownIt("commonmark", {"html": True})
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md.render(markdown)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def live_markup(html: str) -> list[str]:
    """Every element, attribute or link in ``html`` that the report's own Markdown cannot have
    made: a non-empty list is an injection."""
    parser = _Elements()
    parser.feed(html)
    found = [f"<!--{c}-->" for c in parser.comments]
    for tag, attrs in parser.tags:
        if tag not in ALLOWED_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "src", "srcdoc"):
                found.append(f"<{tag} {name}>")
            if name == "href" and not (value or "").startswith(("http://", "https://")):
                found.append(f"<{tag} href={value!r}>")
    return found
