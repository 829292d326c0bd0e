"""When a text was published, from the text itself: dated cues scored as candidates.

Where a scrape kept no metadata its date is usually still written somewhere: in its URL
(``/2016/07/11/``), a "Published 11 July 2016" stamp, a line that is only a date near the
top, a dateline ("(Newswire.net — July 13, 2016) —", "MOSCOW, July 20 (Xinhua) --"), the
captions of its photos ("... arrives in Baghdad, July 11, 2016"), or an anniversary
("Five years after Obama withdrew US troops from Iraq", with the withdrawal dated in the
body). Each cue gives a candidate day and a weight; the weekdays the lede names ("said
Monday") pick the year of a dateline that has none; the best day wins when its score reaches
:data:`MIN_SCORE` (tuned on the dev part of ``bench/metadata_inference.py``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from storyline.clean.metadata import date_only_line
from storyline.clean.outlet_inference import reading_window
from storyline.text.dates import DATE_PATTERNS, MONTHS, full_dates, parse_date
from storyline.text.tokens import content_words, stem

MIN_SCORE = 2.0
# Lines from the top within which a bare date line is the page's own stamp, not a teaser's.
_HEAD_LINES = 12
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]([01]?\d)[/-]([0-3]?\d)(?=[/-]|$|\.|_)")
_URL_COMPACT = re.compile(r"[/_-]((?:19|20)\d\d)([01]\d)([0-3]\d)(?=[/_.-]|$)")
_LABEL = re.compile(
    r"(?i)\b(?P<label>first published|published|posted|created|last updated|updated|"
    r"modified|date)\b\s*(?:on|at|:)?\s*"
)
_MONTH_WORD = "|".join(sorted(MONTHS, key=len, reverse=True))
# "MOSCOW, July 20 (Xinhua) --", "WASHINGTON, Dec. 3 -": a wire dateline without its year.
_WIRE_DATELINE = re.compile(
    rf"^[A-Z][A-Za-z .,'-]{{1,40}},\s+(?P<month>{_MONTH_WORD})\.?\s+(?P<day>[0-3]?\d)"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\s*(?:\([^)]{1,30}\)\s*)?(?:--|[-–—_:])",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_NUMBER_WORDS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "twenty-five": 25, "thirty": 30, "forty": 40, "fifty": 50,
}  # fmt: skip
# "Five years after Obama withdrew US troops", "A decade since the attack".
_ANNIVERSARY = re.compile(
    r"\b(?P<n>\d{1,2}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")\s+"
    r"(?P<unit>years?|decades?)\s+(?:after|since|on from|on since)\s+(?P<clause>[^.,;:\"“”]+)",
    re.IGNORECASE,
)
_HOLIDAYS = {"christmas": (12, 25), "new year's day": (1, 1), "halloween": (10, 31)}
_MONTH_YEAR = re.compile(
    rf"\b(?P<month>{_MONTH_WORD}|christmas|new year's day|halloween)\.?\s+(?:of\s+)?"
    r"(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_OFFSET = re.compile(
    r"\b(?P<n>a|one|two|three|\d)\s+(?P<unit>day|week)s?\s+(?P<dir>before|after)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateGuess:
    day: date
    score: float
    evidence: str
    granularity: str = "day"  # "month" when only the month is known (the day is the cue's)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _lede_weekdays(lines: list[str]) -> set[int]:
    """Weekdays the first body lines name: news written on day D says "said Monday" for D."""
    head = " ".join(line for line in lines[:6] if len(line.split()) > 8)
    return {_WEEKDAYS.index(w.lower()) for w in _WEEKDAY.findall(head)}


def _year_for(month: int, day: int, text: str, weekdays: set[int]) -> tuple[date, str] | None:
    """The year of a dateline without one: the latest year the text names (or the one after
    or before it) on which the day is, or follows, a weekday the lede names ("said
    Thursday"). Without such a weekday there is no telling which year."""
    years = [int(y) for y in _YEAR.findall(text)]
    if not years:
        return None
    latest = max(years)
    options = [d for y in (latest, latest + 1) if (d := _safe(y, month, day))]
    for option in options:
        if option.weekday() in weekdays or (option - timedelta(days=1)).weekday() in weekdays:
            return option, "weekday"
    return None


def _dated_phrases(sentence: str) -> list[tuple[date, str]]:
    """Full dates and month-year phrases ("the Christmas of 2011") of one sentence."""
    out = [(d, "day") for d, _, _ in full_dates(sentence)]
    for match in _MONTH_YEAR.finditer(sentence):
        word = match.group("month").lower().rstrip(".")
        month, day = _HOLIDAYS.get(word, (MONTHS.get(word, 0), 1))
        when = _safe(int(match.group("year")), month, day) if month else None
        if when is None:
            continue
        offset = _OFFSET.search(sentence[: match.start()])
        if offset:
            n = (
                1
                if offset.group("n").lower() in {"a", "one"}
                else int(
                    {"two": "2", "three": "3"}.get(offset.group("n").lower(), offset.group("n"))
                )
            )
            delta = timedelta(days=n * (7 if offset.group("unit").lower() == "week" else 1))
            when = when - delta if offset.group("dir").lower() == "before" else when + delta
        out.append((when, "month"))
    return out


def _anniversary(lines: list[str], title: str | None) -> tuple[date, str, str] | None:
    """ "N years after <event>" in the headline or lede, the event dated in the body: the
    article is the event's anniversary (month precision)."""
    heads = ([title] if title else []) + lines[:3]
    sentences = [s for line in lines for s in re.split(r"(?<=[.!?])\s+", line) if s]
    for head in heads:
        for match in _ANNIVERSARY.finditer(head):
            n_text = match.group("n").lower()
            n = int(n_text) if n_text.isdigit() else _NUMBER_WORDS[n_text]
            years = n * (10 if match.group("unit").lower().startswith("decade") else 1)
            clause = {stem(w) for w in content_words(match.group("clause"))}
            best: tuple[int, date] | None = None
            for sentence in sentences:
                shared = len(clause & {stem(w) for w in content_words(sentence)})
                if shared < 2:
                    continue
                for when, _ in _dated_phrases(sentence):
                    if best is None or shared > best[0]:
                        best = (shared, when)
            if best is not None:
                when = _safe(best[1].year + years, best[1].month, best[1].day)
                if when is not None:
                    return when, match.group(0).strip(), "month"
    return None


def guess_published(
    text: str,
    *,
    url: str | None = None,
    title: str | None = None,
    captions: list[str] | None = None,
    min_score: float | None = None,
) -> DateGuess | None:
    """The day ``text`` was published, when its own words or URL say so clearly enough (a
    score of ``min_score``, by default :data:`MIN_SCORE`)."""
    text = reading_window(text)
    scores: dict[date, float] = defaultdict(float)
    evidence: dict[date, list[str]] = defaultdict(list)
    granularity: dict[date, str] = {}

    def add(day: date | None, weight: float, why: str, grain: str = "day") -> None:
        if day is None or not 1900 < day.year < 2100:
            return
        scores[day] += weight
        evidence[day].append(why)
        granularity.setdefault(day, grain)

    if url:
        for pattern, weight in ((_URL_DATE, 6.0), (_URL_COMPACT, 4.0)):
            if m := pattern.search(url):
                add(_safe(int(m[1]), int(m[2]), int(m[3])), weight, f"URL {m.group(0)!r}")
                break
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if line]
    weekdays = _lede_weekdays(lines)
    seen_date_line = False
    for index, line in enumerate(lines):
        only = date_only_line(line)
        if only is not None:
            # The first line that is only a date is the article's stamp far more often than
            # not; later ones date teasers, comments and related links.
            add(only.date(), 0.5 if seen_date_line else 3.0, f"date line {line[:60]!r}")
            seen_date_line = True
            continue
        for label in _LABEL.finditer(line[:200]):
            rest = line[label.end() : label.end() + 60]
            parsed = next(
                (p for pattern in DATE_PATTERNS if (p := pattern.match(rest)) is not None), None
            )
            if parsed is None:
                continue
            stamped = parse_date(parsed.group())
            kind = label.group("label").lower()
            weight = 2.5 if kind in {"updated", "last updated", "modified"} else 4.0
            if stamped is not None:
                add(stamped.date(), weight, f"{kind} stamp {line[:60]!r}")
        if index < _HEAD_LINES and (wire := _WIRE_DATELINE.match(line)):
            month = MONTHS[wire.group("month").lower().rstrip(".")]
            day_of_month = int(wire.group("day"))
            if wire.group("year"):
                add(_safe(int(wire.group("year")), month, day_of_month), 4.0, "dateline")
            elif (found := _year_for(month, day_of_month, text, weekdays)) is not None:
                # Weak: wire copy rarely names its own year (about 1 in 20 of the dev
                # stream's), so the latest year it names is usually a past event's.
                add(found[0], 1.0, f"dateline {wire.group(0)[:40]!r}, year by {found[1]}")
        if index < _HEAD_LINES and line.startswith("("):
            inside = line[1 : line.find(")")] if ")" in line[:90] else ""
            stamped = parse_date(inside)
            if stamped is not None:
                add(stamped.date(), 4.0, f"dateline {inside!r}")
    caption_dates = [d for c in captions or [] for d, _, _ in full_dates(c)]
    caption_dates += [
        d for line in lines if line.lower().startswith("[caption") for d, _, _ in full_dates(line)
    ]
    if caption_dates:
        latest = max(caption_dates)
        add(latest, 1.5, f"latest caption date {latest.isoformat()}")
    if (found_anniversary := _anniversary(lines, title)) is not None:
        day, phrase, grain = found_anniversary
        add(day, 2.0, f"anniversary {phrase[:60]!r}", grain)
    if not scores:
        return None
    for day in scores:
        if weekdays and (day.weekday() in weekdays or (day - timedelta(1)).weekday() in weekdays):
            scores[day] += 0.5
    best = max(scores, key=lambda day: (scores[day], day))
    if scores[best] < (MIN_SCORE if min_score is None else min_score):
        return None
    return DateGuess(
        best, scores[best], "; ".join(dict.fromkeys(evidence[best])), granularity[best]
    )
