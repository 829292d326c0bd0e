"""What a sentence claims that can be checked word for word: figures, dates, names, quotations,
attributions and negations. Text only (regular expressions and the comparison's tables, no
tagger), so checking a generated summary costs milliseconds.

Figures are parsed the way :mod:`storyline.compare.quantities` parses them (the same number pattern,
scale words, qualifiers and unit table) into a :class:`~storyline.compare.quantities.Quantity`, so
"4,600", "4600" and "4.6 thousand" are one figure and "40 miles" is "64 km".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from storyline.compare import dates, units
from storyline.compare.entities import _ALIAS_TO_CANONICAL, KNOWN_ALIASES, TITLES
from storyline.compare.quantities import (
    NUMBER,
    WORDNUM,
    Quantity,
    number_precision,
    qualifier_before,
)
from storyline.text.lexicon import CURRENCIES, SCALES, WORD_NUMBERS
from storyline.text.tokens import STOP_WORDS

_MONEY_AFTER = re.compile(r"\s*(dollars?|euros?|pounds sterling|yen|yuan|rupees)\b", re.I)
_PERCENT_AFTER = re.compile(r"\s*(%|per ?cent\b)", re.I)
_YEAR_ONLY = re.compile(r"^(1[89]\d\d|20\d\d)$")
# Date phrases the comparison's resolver understands, longest first.
_DATE_PHRASE = re.compile(
    rf"{dates._MDY.pattern}|{dates._DMY.pattern}|{dates._MY.pattern}|"
    r"\b(?:last |next |on |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
    r"\b(?:yesterday|today|tomorrow|last night|last week|last month|last year)\b",
    re.I,
)
_MONTH_AND_DAY_WORDS = frozenset(dates.MONTHS) | frozenset(dates.WEEKDAYS) | {"sept"}

# Quotations: straight, curly and the DUC corpora's ``...'' marks.
_QUOTATION = re.compile(r"“([^”]{2,})”|\"([^\"]{2,})\"|``(.{2,}?)''")

# A capitalised run: "Ash Carter", "Islamic State", "U.S.", "Qayyarah Air Base".
_NAME_RUN = re.compile(
    r"(?:[A-Z][\w'’.-]*|(?:of|the|al|bin|de|van|von|and)(?=\s+[A-Z]))"
    r"(?:\s+(?:[A-Z][\w'’.-]*|(?:of|the|al|bin|de|van|von|and)(?=\s+[A-Z])))*"
)

# Who a claim is credited to: "according to X", "X said/reported/put ...".
SPEECH_VERBS = (
    "said|says|reported|reports|told|tells|stated|states|announced|announces|claimed|claims|"
    "estimated|estimates|put|puts|wrote|writes|added|adds|confirmed|confirms|cited|cites|"
    "quoted|quotes|noted|notes|warned|warns|insisted|insists|argued|argues|denied|denies"
)
_ACCORDING_TO = re.compile(
    r"\b(?:according to|as reported by|cited by|reported by)\s+([^,.;]+)", re.I
)
_CREDITED = re.compile(
    rf"(?:^|[,;:]\s*|\band\s+|\bbut\s+|\bwhile\s+)((?:the\s+)?[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*){{0,4}})"
    rf"\s+(?:{SPEECH_VERBS})\b"
)
_CREDITED_AFTER = re.compile(
    rf"[,”\"']\s*(?:{SPEECH_VERBS})\s+((?:the\s+)?[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*){{0,4}})"
)

NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor without cannot n't denied deny denies refused "
    "refuses rejected rejects failed fails unable".split()
)
# Pairs that reverse a claim when one is written for the other.
ANTONYMS: dict[str, str] = {}
for _a, _b in (
    ("rose", "fell"),
    ("rise", "fall"),
    ("rising", "falling"),
    ("increase", "decrease"),
    ("increased", "decreased"),
    ("increases", "decreases"),
    ("won", "lost"),
    ("win", "lose"),
    ("approved", "rejected"),
    ("accepted", "rejected"),
    ("confirmed", "denied"),
    ("admitted", "denied"),
    ("allowed", "banned"),
    ("higher", "lower"),
    ("more", "fewer"),
    ("gained", "lost"),
    ("up", "down"),
    ("open", "closed"),
    ("opened", "closed"),
    ("alive", "dead"),
    ("guilty", "innocent"),
    ("acquitted", "convicted"),
    ("support", "oppose"),
    ("supported", "opposed"),
    ("supports", "opposes"),
    ("before", "after"),
    ("expanded", "reduced"),
    ("raised", "lowered"),
    ("began", "ended"),
    ("started", "stopped"),
    ("arrived", "left"),
    ("killed", "survived"),
):
    ANTONYMS[_a], ANTONYMS[_b] = _b, _a


@dataclass(frozen=True)
class Figure:
    """A number as written and as a comparable quantity."""

    text: str
    quantity: Quantity
    is_year: bool = False
    start: int = 0  # where it is written in the sentence


@dataclass
class Claims:
    figures: list[Figure] = field(default_factory=list)
    date_phrases: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    quotations: list[str] = field(default_factory=list)
    credited_to: list[str] = field(default_factory=list)
    negated: bool = False
    words: list[str] = field(default_factory=list)  # lower-cased word tokens


def figures(text: str) -> list[Figure]:
    """Every number in ``text`` as a Quantity, parsed as :mod:`storyline.compare.quantities`
    parses it."""
    found: list[Figure] = []
    taken: list[tuple[int, int]] = []
    for m in NUMBER.finditer(text):
        raw = m["num"]
        if m.start("num") > 0 and text[m.start("num") - 1] in "-/:" and m["cur"] is None:
            continue  # phone numbers, times, "9/11" parts: not a figure to verify
        value = float(raw.replace(",", ""))
        precision = number_precision(raw)
        scale = (m["scale"] or "").lower()
        if scale and (scale not in {"m", "b"} or m["cur"]):
            value *= SCALES[scale]
            precision = (
                10.0 ** -len(raw.split(".")[1]) * SCALES[scale]
                if "." in raw
                else precision * SCALES[scale]
            )
        after = text[m.end() :]
        dimension, unit, converted = "count", "", False
        currency = CURRENCIES.get((m["cur"] or "").lower())
        if not currency and (money := _MONEY_AFTER.match(after)):
            currency = CURRENCIES.get(money[1].lower(), "USD")
        if currency:
            dimension = f"money:{currency}"
        elif _PERCENT_AFTER.match(after):
            dimension = "percent"
        elif found_unit := units.lookup(after):
            name, unit_info = found_unit
            dimension, unit = unit_info.dimension, name
            value = units.to_base(value, unit_info)
            precision *= unit_info.factor
            converted = unit_info.factor != 1.0
        qualifier = qualifier_before(text[: m.start()])
        is_year = bool(_YEAR_ONLY.match(raw)) and dimension == "count" and not m["scale"]
        quantity = Quantity(
            value, precision, qualifier, dimension, unit, converted, None, bool(scale)
        )
        found.append(Figure(m.group().strip(), quantity, is_year, m.start()))
        taken.append((m.start(), m.end()))
    for w in WORDNUM.finditer(text):
        word = w["word"].lower()
        if word in {"a", "a few", "one"} and not w["scale"]:
            continue
        if any(s <= w.start() < e for s, e in taken):
            continue
        head, _, tail = word.partition("-")
        base = 1.0 if word == "a" else float(WORD_NUMBERS.get(head, 0) + WORD_NUMBERS.get(tail, 0))
        value, precision = base, 1.0
        if w["scale"]:
            factor = 12.0 if w["scale"].lower() == "dozen" else SCALES_WORDS[w["scale"].lower()]
            value, precision = base * factor, factor
        quantity = Quantity(value, precision, qualifier_before(text[: w.start()]), "count")
        found.append(Figure(w.group().strip(), quantity, False, w.start()))
    return found


SCALES_WORDS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def date_phrases(text: str) -> list[str]:
    return [m.group().strip() for m in _DATE_PHRASE.finditer(text)]


def resolve_date(phrase: str, published: datetime | None) -> dates.ResolvedDate | None:
    return dates.resolve(re.sub(r"^on\s+", "", phrase, flags=re.I), published)


def names(text: str) -> list[str]:
    """Capitalised runs that name someone or something; a sentence's first word only when it
    runs on into another capitalised word or is no common word."""
    found: list[str] = []
    for m in _NAME_RUN.finditer(text):
        run = m.group().strip(" .'’")
        tokens = run.split()
        at_start = not text[: m.start()].strip(" \"“‘'`([")
        if at_start and tokens and tokens[0].lower() in STOP_WORDS | {"in", "on", "at"}:
            tokens = tokens[1:]
        while tokens and tokens[0].lower() in {"of", "the", "and", "al", "de"}:
            tokens = tokens[1:]
        tokens = [t for t in tokens if t.lower().strip(".") not in _MONTH_AND_DAY_WORDS]
        while tokens and tokens[0].lower().strip(".") in TITLES:
            tokens = tokens[1:]
        if not tokens:
            continue
        if at_start and len(tokens) == 1 and m.start() == text.find(tokens[0]):
            continue  # "Officials ..." opening a sentence: a capital of grammar, not a name
        found.append(" ".join(tokens))
    return found


def canonical(name: str) -> str:
    """The comparison's alias table applied: Daesh, ISIL -> islamic state; U.S. -> united states."""
    form = name.lower().replace("’", "'").strip()
    form = re.sub(r"^the\s+", "", form)
    form = re.sub(r"'s?$", "", form)
    return _ALIAS_TO_CANONICAL.get(form, form)


