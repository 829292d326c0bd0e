"""Numbers, amounts and quantities in sentences, normalised so they can be compared.

A :class:`Quantity` keeps what the writer said (qualifier, unit, precision) and turns it into an
interval of plausible true values. Journalistic round numbers are fuzzy in a known way: "5,000"
is rounded, "more than 4,600" means a little above 4,600, not anything above it. Precision
matters more than recall, so the intervals are tight enough that "4,600" and "5,000" clash but
"more than 4,600" and "4,647" do not, and a converted unit ("60 kilometers (40 miles)") gets the
slack its rounding needs.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from storyline.compare import units

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

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

# Any currency written out or as a sign, beyond the ones CURRENCIES can convert.
# "Pounds" alone is a weight as often ("he's 14 pounds"); with a scale word it is money.
_MONEY_WORD = re.compile(
    r"[$£€¥₹]|\b(?:dollars?|cents?|pence|sterling|euros?|yen|yuan|renminbi|rupees?|pesos?|"
    r"r[ou]bles?|francs?|won|rand|dinars?|riyals?|dirhams?|lira|shekels?|naira|bucks)\b|"
    r"\b(?:thousand|million|billion|bn|m)\s+pounds\b",
    re.I,
)

# Right before a phone number: "call 911", "dialled 999".
_PHONE_CALL = re.compile(r"\b(?:call(?:ed|ing)?|dial(?:l?ed|l?ing)?)\s*$", re.I)

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
_QUALIFIER_RES = [(re.compile(rf"(?:^|\W)((?:{pat}))\s*$", re.I), name) for pat, name in QUALIFIERS]
_NUMBER = re.compile(
    r"(?P<cur>US\$|\$|£|€|¥)?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*-?\s*(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|mln|m|k|tn|b)\b)?",
    re.I,
)
_WORDNUM = re.compile(
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


def _format(value: float, dimension: str) -> str:
    if dimension.startswith("money:"):
        cur = dimension.split(":", 1)[1]
        for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if abs(value) >= scale:
                return f"{cur} {value / scale:g} {word}"
        return f"{cur} {value:,.0f}"
    if dimension == "percent":
        return f"{value:g}%"
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


def _precision(number: str) -> float:
    number = number.replace(",", "")
    if "." in number:
        return 10.0 ** -len(number.split(".")[1])
    stripped = number.rstrip("0")
    return 10.0 ** (len(number) - len(stripped)) if stripped else 1.0


def parse_number(text: str) -> tuple[float, float, str, re.Match[str]] | None:
    """(value, precision, currency, match) of the first number written in ``text``."""
    m = _NUMBER.search(text)
    if m:
        raw = m["num"]
        value = float(raw.replace(",", ""))
        precision = _precision(raw)
        scale = (m["scale"] or "").lower()
        # "5 m" is ambiguous (metres/million); trust it as a scale only after a currency sign.
        if scale and (scale not in {"m", "b"} or m["cur"]):
            value *= SCALES[scale]
            precision *= SCALES[scale] if "." not in raw else 1
            if "." in raw:
                precision = 10.0 ** -len(raw.split(".")[1]) * SCALES[scale]
        return value, precision, (m["cur"] or "").lower(), m
    w = _WORDNUM.search(text)
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


# ---------------------------------------------------------------------------------------------
# Mentions in a parsed document


# Nouns that count the same kind of thing. A curated table: spaCy's small model has no vectors
# and WordNet data is not installed, and these classes are where news reports disagree most.
THING_CLASSES: dict[str, str] = {}
for _cls, _words in {
    "personnel": "troop soldier force personnel serviceman servicemember servicewoman marine "
    "adviser advisor reinforcement trooper boot american military sailor airman",
    "people": "people person civilian resident individual citizen inhabitant",
    "dead": "dead death fatality life victim body killed toll",
    "injured": "injured wounded injury casualty hurt",
    "migrants": "migrant refugee asylum-seeker",
}.items():
    for _w in _words.split():
        THING_CLASSES[_w] = _cls

# The amount added, not the total: "560 more troops", "an additional 560".
INCREMENT_WORDS = frozenset(
    "more additional extra another new further reinforcement reinforcements increase".split()
)
TOTAL_NOUNS = frozenset("number total count toll tally figure level".split())
DEATH_VERBS = frozenset("kill die slay claim".split())
INJURY_VERBS = frozenset("injure wound hurt".split())


@dataclass
class Mention:
    """One number/amount/quantity in a sentence of an article."""

    article_id: str
    sentence_index: int
    sent_start: int
    sent_end: int
    start: int  # the mention's own span in article.text
    end: int
    text: str
    quantity: Quantity
    thing: str = ""  # lemma of what is counted ("troop"), or the unit dimension
    thing_class: str = ""  # comparable class ("personnel")
    kind: str = "total"  # "total" or "increment"
    places: frozenset[str] = frozenset()  # entity keys of places it is located at
    anchor: str = ""  # for distances: the place measured from
    context: frozenset[str] = frozenset()  # content stems of the sentence, numbers removed
    local: frozenset[str] = frozenset()  # content stems of the words around the number
    written_qualifier: str = ""
    extras: dict[str, str] = field(default_factory=dict)
    running: bool = False  # a tally still being updated ("so far", "has risen to", "at least")
    vector: dict[str, float] = field(default_factory=dict)  # TF-IDF of the sentence
    entities: frozenset[str] = frozenset()  # entity keys named in the sentence
    periods: frozenset[str] = frozenset()  # years, months, quarters the sentence names
    actor_start: int = -1  # where the named subject of the number's clause starts ("China")
    actor: str = ""  # its entity key, set once entities are resolved across the story

    @property
    def key(self) -> tuple[str, str, str]:
        return self.quantity.dimension, self.thing_class or self.thing, self.kind


def sentence_of(tok: Token) -> Span:
    """The parser's sentence of a token. ``Token.sent`` rescans the whole document for
    annotations on every call, which made mention extraction quadratic."""
    doc = tok.doc
    bounds: list[tuple[int, int]] | None = doc.user_data.get("storyline_sent_bounds")
    if bounds is None:
        bounds = [(0, 0)] * len(doc)
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                bounds[i] = (sent.start, sent.end)
        doc.user_data["storyline_sent_bounds"] = bounds
    start, end = bounds[tok.i]
    return doc[start:end]


def _number_token(span: Span) -> Token:
    nums = [t for t in span if t.like_num or t.text[:1] in "$£€¥"]
    for t in reversed(nums):
        if t.like_num:
            return t
    return span.root


def _counted_noun(tok: Token) -> Token | None:
    """The noun a number counts: "560 more troops" -> troops; "the number of US forces ... to
    more than 4,600" -> forces."""
    head = tok
    while head.dep_ in {"compound", "nummod", "quantmod", "amod", "conj"} and head.head is not head:
        if head.dep_ in {"nummod", "compound", "quantmod"} and head.head.pos_ in {"NOUN", "PROPN"}:
            noun = head.head
            if noun.lemma_.lower() in units.UNITS or noun.lower_ in {"percent", "per"}:
                return None
            return noun
        head = head.head
    if tok.dep_ == "nsubj" or tok.dep_ == "dobj":
        return None
    # "the number of troops ... to 4,600": find a total noun governing an "of" phrase.
    for t in sentence_of(tok):
        if t.lemma_.lower() in TOTAL_NOUNS:
            for child in t.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    objs = [c for c in child.children if c.dep_ == "pobj"]
                    if objs:
                        return objs[0]
            if t.lemma_.lower() in {"toll"}:
                return t
    return None


