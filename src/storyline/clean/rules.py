"""Hand-written rules for lines that are boilerplate whatever their context.

These catch the furniture every news site shares - reading-time badges, share and comment
prompts, newsletter and donation pleas, paywall notices, copyright footers, photo credits -
through the *shape* of such lines (imperatives, second person, membership vocabulary, a short
line), not through a list of sites' exact strings. The line model in :mod:`.model` handles
what rules cannot: navigation menus, teaser lists and other runs of page chrome.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, wraps
from itertools import islice
from typing import TypeVar

_I = re.IGNORECASE
# The rules below are pure functions of a line, asked again and again about the same lines
# (the line model's features, the plea smoothing, the headline test, the sentence trim):
# each answer is kept for this many recent lines, of at most this many characters (a batch of
# megabyte one-line scrapes must not be kept alive by the cache).
_CACHED_LINES = 2048
_CACHED_CHARS = 1000
_Answer = TypeVar("_Answer")


def per_line_cache(function: Callable[[str], _Answer]) -> Callable[[str], _Answer]:
    """``function`` with its answers for recent short lines kept (``cache_clear`` empties it)."""
    cached = lru_cache(maxsize=_CACHED_LINES)(function)

    @wraps(function)
    def answer(line: str) -> _Answer:
        return function(line) if len(line) > _CACHED_CHARS else cached(line)

    answer.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return answer


# Lines that are boilerplate as a whole when they are short (a few words).
_SHORT_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "reading time",
        re.compile(
            r"^(?:reading time:?\s*\d+\s*(?:min(?:ute)?s?)\b|"
            r"\d+\s*(?:-\s*)?min(?:ute)?s?\.?\s*(?:read|reading|listen)\b)",
            _I,
        ),
    ),
    (
        "author photo",
        re.compile(
            r"^(?:photo|picture|image|avatar|headshot) of (?:the )?author\b|^author (?:photo|"
            r"image|avatar)\b",
            _I,
        ),
    ),
    (
        "advertisement",
        re.compile(
            r"^(?:advertisement|advertising|advert|ad|sponsored(?: content)?|"
            r"promoted(?: content)?|paid (?:content|post)|"
            r"story continues below(?: advertisement)?|continue reading(?: below|"
            r" the main story)?|scroll to continue(?: with content)?|skip (?:ad|"
            r"advertisement))\W*$",
            _I,
        ),
    ),
    (
        "share prompt",
        re.compile(
            r"^(?:share|tweet|e-?mail|print|pin|save|copy(?: link)?|whatsapp|facebook|twitter|"
            r"linkedin|reddit|messenger|flipboard|share (?:this|the|on|via|article|story)\b.*|"
            r"(?:click|tap) to share\b.*|share on \w+)\W*$",
            _I,
        ),
    ),
    (
        "comment prompt",
        re.compile(
            r"^(?:\d+\s+)?(?:comments?|show comments|view comments|hide comments|"
            r"leave a (?:comment|reply)|add (?:a|your) comment|post a comment|comment now|"
            r"join (?:our|the) (?:commenting forum|conversation|discussion)\b.*|"
            r"(?:be the first to|click to) comment\b.*)\W*$",
            _I,
        ),
    ),
    (
        "related links",
        re.compile(
            r"^(?:read more|read next|more from|more on this|recommended(?: for you)?|"
            r"related(?: articles| stories| coverage| content| topics| news| posts)?|see also|"
            r"most (?:popular|read|viewed|shared)|trending(?: now| news| stories)?|you (?:may|"
            r"might) also like|also read|editor'?s picks|top stories|latest (?:news|stories|"
            r"headlines)|popular (?:stories|posts))\W*$",
            _I,
        ),
    ),
    (
        "navigation",
        re.compile(
            r"^(?:home|menu|search|log ?in|log ?out|sign ?in|sign ?up|register|close|open|"
            r"skip to (?:main )?content|skip navigation|back to top|next|previous|prev|more|"
            r"show more|load more|see more|view all|all|subscribe|subscribe now|donate|"
            r"contribute|newsletters?)\W*$",
            _I,
        ),
    ),
    (
        "related links",
        re.compile(
            r"^(?:read (?:more|also|next)|also read|related|see also|more|watch|listen|"
            r"recommended|opinion|analysis|explainer)\s*[:|»›>-]\s*\S",
            _I,
        ),
    ),
    (
        "follow prompt",
        re.compile(
            r"^(?:follow|like) (?:us|@\w+|\w+ on (?:twitter|facebook|instagram|x))\b|^(?:find|"
            r"follow) us on\b",
            _I,
        ),
    ),
    (
        "credit line",
        re.compile(
            r"^(?:\(?(?:additional )?(?:reporting|writing|editing|compiled|translated|"
            r"produced|research) (?:by|from)\b|this (?:report|article|story) (?:contains|"
            r"includes|uses|was (?:written|compiled|produced)) (?:material|reporting|"
            r"information|with)\b|with (?:reporting|input|additional reporting) (?:by|from)\b)",
            _I,
        ),
    ),
    ("copyright", re.compile(r"^(?:©|\(c\)\s|copyright\b)|\ball rights reserved\b", _I)),
    (
        "photo credit",
        re.compile(
            r"^(?:photo|image|picture|video|graphic|illustration)s?(?: credit)?\s*:|"
            r"^(?:image credit|photo credit|credit|source|pictured|above|top|main image)\s*:",
            _I,
        ),
    ),
]
# Phrases that betray a membership / newsletter / cookie / paywall plea anywhere in a line.
_PLEA = re.compile(
    r"\b(?:donat(?:e|ion|ions|ing)|subscri(?:be|ber|bers|ption|ptions)|paywalls?|membership|"
    r"member(?:s)?-only|sign(?:ing)? up|newsletters?|inbox|unlimited|free articles?|"
    r"digital access|(?:quality|independent|public[- ]service) journalism|support (?:us|our|"
    r"the \w+|independent|quality|journalism)|your support|help us|keep (?:our|it|us) "
    r"(?:free|independent|going)|reader[- ](?:funded|supported)|ad[- ]?blocker|whitelist|"
    r"cookies?|privacy (?:policy|settings|notice)|terms (?:of|and) (?:use|service|conditions)|"
    r"log ?in|sign ?in|create (?:an|a free) account|register (?:now|for free|today)|"
    r"per (?:month|week|year)|/month|/week|/year|cancel anytime|comments|commenting|forums?|"
    r"conversations|replies|get unlimited|stories this month)\b",
    _I,
)
# A plea needs one of these (lower-case) somewhere in the line: each alternative of _PLEA
# holds one of them literally. Most lines hold none, and looking for them with ``in`` is
# ten times cheaper than running _PLEA's alternation from every word boundary.
_PLEA_LITERALS = (
    "donat", "subscri", "paywall", "membership", "member-only", "members-only", "sign up",
    "signing up", "signin", "sign in", "newsletter", "inbox", "unlimited", "free article",
    "digital access", "journalism", "support", "help us", "keep our ", "keep it ", "keep us ",
    "reader-funded", "reader funded", "reader-supported", "reader supported", "blocker",
    "whitelist", "cookie", "privacy ", "terms ", "login", "log in", "create a", "register ",
    "per month", "per week", "per year", "/month", "/week", "/year", "cancel anytime",
    "comment", "forum", "conversations", "replies", "stories this month",
)  # fmt: skip
# Non-ASCII characters that re.IGNORECASE matches to ASCII letters (dotted and dotless i, long
# s, the Kelvin sign; found by trying every code point): str.lower() does not map them to
# those letters, so a line holding one skips the literal prefilters.
ASCII_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")


def may_hold(line: str, literals: tuple[str, ...]) -> bool:
    """False only when no case-insensitive match of a pattern that needs one of ``literals``
    (lower-case ASCII) can be in ``line``."""
    if not line.isascii() and ASCII_FOLDS.search(line):
        return True
    return any(map(line.lower().__contains__, literals))


@per_line_cache
def may_be_plea(text: str) -> bool:
    """False when neither ``text`` nor any part of it can be a plea (it holds no plea phrase),
    so a caller need not split it into sentences to ask about each."""
    # Kept per line: asked of each line by the plea flags, the plea count and the sentence trim.
    return may_hold(text, _PLEA_LITERALS)


class Folded:
    """A case-insensitive pattern asked about ASCII text through its twin without
    ``re.IGNORECASE``, over the lower-cased text: for ASCII text the flag folds exactly A-Z onto
    a-z, which is what ``str.lower()`` does, so the matches are the same (same places, same
    lengths), and the twin skips the case-folding matcher (two to three times faster on a
    paragraph). Other text goes to the pattern itself. The pattern must hold no upper-case
    letter (no ``\\W``, ``\\B``, ``\\S`` or upper-case class), or lower-casing would change
    what it matches."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        if not pattern.flags & re.IGNORECASE or pattern.pattern != pattern.pattern.lower():
            raise ValueError(f"not a lower-case re.IGNORECASE pattern: {pattern.pattern!r}")
        self.pattern = pattern
        self.plain = re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)

    def search(self, text: str) -> bool:
        if text.isascii():
            return self.plain.search(text.lower()) is not None
        return self.pattern.search(text) is not None

    def count(self, text: str) -> int:
        """``len(pattern.findall(text))``."""
        if text.isascii():
            return len(self.plain.findall(text.lower()))
        return len(self.pattern.findall(text))


