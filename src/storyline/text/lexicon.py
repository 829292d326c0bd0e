"""Word tables of English news text: number words, scales, currencies, hedges, months, days.

One place for them, so that the comparison, the date resolver, the cleaner and the report spell
a month or a number word the same way.
"""

from __future__ import annotations

WORD_NUMBERS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
}
SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "£": "GBP",
    "pound sterling": "GBP",
    "€": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "¥": "JPY",
    "yen": "JPY",
    "yuan": "CNY",
    "rupees": "INR",
}

# Ordered longest first so "more than" wins over "more".
QUALIFIERS: list[tuple[str, str]] = [
    (
        r"approximately|approx\.?|about|around|roughly|some|an estimated|estimated|circa|about",
        "about",
    ),
    (r"more than|over|above|in excess of|upwards of|greater than|exceeding|more then", "more than"),
    (r"at least|no fewer than|no less than|a minimum of|a minimum|not less than", "at least"),
    (r"nearly|almost|close to|just under|just shy of|nearing", "nearly"),
    (r"up to|as many as|at most|no more than|a maximum of|as much as|as high as", "up to"),
    (r"less than|fewer than|under|below", "less than"),
]

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