_RATE = re.compile(
    r"\b(?:a|per|each|every)\s+(?:year|month|week|day|hour|minute|second|capita|person)\b"
    r"(?! ago| earlier| later| before| after)|\bannually\b",
    re.I,
)
# Words that mark a count as a tally that grows as reports come in.
_RUNNING = re.compile(
    r"\b(?:so far|to date|as of|already|has (?:risen|climbed|grown|reached)|rose to|risen to|"
    r"climbed to|jumped to|increased to|toll|tally)\b",
    re.I,
)
_RANGE_TAIL = re.compile(r"\s*(?:-|–|—|to)\s*(?:US\$|\$|£|€)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)")


def _range_end(text: str, pos: int, limit: int, before: str, scale: float) -> float | None:
    """The upper end of "130-170", "50 to 100", "between 25 and 30", scaled like the start."""
    m = _RANGE_TAIL.match(text, pos, limit)
    if m is None and re.search(r"\bbetween\s*(?:US\$|\$|£|€)?$", before):
        m = re.compile(r"\s*and\s*(?:US\$|\$|£|€)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)").match(
            text, pos, limit
        )
    if m is None:
        return None
    return float(m.group(1).replace(",", "")) * scale


# Counts that grow while a story unfolds: tolls, cancellations, arrests, evacuations.
TALLY_VERBS = frozenset(
    """kill die injure wound hurt cancel destroy damage evacuate arrest detain displace infect
    rescue flee force affect strand report confirm""".split()
)


