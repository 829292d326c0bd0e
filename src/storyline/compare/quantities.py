"""Numbers, amounts and quantities in sentences, normalised so they can be compared.

A :class:`Quantity` keeps what the writer said (qualifier, unit, precision) and turns it into an
interval of plausible true values. Journalistic round numbers are fuzzy in a known way: "5,000"
is rounded, "more than 4,600" means a little above 4,600, not anything above it. Precision
matters more than recall, so the intervals are tight enough that "4,600" and "5,000" clash but
"more than 4,600" and "4,647" do not, and a converted unit ("60 kilometers (40 miles)") gets the
slack its rounding needs.

This module works on text alone; :mod:`.mentions` finds the quantities of a parsed document.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from storyline.compare import units
from storyline.text.lexicon import QUALIFIERS, SCALES, WORD_NUMBERS

# Any currency written out or as a sign, beyond the ones CURRENCIES can convert.
# "Pounds" alone is a weight as often ("he's 14 pounds"); with a scale word it is money.
MONEY_WORD = re.compile(
    r"[$£€¥₹]|\b(?:dollars?|cents?|pence|sterling|euros?|yen|yuan|renminbi|rupees?|pesos?|"
    r"r[ou]bles?|francs?|won|rand|dinars?|riyals?|dirhams?|lira|shekels?|naira|bucks)\b|"
    r"\b(?:thousand|million|billion|bn|m)\s+pounds\b",
    re.I,
)

# Right before a phone number: "call 911", "dialled 999".
PHONE_CALL = re.compile(r"\b(?:call(?:ed|ing)?|dial(?:l?ed|l?ing)?)\s*$", re.I)

_QUALIFIER_RES = [(re.compile(rf"(?:^|\W)((?:{pat}))\s*$", re.I), name) for pat, name in QUALIFIERS]
NUMBER = re.compile(
    r"(?P<cur>US\$|\$|£|€|¥)?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*-?\s*(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|mln|m|k|tn|b)\b)?",
    re.I,
)
WORDNUM = re.compile(
    r"\b(?P<word>(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|"
    r"four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a|a few))\s+"
    r"(?P<scale>hundred|thousand|million|billion|trillion|dozen)?\b",
    re.I,
)
_SMALL_WORD = re.compile(
    r"^(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
    r"(?:-\w+)?$",
    re.I,
)


@dataclass(frozen=True)
class Quantity:
    value: float  # in base units (metres, USD, people ...)
    precision: float  # the rounding of the written number, in base units
    qualifier: str  # "", "about", "more than", "at least", "nearly", "up to", "less than"
    dimension: str  # "count", "length", "money:USD", "percent", ...
    unit: str = ""  # the written unit ("mile", "km"), "" for counts
    converted: bool = False  # the writer's unit is not the base unit
    high: float | None = None  # upper end of a range ("130-170 degrees", "50 to 100 piles")
    # Written with a scale word ("8 million"): such figures are rounded more loosely than
    # "4,600", so "8 million" and "8.4 million" agree while "5 million" and "4.6 million" don't.
    scaled: bool = False

    def interval(self) -> tuple[float, float]:
        v, p = self.value, self.precision
        if self.high is not None:
            slack = max(p / 2, 0.02 * abs(self.high))
            return v - slack, self.high + slack
        slack = min(p / 2, (0.05 if self.scaled else 0.02) * abs(v)) if v else p / 2
        if self.converted:
            # Converted figures are rounded in their own unit: 60 km is "40 miles" in print.
            slack = max(slack, 0.08 * abs(v))
        q = self.qualifier
        if q == "about":
            wide = max(p / 2, 0.1 * abs(v), slack)
            return v - wide, v + wide
        if q == "more than":
            return v - slack, v + max(p, 0.05 * abs(v), slack)
        if q == "at least":
            return v - slack, v + max(p, 0.1 * abs(v), slack)
        if q == "nearly":
            return v - max(p, 0.1 * abs(v)), v + slack
        if q in {"up to", "less than"}:
            return 0.0, v + slack
        return v - slack, v + slack

    def compatible(self, other: Quantity) -> bool:
        if self.dimension != other.dimension:
            return False
        a, b = self, other
        if a.qualifier == b.qualifier and a.qualifier in {"up to", "less than"}:
            # Two ceilings always overlap at zero; "as many as 300,000" vs "as many as 450,000"
            # are two different estimates, so compare the figures themselves.
            a = Quantity(a.value, a.precision, "about", a.dimension, a.unit, a.converted, a.high)
            b = Quantity(b.value, b.precision, "about", b.dimension, b.unit, b.converted, b.high)
        if a.unit and a.unit == b.unit:
            # Both written in the same unit ("220 pounds", "225 pounds"): no conversion rounding
            # stands between them.
            a, b = replace(a, converted=False), replace(b, converted=False)
        a0, a1 = a.interval()
        b0, b1 = b.interval()
        # The intervals must share more than an end: "6 feet 4 inches" and "6 feet 5 inches",
        # each exact to half an inch, meet at 6 feet 4.5 inches and still differ.
        tolerance = 1e-9 * max(abs(a1), abs(b1), 1.0)
        return a0 < b1 - tolerance and b0 < a1 - tolerance

    def display(self) -> str:
        text = _format(self.value, self.dimension)
        if self.high is not None:
            text = f"{_format(self.value, 'count')}–{_format(self.high, self.dimension)}"
        return f"{self.qualifier} {text}".strip()


# The dimension of a person's age (:mod:`.ages`): a measure of one person, not of the story.
AGE_DIMENSION = "age"


def _format(value: float, dimension: str) -> str:
    if dimension.startswith("money:"):
        cur = dimension.split(":", 1)[1]
        for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if abs(value) >= scale:
                return f"{cur} {value / scale:g} {word}"
        return f"{cur} {value:,.0f}"
    if dimension == "percent":
        return f"{value:g}%"
    if dimension == AGE_DIMENSION:
        return f"{value:g}"
    if dimension == "count":
        return f"{value:,.0f}" if value == int(value) else f"{value:,g}"
    symbol = next((u.symbol for u in units.UNITS.values() if u.dimension == dimension), "")
    if dimension == "length" and value >= 1000:
        return f"{value / 1000:,.1f} km"
    if dimension == "area" and value >= 1e6:
        return f"{_short(value / 1e6)} km²"
    if dimension == "speed":
        return f"{_short(value * 3.6)} km/h"  # base unit m/s; news gives km/h or mph
    return f"{value:,.4g} {symbol}"


def _short(x: float) -> str:
    """Four significant digits, without exponent notation ("21,000", "19.67")."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:,.4g}"