def alias_forms(name: str) -> list[str]:
    """All spellings of a name the alias table knows, the name itself first."""
    base = canonical(name)
    return [name.lower(), base, *KNOWN_ALIASES.get(base, ())]


def quotations(text: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None).strip() for m in _QUOTATION.finditer(text)]


def credited_to(text: str) -> list[str]:
    """Who the sentence says stated something: outlets, people, institutions."""
    found = [m[1].strip() for m in _ACCORDING_TO.finditer(text)]
    unquoted = _QUOTATION.sub(lambda m: '"' + " " * (len(m.group()) - 2) + '"', text)
    found += [m[1].strip() for m in _CREDITED.finditer(unquoted)]
    found += [m[1].strip() for m in _CREDITED_AFTER.finditer(text)]
    cleaned = []
    for who in found:
        who = re.sub(r"^the\s+", "", who, flags=re.I).strip()
        if who and who.lower() not in STOP_WORDS and who.lower() not in {"it", "officials"}:
            cleaned.append(who)
    return list(dict.fromkeys(cleaned))


_NEGATION_TOKEN = re.compile(r"\b\w+n't\b|\b\w+\b", re.I)


def negation_count(text: str) -> int:
    count = 0
    for token in _NEGATION_TOKEN.findall(text.lower().replace("’", "'")):
        if token in NEGATIONS or token.endswith("n't"):
            count += 1
    return count


def _mask_dates(text: str) -> str:
    """The text with its date phrases blanked out: "July 9" is checked as a date, not as 9."""
    return _DATE_PHRASE.sub(lambda m: " " * len(m.group()), text)


def extract(text: str) -> Claims:
    return Claims(
        figures=figures(_mask_dates(text)),
        date_phrases=date_phrases(text),
        names=names(text),
        quotations=quotations(text),
        credited_to=credited_to(text),
        negated=negation_count(text) > 0,
        words=re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace("’", "'")),
    )