def _is_tally(thing_class: str, num: Token, noun: Token | None) -> bool:
    if thing_class in {"dead", "injured"}:
        return True
    for tok in (noun, num):
        if tok is None:
            continue
        head = tok.head
        for _ in range(2):
            if head.lemma_.lower() in TALLY_VERBS:
                return True
            head = head.head
    return False


_DURATION = re.compile(
    r"\b\d[\d,]*\s*-?\s*(?:hours?|days?|weeks?|months?|years?|decades?|minutes?)\b(?! ago)", re.I
)
_AGE = re.compile(r"\s*-?\s*(?:years?|months?|weeks?|days?)[- ]old\b", re.I)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_PERIOD = re.compile(
    r"\b(?:(?:1[89]|20)\d\d|january|february|march|april|june|july|august|september|october|"
    r"november|december|(?:first|second|third|fourth|last|this|next|previous) "
    r"(?:quarter|year|month))\b|\b(?:jan|feb|aug|sept?|oct|"
    r"nov|dec)\.",
    re.I,
)
_CLOCK = re.compile(
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


def _is_running(sentence: str, qual: str, thing_class: str, num: Token, noun: Token | None) -> bool:
    """A tally still being updated: "the toll has risen to", or a hedged figure ("at least 20
    killed", "an estimated 9,000") of a current event. A tally of a closed past event ("the
    2009 quake killed more than 300") is final, so a written year rules that reading out."""
    if thing_class == "speed":
        return True  # a storm's winds, a vehicle's speed: readings that change by the hour
    if not _is_tally(thing_class, num, noun):
        return False
    if _RUNNING.search(sentence):
        return True
    hedged = qual in {"more than", "at least", "about", "nearly", "up to"} or "estimat" in sentence
    return hedged and not _YEAR.search(sentence)


FATE_VERBS = {
    **{v: "dead" for v in "kill die slay murder execute drown perish behead".split()},
    **{v: "injured" for v in "injure wound hurt hospitalize hospitalise".split()},
    **{v: "displaced" for v in "displace evacuate flee relocate homeless".split()},
    **{v: "affected" for v in "affect impact".split()},
    **{v: "arrested" for v in "arrest detain jail".split()},
    **{v: "missing" for v in "miss missing".split()},
}


def _fate(noun: Token) -> str:
    """ "dead" or "injured" when the verb governing a people noun says so."""
    # "10,059 people have been killed, 45,000 others injured": the parser hangs the second
    # noun on the first verb, but the participle right after it says what it counts.
    doc = noun.doc
    follower = doc[noun.i + 1].lower_ if noun.i + 1 < len(doc) else ""
    if follower in {"injured", "wounded", "hurt"}:
        return "injured"
    if follower in {"dead", "killed"}:
        return "dead"
    head = noun.head
    for _ in range(2):
        lemma = head.lemma_.lower()
        if lemma in FATE_VERBS:
            return FATE_VERBS[lemma]
        if head.lower_ in {"dead", "killed"}:
            return "dead"
        if head.lower_ in {"injured", "wounded"}:
            return "injured"
        head = head.head
    # "made 1.5 million people homeless": the state is a sibling or child of the noun
    for tok in [*noun.children, *noun.head.children]:
        if tok.lower_ in {"dead", "killed"}:
            return "dead"
        if tok.lower_ in {"injured", "wounded"}:
            return "injured"
        if tok.lower_ in {"homeless", "displaced"}:
            return "displaced"
    return ""


ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})


