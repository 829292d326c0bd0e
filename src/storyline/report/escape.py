"""One place that makes untrusted article text safe to show: every renderer uses it.

Article text, titles, outlets, quotes and URLs come from scraped pages and are untrusted.
:func:`markdown_text` turns any string into inert inline Markdown (no HTML, no links, no
emphasis, no block structure, no terminal control codes); :func:`safe_url` lets through only
http(s) URLs, with the characters that could end a link or an attribute percent-encoded; a
renderer of another format (HTML through Jinja2's autoescape) uses ``safe_url`` and
:func:`plain_text` the same way.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

# Characters that open a Markdown or HTML construct anywhere in a line. Backslash first so the
# escapes added for the others are not escaped again. "(" and ")" need no escape once "[" and
# "]" have one (no link can start), and "-", "+", "#", "=" only at the start of a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&~|])")
# Block markers that take effect at the start of a line: headings, quotes, lists, rules.
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d{1,9}(?=[.)]))")
_ALLOWED_SCHEMES = frozenset({"http", "https"})
# Kept as they are in a URL; everything else (space, quotes, <, >, backslash, backtick, braces,
# non-ASCII) is percent-encoded, so the URL cannot end an autolink or an HTML attribute.
_URL_SAFE = "/?#[]@!$&()*+,;=%-._~:"
_MAX_URL = 4096


def plain_text(text: str | None) -> str:
    """One line of printable text: white space runs collapsed, control characters (terminal
    escape codes, NUL) and bidirectional overrides (which reorder what a reader sees) removed."""
    if not text:
        return ""
    if text.isprintable():
        # No control, format (bidirectional overrides are format characters) or separator
        # character but the space: nothing to drop or replace, only runs of spaces to collapse.
        return " ".join(text.split())
    kept = (" " if ch.isspace() else ch for ch in text if ch.isspace() or not _hidden(ch))
    return " ".join("".join(kept).split())


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _hidden(ch: str) -> bool:
    return ch in _BIDI_CONTROLS or unicodedata.category(ch) == "Cc"


def markdown_text(text: str | None) -> str:
    """Untrusted text as inert inline Markdown: rendered, it shows the same characters and
    creates no HTML element, link, image, emphasis, heading or list."""
    line = plain_text(text)
    if not line:
        return ""
    line = _INLINE_SPECIAL.sub(r"\\\1", line)
    match = _LINE_START.match(line)
    if match:
        marker = match.group(2)
        if marker.isdigit():  # "1." or "1)" would start an ordered list: escape the dot
            end = match.end()
            line = line[:end] + "\\" + line[end:]
        else:
            line = line[: match.start(2)] + "\\" + line[match.start(2) :]
    return line


def safe_url(url: str | None) -> str | None:
    """An http(s) URL fit to link to, percent-encoded where it has to be; None for anything
    else (``javascript:``, ``data:``, relative or malformed URLs)."""
    if not url:
        return None
    url = url.strip()
    if not url or len(url) > _MAX_URL or any(unicodedata.category(ch) == "Cc" for ch in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in _ALLOWED_SCHEMES or not host:
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    if not re.fullmatch(r"[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\]", ascii_host) and not re.fullmatch(
        r"[0-9A-Fa-f:.]+", ascii_host
    ):
        return None
    if ":" in ascii_host:  # an IPv6 literal goes back in brackets
        ascii_host = f"[{ascii_host.strip('[]')}]"
    netloc = ascii_host + (f":{port}" if port is not None else "")
    if parts.username or parts.password:
        return None  # credentials in a link are a phishing trick, never a news source
    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE),
            quote(parts.fragment, safe=_URL_SAFE),
        )
    )


def markdown_link(url: str | None) -> str:
    """A Markdown autolink for a safe URL; any other URL as inert text (no link)."""
    safe = safe_url(url)
    if safe is not None:
        return f"<{safe}>"
    return markdown_text(url)


__all__ = ["markdown_link", "markdown_text", "plain_text", "safe_url"]
