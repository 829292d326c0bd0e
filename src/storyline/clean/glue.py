"""Character-level repairs of scraped text: whitespace, shortcodes and glued sentences.

Scrapers that drop block tags run paragraphs together ("the difference.Five years after"),
leave non-breaking spaces and zero-width characters behind, and keep WordPress shortcodes such
as ``[caption id="" ...]A photo.[/caption]`` verbatim. These helpers fix that without touching
initialisms (U.S.), amounts ($4.5bn), decimals (3.5), abbreviations (e.g.), URLs or e-mails.
"""

from __future__ import annotations

import re

# Zero-width characters and the BOM carry no text; NBSP and friends are just spaces.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_ODD_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\x0b\x0c]+")
_MULTI_SPACE = re.compile(" {2,}")

# [caption ...]text[/caption] and its siblings; the text inside is a photo caption.
_CAPTION_SHORTCODE = re.compile(
    r"\[(caption|wp_caption)\b[^\]]*\](.*?)\[/\1\]", re.IGNORECASE | re.DOTALL
)
# An <img> or <a> tag left inside a caption shortcode by the CMS.
_TAG = re.compile(r"<[^>]{1,300}>")
# Any other paired or lone shortcode: [gallery ids="1,2"], [embed]...[/embed], [/video].
_PAIRED_SHORTCODE = re.compile(
    r"\[(embed|video|audio|gallery|playlist|tweet|youtube|vimeo)\b[^\]]*\].*?\[/\1\]",
    re.IGNORECASE | re.DOTALL,
)
_LONE_SHORTCODE = re.compile(
    r"\[/?(?:caption|wp_caption|gallery|embed|video|audio|playlist|tweet|youtube|vimeo|"
    r"vc_[a-z_]+|et_pb_[a-z_]+|fusion_[a-z_]+)\b[^\]]*\]",
    re.IGNORECASE,
)

# Glue: sentence-final punctuation stuck to the next capitalised word. The left side must be
# a lower-case word of two or more letters (or a closing quote/bracket after one), so that
# single-letter initialisms (U.S., e.g.) and digits ($4.5bn, 3.5) never match.
# Both patterns open with the punctuation and check the letters before it behind it (not
# ahead of it, as "(?<=[a-z]{2})[.!?]..." would): the same matches, and the regex engine
# skips straight to punctuation instead of trying every position (five times faster a line).
_GLUE = re.compile(r"([.!?](?<=[a-z]{2}[.!?])[.!?]*[\"”’)]?)(?=[\"“‘]?[A-Z][a-z])")
_GLUE_AFTER_QUOTE = re.compile(r"([.!?])(?<=[a-z]{2}[\"”’][.!?])(?=[A-Z][a-z])")
_TOKEN = re.compile(r"\S+")
# Tokens where a dot followed by a capital letter is legitimate: URLs, domains, e-mails, paths.
_PROTECTED_TOKEN = re.compile(
    r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|\S*/\S*\.\S+|\S+\.(?:com|org|net|gov|edu|io|co)\S*",
    re.IGNORECASE,
)


def normalize_spaces(text: str) -> str:
    """Unify line endings and odd spaces; strip every line; keep the line structure."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # The patterns are skipped where they cannot match (str.isascii is a flag of the string):
    # an ASCII text has no invisible character and no odd space but a tab or a form feed.
    ascii_text = text.isascii()
    if not ascii_text:
        text = _INVISIBLE.sub("", text)
    if not ascii_text or "\t" in text or "\x0b" in text or "\x0c" in text:
        text = _ODD_SPACE.sub(" ", text)
    return "\n".join(
        (_MULTI_SPACE.sub(" ", line) if "  " in line else line).strip()
        for line in text.split("\n")
    )


def extract_shortcodes(text: str) -> tuple[str, list[str]]:
    """Pull caption shortcodes out of ``text``; return the text and the captions, in order.

    A caption that sat inside a paragraph leaves a line break behind, so the caption never
    glues two halves of a paragraph into a single run-on line.
    """
    captions: list[str] = []

    def _take(match: re.Match[str]) -> str:
        caption = " ".join(_TAG.sub(" ", match.group(2)).split())
        if caption:
            captions.append(caption)
        return "\n"

    text = _CAPTION_SHORTCODE.sub(_take, text)
    text = _PAIRED_SHORTCODE.sub("\n", text)
    text = _LONE_SHORTCODE.sub("", text)
    return text, captions


# What every alternative of _PROTECTED_TOKEN needs somewhere in its token.
_PROTECTED_HINTS = ("://", "www.", "@", "/", ".com", ".org", ".net", ".gov", ".edu", ".io", ".co")


def _protected_spans(line: str) -> list[tuple[int, int]]:
    r"""The spans of _PROTECTED_TOKEN in ``line``, searched token by token.

    A match never crosses whitespace, so searching each whitespace-separated token finds the
    same matches; a token with none of the marks a URL, domain, e-mail or path needs is
    skipped. Searching the whole line retried ``\S+`` from every character of a long token
    (a run of 200,000 dots took minutes).
    """
    spans: list[tuple[int, int]] = []
    lowered_line = line.lower()
    if not any(hint in lowered_line for hint in _PROTECTED_HINTS):
        return spans  # no token can hold a hint the whole line lacks (the hints are ASCII)
    for token in _TOKEN.finditer(line):
        lowered = token.group().lower()
        if any(hint in lowered for hint in _PROTECTED_HINTS):
            spans.extend(
                m.span() for m in _PROTECTED_TOKEN.finditer(line, token.start(), token.end())
            )
    return spans


def repair_glue(line: str) -> str:
    """Put a space into "word.Word" glue, leaving URLs, e-mails and initialisms alone."""
    if "." not in line and "!" not in line and "?" not in line:
        return line
    if _GLUE.search(line) is None and _GLUE_AFTER_QUOTE.search(line) is None:
        return line  # nothing glued: no need to find the URLs that glue would spare
    protected = _protected_spans(line)

    def _fix(match: re.Match[str]) -> str:
        position = match.start()
        if any(start <= position < end for start, end in protected):
            return match.group()
        return match.group() + " "

    line = _GLUE.sub(_fix, line)
    return _GLUE_AFTER_QUOTE.sub(_fix, line)