def _actor_start(tok: Token) -> int:
    """Start of the named subject of the clause a number sits in, or -1.

    "North Korea plans to send 317 athletes" and "China will send 596 athletes" count the
    same kind of thing for different actors: not one measure. Only a named subject counts
    (pronouns and common nouns say too little), and not when the counted noun is itself
    the subject ("560 troops will be deployed").
    """
    doc = tok.doc
    node = tok
    for _ in range(4):
        if node.dep_ in {"nsubj", "nsubjpass"}:
            return -1
        head = node.head
        if head is node:
            return -1
        if head.pos_ in {"VERB", "AUX"}:
            subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if subjects:
                subj = subjects[0]
                if subj.tag_ in {"WP", "WDT"} and head.dep_ == "relcl":
                    # "Qin Yongmin, 45, a democracy advocate who has spent 10 years"
                    subj = head.head
                    if subj.dep_ == "appos" and subj.ent_type_ not in ACTOR_LABELS:
                        subj = subj.head
                if subj.ent_type_ not in ACTOR_LABELS:
                    return -1
                i = subj.i
                while i > 0 and doc[i].ent_iob_ == "I":
                    i -= 1
                return doc[i].idx
        node = head
    return -1


def _is_increment(num: Token, noun: Token | None) -> bool:
    doc = num.doc
    after = doc[num.i + 1] if num.i + 1 < len(doc) else None
    # "560 more troops" (but not "more than 560"), "an additional 560", "560 additional troops"
    if after is not None and after.lower_ in INCREMENT_WORDS and after.lower_ != "increase":
        return True
    before = [t.lower_ for t in doc[max(num.i - 2, sentence_of(num).start) : num.i]]
    if any(w in {"additional", "extra", "another", "further"} for w in before):
        return True
    if noun is not None:
        if noun.lemma_.lower() in {"reinforcement", "increase"}:
            return True
        if any(c.lower_ in INCREMENT_WORDS and c.dep_ in {"amod", "advmod"} for c in noun.children):
            return True
    return False