def count_up_to(pattern: re.Pattern[str], text: str, cap: int) -> int:
    """``min(len(pattern.findall(text)), cap)``, without finding the matches past ``cap`` (a
    long paragraph's words, when the question is whether it has more than 14)."""
    return len(list(islice(pattern.finditer(text), cap)))


@per_line_cache
def plea_hits(line: str) -> int:
    """How many plea phrases (_PLEA) ``line`` holds."""
    if not may_be_plea(line):
        return 0
    return _FOLDED_PLEA.count(line)


_PERSON = re.compile(r"\b(?:you|your|you've|you're|we|our|us|we're|we've)\b", _I)
# The same matches, written so the regex engine skips ahead to a y, w, o or u: each word's
# first letter, then the word boundary before it checked behind it. (The contracted forms
# never match as written: "you" comes first and the boundary before "'" holds, so "you've"
# matches as "you", as here.) About twice as fast on a paragraph; checked against _PERSON.
_PERSON_SKIPPING = re.compile(
    r"(?:y(?<!\wy)ou|y(?<!\wy)our|w(?<!\ww)e|o(?<!\wo)ur|u(?<!\wu)s)\b", _I
)
_PERSON_LITERALS = ("you", "we", "our", "us")  # every match of _PERSON holds one
_IMPERATIVE = re.compile(
    r"^(?:get|join|sign|subscribe|follow|like|share|download|click|tap|read|watch|listen|"
    r"register|log|support|donate|become|try|start|enter|accept|manage|update|enable|"
    r"disable|allow|continue|see|view|discover|explore|learn|find|don't miss)\b",
    _I,
)
_WORD = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*")
_SEGMENTS = re.compile(r"\s*(?:[>|•»:]|[.!?](?=\s))\s*")