def number_precision(number: str) -> float:
    number = number.replace(",", "")
    if "." in number:
        return 10.0 ** -len(number.split(".")[1])
    stripped = number.rstrip("0")
    return 10.0 ** (len(number) - len(stripped)) if stripped else 1.0


def parse_number(text: str) -> tuple[float, float, str, re.Match[str]] | None:
    """(value, precision, currency, match) of the first number written in ``text``."""
    m = NUMBER.search(text)
    if m:
        raw = m["num"]
        value = float(raw.replace(",", ""))
        precision = number_precision(raw)
        scale = (m["scale"] or "").lower()
        # "5 m" is ambiguous (metres/million); trust it as a scale only after a currency sign.
        if scale and (scale not in {"m", "b"} or m["cur"]):
            value *= SCALES[scale]
            precision *= SCALES[scale] if "." not in raw else 1
            if "." in raw:
                precision = 10.0 ** -len(raw.split(".")[1]) * SCALES[scale]
        return value, precision, (m["cur"] or "").lower(), m
    w = WORDNUM.search(text)
    if w and w["word"].lower() not in {"a", "a few"} | ({"one"} if not w["scale"] else set()):
        word = w["word"].lower()
        head, _, tail = word.partition("-")
        value = float(WORD_NUMBERS[head] + (WORD_NUMBERS.get(tail, 0)))
        precision = 1.0
        if w["scale"]:
            value *= 12 if w["scale"].lower() == "dozen" else SCALES[w["scale"].lower()]
            precision = value / float(WORD_NUMBERS[head] + WORD_NUMBERS.get(tail, 0))
        return value, precision, "", w
    if w and w["word"].lower() == "a" and w["scale"]:
        scale = w["scale"].lower()
        value = 12.0 if scale == "dozen" else SCALES[scale]
        return value, value, "", w
    return None