def extract_mentions(
    doc: Doc,
    article_id: str,
    sentences: list[tuple[int, int]],
    place_key: dict[tuple[int, int], str],
    stems: list[frozenset[str]],
    all_places: dict[int, str] | None = None,
) -> list[Mention]:
    """Every number, amount and quantity of ``doc`` with its counted noun and context."""
    from bisect import bisect_right

    starts = [s for s, _ in sentences]
    text = doc.text  # Doc.text joins every token on each access
    mentions: list[Mention] = []
    seen: set[int] = set()
    candidates: list[Span] = [
        e
        for e in doc.ents
        if e.label_ in {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}
        # Durations are tagged DATE/TIME ("the last 24 hours", "18 years"); the tagger's
        # choice flips with the digits, so they are numbers here too.
        or (e.label_ in {"DATE", "TIME"} and _DURATION.search(e.text))
    ]
    # Numbers the model left untagged ("560 US troop reinforcements" is sometimes missed).
    tagged = {t.i for e in doc.ents for t in e}
    for t in doc:
        if t.like_num and t.i not in tagged and re.search(r"\d", t.text):
            candidates.append(doc[t.i : t.i + 1])
    consumed_until = -1  # the second half of a compound measure ("6 pounds, 13 ounces")
    for ent in sorted(candidates, key=lambda e: e.start_char):
        if ent.start in seen or ent.start_char < consumed_until:
            continue
        seen.update(range(ent.start, ent.end))
        parsed = parse_number(ent.text)
        if parsed is None:
            continue
        value, precision, cur, match = parsed
        if not cur:
            # spaCy often leaves the currency sign outside the entity: "£" + "8bn"
            sign = text[max(0, ent.start_char - 3) : ent.start_char].strip()
            cur = next((c for c in ("us$", "$", "£", "€", "¥") if sign.lower().endswith(c)), "")
        if 1900 <= value <= 2100 and precision < 10 and not cur and "," not in ent.text:
            continue  # a year the NER missed
        s_idx = bisect_right(starts, ent.start_char) - 1
        if s_idx < 0 or ent.start_char >= sentences[s_idx][1]:
            continue
        sent_start, sent_end = sentences[s_idx]
        num_tok = _number_token(ent)
        if num_tok.i + 1 < len(doc) and doc[num_tok.i + 1].lower_ in {"-year-old", "year-old"}:
            continue
        head = num_tok.head
        if (
            head.i < num_tok.i
            and head.pos_ in {"NOUN", "PROPN"}
            and num_tok.dep_ in {"nummod", "appos", "npadvmod", "compound"}
            and not head.like_num
            and units.lookup(head.text) is None  # "6 feet 4 inches" is a height
        ):
            continue  # "stage 13", "Flight 447", "Route 66": a name, not an amount
        if _AGE.match(text, num_tok.idx + len(num_tok)):
            continue  # "9 years old", "33-year-old": an age, not a quantity of the story
        if _CLOCK.match(text, ent.end_char) or re.match(r"\d{1,2}:\d\d", ent.text.strip()):
            continue  # "0800 GMT", "10:30 p.m.": a time of day
        if _PHONE_CALL.search(text[max(0, ent.start_char - 12) : ent.start_char]):
            continue  # "call 911": a phone number
        before = text[max(sent_start, ent.start_char - 40) : ent.start_char + match.start()]
        qual = qualifier_before(before)
        written_q = qualifier_words(before)
        after = text[ent.start_char + match.end() : min(sent_end, ent.end_char + 30)]
        dimension, unit_name, converted = "count", "", False
        end_char = ent.end_char
        currency = CURRENCIES.get(cur) if cur else None
        if currency is None:
            word_after = re.match(r"\s*([a-z]+)", after, re.I)
            if word_after and word_after.group(1).lower() in CURRENCIES:
                currency = CURRENCIES[word_after.group(1).lower()]
        if currency or (
            ent.label_ == "MONEY"
            and _MONEY_WORD.search(text[max(0, ent.start_char - 3) : end_char + 12])
        ):
            # The tagger calls "cut power to more than 8.2 million across the East" money;
            # without a currency sign or word nearby it is a count.
            dimension = f"money:{currency or 'USD'}"
        elif re.match(r"\s*(?:percentage )?points?\b", after, re.I):
            dimension = "points"  # a margin ("18 percentage points behind"), not a share
        elif ent.label_ == "PERCENT" or re.match(r"\s*(%|per ?cent)", after, re.I):
            dimension = "percent"
        else:
            found = units.lookup(after)
            glued = re.match(r"([a-z°²/]+)\b", after, re.I)
            if found is None and glued:
                found = units.lookup_symbol(glued.group(1))
            if found is not None:
                unit_name, unit = found
                dimension = unit.dimension
                value = units.to_base(value, unit)
                precision *= unit.factor
                converted = unit.factor != 1.0 or unit.offset != 0.0
                smaller = _smaller_unit_part(after, unit)
                if smaller is not None:
                    # "6 pounds, 13 ounces", "6 feet 4 inches": one measure, not two
                    more, precision, length = smaller
                    value += more
                    end_char = ent.start_char + match.end() + length
                    consumed_until = end_char
        raw = match.groupdict().get("num")
        scale = value / float(raw.replace(",", "")) if raw and float(raw.replace(",", "")) else 1.0
        high = _range_end(text, ent.start_char + match.end(), sent_end, before, scale)
        if high is not None and (high <= value or re.search(r"\bfrom\s*\S*$", before)):
            high = None  # "from 10 to 20" is a change, "5-3" a score: not ranges
        scaled = bool(match.groupdict().get("scale")) and "." not in match.group(0)
        quantity = Quantity(value, precision, qual, dimension, unit_name, converted, high, scaled)
        noun = _counted_noun(num_tok) if dimension == "count" else None
        thing, thing_class = "", ""
        if noun is not None:
            thing = noun.lemma_.lower()
            if noun.ent_type_ == "NORP":
                thing = "american" if noun.lower_.startswith("americ") else thing
            thing_class = THING_CLASSES.get(thing, thing)
            if noun.lemma_.lower() == "toll":
                thing_class = "dead"
            elif thing_class in {"people", "personnel", "migrants"} or thing in {"other", "child"}:
                # "20 people were killed", "10 others were wounded": the verb says what is
                # counted, and the dead and the wounded are never the same figure.
                thing_class = _fate(noun) or thing_class
        elif dimension == "count":
            verb = num_tok.head
            if num_tok.dep_ in {"dobj", "nsubjpass"} and verb.lemma_.lower() in DEATH_VERBS:
                thing, thing_class = verb.lemma_.lower(), "dead"
        elif dimension != "count":
            thing = thing_class = dimension
        kind = "increment" if _is_increment(num_tok, noun) else "total"
        tail = text[ent.end_char : min(sent_end, ent.end_char + 40)]
        if _RATE.search(tail):
            kind = "rate"  # "37 children die each year" is not the toll of one event
        # The nearest place phrase ("8,400 troops in Afghanistan"), not every place the
        # sentence names ("... a presence in Iraq and Afghanistan, as he kept 8,400 troops").
        in_sentence = [
            (abs(s - ent.start_char) + (0 if s >= ent.start_char else 15), key)
            for (s, _e), key in place_key.items()
            if sent_start <= s < sent_end and key
        ]
        places = frozenset([min(in_sentence)[1]]) if in_sentence else frozenset()
        anchor = ""
        if dimension == "length" and all_places:
            # "40 miles south of Mosul", "60 kilometers (40 miles) from the city of Mosul"
            m = _ANCHOR.match(text, ent.end_char)
            if m:
                anchor = next(
                    (k for pos, k in all_places.items() if m.end() <= pos <= m.end() + 20), ""
                )
        mentions.append(
            Mention(
                article_id=article_id,
                sentence_index=s_idx,
                sent_start=sent_start,
                sent_end=sent_end,
                start=ent.start_char + (match.start() if not written_q else 0),
                end=end_char,
                text=text[ent.start_char : end_char],
                quantity=quantity,
                thing=thing,
                thing_class=thing_class,
                kind=kind,
                places=places,
                anchor=anchor,
                context=stems[s_idx],
                local=_local_stems(num_tok, ent),
                written_qualifier=written_q,
                running=_is_running(text[sent_start:sent_end], qual, thing_class, num_tok, noun),
                # the number itself is not a period ("1800 activists" is no year)
                periods=periods(text[sent_start : ent.start_char] + text[ent.end_char : sent_end]),
                actor_start=_actor_start(noun or num_tok),
            )
        )
    return _drop_parenthetical_conversions(mentions, text)


