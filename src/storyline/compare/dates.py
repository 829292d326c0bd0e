"""Resolve date expressions against an article's publication date.

News copy mostly writes dates relative to the day of writing ("on Monday", "three months ago",
"last week"), so they only mean something once anchored to ``Article.published``. The rules
follow newsroom convention: a bare weekday is the latest such day on or before publication; a
month or day without a year is the nearest past one, unless it falls within two months ahead
("before Trump enters the White House on 20 January", written in December).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from storyline.text.lexicon import MONTHS, WEEKDAYS, WORD_NUMBERS

# "a week ago", "three months ago": relative dates count in small words.
SMALL_NUMBERS = {"a": 1, "an": 1} | {w: n for w, n in WORD_NUMBERS.items() if 1 <= n <= 12}

_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MDY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}}))?\b", re.I)
_MY = re.compile(rf"\b{_MONTH}(?:\s+of)?\s+(\d{{4}})\b", re.I)
_MONTH_ONLY = re.compile(rf"^(?:in |last |this |early |late |mid-?)?{_MONTH}$", re.I)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_AGO = re.compile(
    r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(day|week|month|year)s?\s+ago\b",
    re.I,
)
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)


UNKNOWN_YEAR = 4  # a leap year, so "February 29" resolves; never a real news date


@dataclass(frozen=True)
class ResolvedDate:
    day: date  # first day of the period
    granularity: str  # "day", "week", "month", "year", or "monthday" (day of unknown year)

    @property
    def iso(self) -> str:
        if self.granularity == "monthday":
            return f"--{self.day.month:02d}-{self.day.day:02d}"  # ISO 8601 without the year
        if self.granularity == "year":
            return f"{self.day.year:04d}"
        if self.granularity == "month":
            return f"{self.day.year:04d}-{self.day.month:02d}"
        return self.day.isoformat()

    def overlaps(self, other: ResolvedDate) -> bool:
        a0, a1 = self.bounds()
        b0, b1 = other.bounds()
        return a0 <= b1 and b0 <= a1

    def bounds(self) -> tuple[date, date]:
        d = self.day
        if self.granularity == "year":
            return date(d.year, 1, 1), date(d.year, 12, 31)
        if self.granularity == "month":
            nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            return date(d.year, d.month, 1), nxt - timedelta(days=1)
        if self.granularity == "week":
            return d, d + timedelta(days=6)
        return d, d


def _number(word: str) -> int:
    return int(word) if word.isdigit() else SMALL_NUMBERS[word.lower()]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _nearest_year(month: int, day: int, ref: date) -> date | None:
    # Past by default; a date up to two months ahead is a scheduled event in the near future.
    for year in (ref.year, ref.year + 1, ref.year - 1):
        candidate = _safe_date(year, month, day)
        if candidate and timedelta(0) <= candidate - ref <= timedelta(days=62):
            return candidate
    candidate = _safe_date(ref.year, month, day)
    if candidate and candidate <= ref:
        return candidate
    return _safe_date(ref.year - 1, month, day)


def resolve(text: str, published: datetime | date | None) -> ResolvedDate | None:
    """The date or period ``text`` names, or None when it is not a point in time."""
    ref = published.date() if isinstance(published, datetime) else published
    low = text.lower().strip()
    if m := _ISO.search(low):
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return ResolvedDate(d, "day") if d else None
    for pattern, order in ((_MDY, "md"), (_DMY, "dm")):
        if m := pattern.search(low):
            month_word, day_word = (m[1], m[2]) if order == "md" else (m[2], m[1])
            month = MONTHS.get(month_word.rstrip(".")[:3] if month_word[:4] != "sept" else "sep")
            month = MONTHS.get(month_word.rstrip("."), month)
            if month is None:
                continue
            if m[3]:
                d = _safe_date(int(m[3]), month, int(day_word))
            elif ref:
                d = _nearest_year(month, int(day_word), ref)
            else:
                # No year and no publication date: still a day, comparable with the same
                # kind of date in another source ("December 7" vs "December 10").
                d = _safe_date(UNKNOWN_YEAR, month, int(day_word))
                return ResolvedDate(d, "monthday") if d else None
            if d:
                return ResolvedDate(d, "day")
    if m := _MY.search(low):
        month = MONTHS.get(m[1].rstrip("."))
        if month:
            return ResolvedDate(date(int(m[2]), month, 1), "month")
    # "2011" is a year; "two years" is a duration and "the 2011 years" is rare enough to ignore.
    m = _YEAR.search(low)
    if m and (not re.search(r"\b(years?|decades?)\b(?! ago)", low) or "of " + m[1] in low):
        return ResolvedDate(date(int(m[1]), 1, 1), "year")
    if ref is None:
        return None
    if m := _AGO.search(low):
        n, unit = _number(m[1]), m[2].lower()
        if unit == "day":
            return ResolvedDate(ref - timedelta(days=n), "day")
        if unit == "week":
            return ResolvedDate(ref - timedelta(weeks=n), "week")
        if unit == "month":
            months = ref.year * 12 + ref.month - 1 - n
            return ResolvedDate(date(months // 12, months % 12 + 1, 1), "month")
        return ResolvedDate(date(ref.year - n, 1, 1), "year")
    if m := _MONTH_ONLY.match(low):
        month = MONTHS.get(m[1].rstrip("."))
        if month:
            d = _nearest_year(month, 1, ref.replace(day=1))
            return ResolvedDate(d, "month") if d else None
    if low in {"today", "tonight", "this morning", "this afternoon", "this evening", "now"}:
        return ResolvedDate(ref, "day")
    if low in {"yesterday", "last night"}:
        return ResolvedDate(ref - timedelta(days=1), "day")
    if low == "tomorrow":
        return ResolvedDate(ref + timedelta(days=1), "day")
    if m := _WEEKDAY.search(low):
        if len(low.split()) > 3:
            return None  # "every Monday since March": not one day
        target = WEEKDAYS.index(m[1].lower())
        back = (ref.weekday() - target) % 7
        if low.startswith("next "):
            return ResolvedDate(ref + timedelta(days=(target - ref.weekday()) % 7 or 7), "day")
        if low.startswith("last ") and back == 0:
            back = 7
        return ResolvedDate(ref - timedelta(days=back), "day")
    if low in {"last week", "earlier this week"}:
        return ResolvedDate(
            ref - timedelta(days=7 if low == "last week" else ref.weekday()), "week"
        )
    if low in {"this month", "earlier this month", "earlier in this month", "earlier in the month"}:
        return ResolvedDate(ref.replace(day=1), "month")
    if low == "last month":
        months = ref.year * 12 + ref.month - 2
        return ResolvedDate(date(months // 12, months % 12 + 1, 1), "month")
    if low in {"this year", "earlier this year"}:
        return ResolvedDate(date(ref.year, 1, 1), "year")
    if low == "last year":
        return ResolvedDate(date(ref.year - 1, 1, 1), "year")
    return None
