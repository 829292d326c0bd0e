"""Metadata found in the text itself: datelines, bylines and the outlet's name.

Scraped articles often carry their metadata as lines of text: ``11 July, 2016``,
``(Newswire.net — July 13, 2016) —During his visit...``, ``By Jane Smith``, a trailing
``By Press TV``. These parsers recognise such lines (or line prefixes) so that clean can drop
them from the body and keep what they say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from storyline.text.dates import DATE_PATTERNS, parse_date

# Words that make a "By X" name an outlet rather than a person.
_OUTLET_WORDS = re.compile(
    r"\b(?:tv|news|times|post|press|agency|agencies|wire|reuters|ap|afp|upi|bbc|cnn|herald|"
    r"journal|tribune|gazette|daily|weekly|magazine|radio|staff|desk|media|network|"
    r"online|editorial|correspondent)\b|\.(?:com|net|org|co|uk|in)\b",
    re.IGNORECASE,
)
# "By Jane Smith", "By Jane Smith and John Roe", "By JANE SMITH, Reuters", "Words by ..."
_BYLINE = re.compile(
    # "/ Updated By ..." is how NBC News pages scrape: a "Published / Updated" stamp lost
    # its dates.
    r"^(?:[/|•]\s*)?(?:(?:published\s*/\s*)?updated\s+|words\s+|written\s+|posted\s+|"
    r"reporting\s+)?by[:\s]+(?P<name>[^\n]{2,80}?)"
    r"(?:\s*[|,•·–—-]\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.|de|van|von|der|da|al|bin|and|&)$")
# "(Newswire.net — July 13, 2016) —" at the head of the first paragraph.
_PAREN_DATELINE = re.compile(r"^\((?P<inside>[^()]{3,80})\)\s*[—–-]+\s*")


@dataclass(frozen=True)
class Dateline:
    outlet: str | None
    published: datetime | None


_STAMP_LABEL = re.compile(
    r"^(?:published|updated|posted|last updated|first published|date)\s*(?:on|:)?\s*",
    re.IGNORECASE,
)


def date_only_line(line: str) -> datetime | None:
    """The date when ``line`` is nothing but a date (with time, weekday or an "Updated" label)."""
    if "19" not in line and "20" not in line:
        return None  # every date pattern holds a year, 19xx or 20xx: most lines have none
    stripped = _STAMP_LABEL.sub("", line.strip())
    for pattern in DATE_PATTERNS:
        match = pattern.fullmatch(stripped.strip(" .|/–—-"))
        if match:
            return parse_date(match.group())
    return None


def split_dateline_prefix(line: str) -> tuple[Dateline | None, str]:
    """Split "(Outlet — July 13, 2016) —Body..." into the dateline and the body text.

    Only a parenthesised prefix that holds a date counts: "(Reuters) — ..." is the wire's
    credit inside the lede and stays in the text.
    """
    match = _PAREN_DATELINE.match(line)
    if match is None:
        return None, line
    inside = match.group("inside")
    published = parse_date(inside)
    if published is None:
        return None, line
    outlet = re.split(r"\s*[—–|,-]\s*", inside, maxsplit=1)[0].strip()
    if parse_date(outlet) is not None or not outlet:
        outlet = None
    return Dateline(outlet=outlet, published=published), line[match.end() :].strip()


def parse_byline(line: str) -> tuple[str | None, str | None] | None:
    """``(author, outlet)`` when ``line`` is a bare byline such as "By Jane Smith", else None."""
    stripped = line.strip()
    if len(stripped) > 120:
        return None
    match = _BYLINE.match(stripped)
    if match is None:
        return None
    name = match.group("name").strip(" .,")
    rest = (match.group("rest") or "").strip()
    tokens = name.split()
    if not tokens or len(tokens) > 8:
        return None
    if not all(_NAME_TOKEN.match(token.strip(",")) for token in tokens):
        return None
    outlet = None
    if _OUTLET_WORDS.search(name):
        return None, name
    if rest and parse_date(rest) is None and _OUTLET_WORDS.search(rest):
        outlet = rest.strip(" .")
    return name, outlet