_COMPOUND_PART = re.compile(
    r"(?P<unit>\s*[a-z]+)\s*,?\s*(?:and\s+)?(?P<num>\d+(?:\.\d+)?)\s*(?P<smaller>[a-z]+)\b", re.I
)


def _smaller_unit_part(after: str, unit: units.Unit) -> tuple[float, float, int] | None:
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
    return units.to_base(float(m["num"]), smaller), _precision(m["num"]) * smaller.factor, m.end()


_ANCHOR = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:(?:north|south|east|west|north-?east|north-?west|south-?east|"
    r"south-?west|northeast|northwest|southeast|southwest)(?:ern)?\s+)?(?:of|from)\s+(?:the\s+)?",
    re.I,
)


def _local_stems(num: Token, ent: Span, window: int = 8) -> frozenset[str]:
    from storyline.text.tokens import STOP_WORDS, stem

    sent = sentence_of(num)
    lo, hi = max(sent.start, ent.start - window), min(sent.end, ent.end + window)
    return frozenset(
        stem(t.lower_)
        for t in num.doc[lo:hi]
        if t.is_alpha and t.lower_ not in STOP_WORDS and not (ent.start <= t.i < ent.end)
    )


def _drop_parenthetical_conversions(mentions: list[Mention], text: str) -> list[Mention]:
    """ "60 kilometers (40 miles)" states one distance, not two."""
    kept: list[Mention] = []
    for m in mentions:
        prev = kept[-1] if kept else None
        if (
            prev is not None
            and prev.sentence_index == m.sentence_index
            and prev.quantity.dimension.split(":")[0] == m.quantity.dimension.split(":")[0]
            and prev.quantity.dimension != "count"
            and "(" in text[prev.end : m.start]
            and len(text[prev.end : m.start]) < 6
        ):
            continue
        kept.append(m)
    return kept


def magnitude_close(a: float, b: float, factor: float = 10.0) -> bool:
    if a <= 0 or b <= 0:
        return a == b
    return abs(math.log10(a) - math.log10(b)) < math.log10(factor)