def qualifier_before(text: str) -> str:
    """The hedge written just before a number ("approximately more than" -> "more than")."""
    found = ""
    rest = text
    # Several hedges can stack ("approximately more than"); the directional one decides.
    for _ in range(3):
        for regex, name in _QUALIFIER_RES:
            m = regex.search(rest)
            if m:
                if not found or found == "about":
                    found = name
                rest = rest[: m.start(1)]
                break
        else:
            break
    return found


def qualifier_words(text: str) -> str:
    """The hedge words as written, for display ("approximately more than")."""
    words: list[str] = []
    rest = text
    for _ in range(3):
        for regex, _name in _QUALIFIER_RES:
            m = regex.search(rest)
            if m:
                words.insert(0, m.group(1))
                rest = rest[: m.start(1)]
                break
        else:
            break
    return " ".join(words)


RATE = re.compile(
    r"\b(?:a|per|each|every)\s+(?:year|month|week|day|hour|minute|second|capita|person)\b"
    r"(?! ago| earlier| later| before| after)|\bannually\b",
    re.I,
)
# Words that mark a count as a tally that grows as reports come in.
RUNNING = re.compile(
    r"\b(?:so far|to date|as of|already|has (?:risen|climbed|grown|reached)|rose to|risen to|"
    r"climbed to|jumped to|increased to|toll|tally)\b",
    re.I,
)
_RANGE_TAIL = re.compile(r"\s*(?:-|–|—|to)\s*(?:US\$|\$|£|€)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)")


def range_end(text: str, pos: int, limit: int, before: str, scale: float) -> float | None:
    """The upper end of "130-170", "50 to 100", "between 25 and 30", scaled like the start."""
    m = _RANGE_TAIL.match(text, pos, limit)
    if m is None and re.search(r"\bbetween\s*(?:US\$|\$|£|€)?$", before):
        m = re.compile(r"\s*and\s*(?:US\$|\$|£|€)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)").match(
            text, pos, limit
        )
    if m is None:
        return None
    return float(m.group(1).replace(",", "")) * scale


DURATION = re.compile(
    r"\b\d[\d,]*\s*-?\s*(?:hours?|days?|weeks?|months?|years?|decades?|minutes?)\b(?! ago)", re.I
)
AGE = re.compile(r"\s*-?\s*(?:years?|months?|weeks?|days?)[- ]old\b", re.I)
YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_PERIOD = re.compile(
    r"\b(?:(?:1[89]|20)\d\d|january|february|march|april|june|july|august|september|october|"
    r"november|december|(?:first|second|third|fourth|last|this|next|previous) "
    r"(?:quarter|year|month))\b|\b(?:jan|feb|aug|sept?|oct|"
    r"nov|dec)\.",
    re.I,
)
CLOCK = re.compile(
    r"\s*(?:GMT|UTC|EST|EDT|CST|CDT|PST|PDT|CET|local time|hours? (?:GMT|local)|"
    r"a\.m\.|p\.m\.|am\b|pm\b|o'clock)",
    re.I,
)


def periods(sentence: str) -> frozenset[str]:
    """The years, months and quarters a sentence names, normalised ("Sept." -> "sep")."""
    found = set()
    for m in _PERIOD.finditer(sentence):
        word = m.group(0).lower().rstrip(".")
        found.add(word[:3] if word[:3].isalpha() and " " not in word else word)
    return frozenset(found)


_COMPOUND_PART = re.compile(
    r"(?P<unit>\s*[a-z]+)\s*,?\s*(?:and\s+)?(?P<num>\d+(?:\.\d+)?)\s*(?P<smaller>[a-z]+)\b", re.I
)


def smaller_unit_part(after: str, unit: units.Unit) -> tuple[float, float, int] | None:
    """The second part of a compound measure right after a number's unit: its value in base
    units, its precision, and how many characters of ``after`` the whole measure takes."""
    m = _COMPOUND_PART.match(after)
    first = units.lookup(m["unit"]) if m else None
    if m is None or first is None or first[1] != unit:
        return None
    found = units.lookup(m["smaller"])
    if found is None:
        return None
    smaller = found[1]
    if smaller.dimension != unit.dimension or smaller.offset or smaller.factor >= unit.factor:
        return None
    return (
        units.to_base(float(m["num"]), smaller),
        number_precision(m["num"]) * smaller.factor,
        m.end(),
    )


def magnitude_close(a: float, b: float, factor: float = 10.0) -> bool:
    if a <= 0 or b <= 0:
        return a == b
    return abs(math.log10(a) - math.log10(b)) < math.log10(factor)
