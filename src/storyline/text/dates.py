"""Calendar dates written out in full: "July 13, 2016", "13 July, 2016", "2016-07-13".

Text only (no parse): the cleaner reads datelines and "Published" stamps with it, date
inference scores candidate days, and the comparison dates photo captions. Relative dates
("on Monday", "three months ago") are the comparison's job (:mod:`storyline.compare.dates`).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from storyline.text.lexicon import MONTHS

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_TIME = r"(?:\s*(?:[,|/–—-]|at)?\s*\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
# "July 13, 2016", "13 July, 2016", "2016-07-13", "13/07/2016" is ambiguous and left alone.
DATE_PATTERNS = [
    re.compile(_WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + _TIME, re.IGNORECASE),
    re.compile(_WEEKDAY + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR + _TIME, re.IGNORECASE),
    re.compile(
        r"(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?:[T ]\d\d:\d\d(?::\d\d)?)?"
    ),
]


def parse_date(text: str) -> datetime | None:
    """The first unambiguous calendar date in ``text``, or None."""
    for pattern in DATE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        month_text = match.group("month").lower().rstrip(".")
        month = int(month_text) if month_text.isdigit() else MONTHS[month_text]
        try:
            return datetime(int(match.group("year")), month, int(match.group("day")))
        except ValueError:
            continue
    return None


def full_dates(text: str) -> list[tuple[date, int, int]]:
    """Every unambiguous calendar date in ``text`` with its character span."""
    found = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            parsed = parse_date(match.group())
            if parsed is not None:
                found.append((parsed.date(), match.start(), match.end()))
    return found