# A caption is a photo description: a credit in brackets at its end, or a present-tense
# depiction verb with a position cue ("center left", "(C-L)", "second from right").
_CAPTION_CREDIT = re.compile(
    r"[\[(][^\[\]()]{0,50}\b(?:photo|photos|getty|getty images|ap|afp|reuters|epa|file|image|"
    r"images|pictured|credit|shutterstock|alamy|pa|xinhua|istock|handout|courtesy|twitter|"
    r"instagram|screenshot|screengrab|supplied|associated press)\b[^\[\]()]{0,50}[\])]\s*\.?$",
    _I,
)
_CAPTION_POSITION = re.compile(
    r"(?:,|\()\s*(?:(?:center|centre|second|third|far|front|back|top|bottom)[ -])?(?:left|"
    r"right|center|centre|from (?:left|right))\s*(?:,|\))|\((?:[LRC](?:-[LRC])?)\)",
    _I,
)
_DEPICTION_VERB = re.compile(
    r"\b(?:walks?|arrives?|speaks?|poses?|looks?|gestures?|stands?|sits?|waves?|shakes?|"
    r"attends?|listens?|talks?|holds?|greets?|delivers?|addresses|leaves|enters?|meets?|"
    r"reacts?|smiles?|is seen|are seen|is pictured|are pictured|pictured)\b",
    _I,
)

_FOLDED_PLEA = Folded(_PLEA)
_FOLDED_PERSON = Folded(_PERSON_SKIPPING)
_FOLDED_IMPERATIVE = Folded(_IMPERATIVE)
_FOLDED_CREDIT = Folded(_CAPTION_CREDIT)
_FOLDED_DEPICTION = Folded(_DEPICTION_VERB)

# Notices about the page rather than the news, boilerplate at any length: corrections ("A
# previous version of this article misstated ..."), update stamps, and the Internet Archive's
# note on pages it crawled ("These crawls are part of an effort to archive pages ..."); and
# the signature of an embedded Instagram post or tweet, whose text before it is the poster's
# words, not the article's ("Link in bio A post shared by Serena Williams (@serenawilliams) on
# Jun 27, 2017 at 6:20am PDT").
_NOTICES: list[tuple[str, re.Pattern[str]]] = [
    (
        "correction notice",
        re.compile(
            r"^\W*(?:(?:correction|clarification)s?\s*(?:\(.{0,40}\))?"
            r"\s*[:\-–—]|(?:an?|the) (?:earlier|previous|prior|original) version of this "
            r"(?:article|story|report|post|piece)\b|this (?:article|story|report|post) "
            r"(?:has been|was) (?:updated|corrected|amended)\b)",
            _I,
        ),
    ),
    (
        "web archive notice",
        re.compile(
            r"\bcrawls? (?:are|is|was) part of an effort to archive\b|\bcrawls? of supported\b"
            r"|\bfix all broken links on the web\b",
            _I,
        ),
    ),
    (
        "social embed",
        re.compile(
            r"\bA post shared by\b[^\n]{0,80}\(@[\w.]+\)\s+on\b"
            # an embedded tweet's signature: "... #Bashir — Max du Preez (@MaxduPreez) June 15,
            # 2015"
            r"|[—–]\s*[^()\n]{1,60}\(@\w{1,30}\)\s+[A-Z][a-z]+\.? \d{1,2}, \d{4}\W*$",
        ),
    ),
]
NOTICE_REASONS = frozenset(reason for reason, _ in _NOTICES)
# What every match of each notice holds (lower-cased), by reason: a line without any is not
# searched for that notice.
_NOTICE_LITERALS = {
    "correction notice": (
        "correction", "clarification", "version of this", "this article", "this story",
        "this report", "this post",
    ),
    "web archive notice": ("crawl", "fix all broken links on the web"),
    "social embed": ("(@",),
}  # fmt: skip


@per_line_cache
def notice(line: str) -> str | None:
    """The reason a line is a notice about the page (correction, archive note), or None."""
    for reason, pattern in _NOTICES:
        if may_hold(line, _NOTICE_LITERALS[reason]) and pattern.search(line):
            return reason
    return None


@per_line_cache
def short_rule(line: str) -> str | None:
    """The reason a short line is boilerplate by itself, or None."""
    n_words = count_up_to(_WORD, line, 15)
    if n_words > 14:
        return None
    for reason, pattern in _SHORT_RULES:
        if pattern.search(line):
            # A long-ish line that merely mentions "copyright" in passing is body text.
            if reason == "copyright" and n_words > 10 and line.rstrip().endswith("."):
                continue
            return reason
    return None


def plea_score(line: str) -> int:
    """How strongly a line reads as a plea to the reader (subscribe, donate, sign up...)."""
    hits = plea_hits(line)
    if hits == 0:
        return 0
    score = hits
    if _FOLDED_PERSON.search(line):
        score += 1
    if _imperative(line):
        score += 1
    return score


@per_line_cache
def _imperative(line: str) -> bool:
    # "of stories this month > Get unlimited stories": the command may follow a separator.
    return any(_FOLDED_IMPERATIVE.search(part) for part in _SEGMENTS.split(line) if part)


@per_line_cache
def is_plea(line: str) -> bool:
    """A donation / subscription / newsletter / cookie plea, whatever its length."""
    hits = plea_hits(line)
    if hits == 0:
        return False  # every branch below needs a plea phrase
    words = _WORD.findall(line)
    if not words:
        return False
    score = plea_score(line)
    # A short line needs one marker; a paragraph needs several, so that a news story *about*
    # subscriptions or newsletters is not mistaken for the site's own plea.
    if len(words) <= 14:
        return hits >= 3 or (hits >= 1 and (has_person(line) or _imperative(line)))
    # A plea speaks to the reader ("your support", "we need", "Subscribe"): news *about*
    # donations ("Japan announced a half-billion dollar donation") does neither, however
    # often it says the word.
    if not (has_person(line) or _imperative(line)):
        return False
    # Density, not only counts: a long paragraph (or a whole page run into one line) collects
    # a few such words by chance.
    density = hits / len(words)
    return (score >= 4 and density >= 0.025) or (score >= 3 and density >= 0.04)


@per_line_cache
def has_person(line: str) -> bool:
    return may_hold(line, _PERSON_LITERALS) and _FOLDED_PERSON.search(line)


# Every match of _CAPTION_POSITION holds one of these words or an opening bracket ("(L)").
_POSITION_LITERALS = ("left", "right", "center", "centre")


def _may_hold_position(line: str) -> bool:
    return "(" in line or may_hold(line, _POSITION_LITERALS)


@per_line_cache
def is_caption(line: str) -> bool:
    """A photo caption: describes a picture, often with a credit or a position cue."""
    # The cues first: most lines have none, and then the words need no counting.
    # A credit opens with a bracket; a position cue with a comma or a bracket.
    cue = (("(" in line or "[" in line) and _FOLDED_CREDIT.search(line)) or bool(
        ("," in line or "(" in line)
        and _may_hold_position(line)
        and _CAPTION_POSITION.search(line)
        and _FOLDED_DEPICTION.search(line)
    )
    return cue and 3 <= count_up_to(_WORD, line, 61) <= 60
