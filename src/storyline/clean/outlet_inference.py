"""Which outlet published a text, from the text itself: self-references scored as candidates.

A scrape saved without metadata still names its outlet, in ways that differ from naming
another outlet: a subscription pitch ("Get unlimited Monitor journalism", "The Independent is
on the ground"), its own staff ("The New Arab correspondent in Iraq confirmed", "the Christian
Science Monitor's Scott Petersen wrote"), people talking to it ("told Reuters"), a copyright
line, a sign-off or wire credit ("By Press TV", "MOSCOW, July 20 (Xinhua) --"), a headline
suffix ("... | The Guardian"), and its URL. Citing another outlet reads differently ("as
reported by Reuters", "writes for the New York Times", "The New York Times reports"), and
counts against that name. Every cue adds its weight to the name it holds; names the gazetteer
(:mod:`storyline.clean.outlets`) knows are merged under one canonical name; the best name
wins when its score reaches :data:`MIN_SCORE` (tuned on the dev part of
``bench/metadata_inference.py``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from storyline.clean import outlets, rules

# One to five capitalised words, "of"/"and"/"&" allowed inside: "The Christian Science
# Monitor", "Times of India", "Mail & Guardian", "Newswire.net".
_WORD = r"[A-Z][\w.&'’-]{0,40}"  # bounded: a megabyte without a space stays linear
_SP = r"[ \t\xa0]+"  # within a line: a name never runs over a line break
NAME = rf"(?:[Tt]he{_SP})?{_WORD}(?:{_SP}(?:(?:of|and|&|de|al){_SP})?{_WORD}){{0,4}}"
_N = rf"(?P<name>{NAME})"
_POSS = r"(?:'s|’s)"
# Words that make a capitalised phrase an outlet's name rather than a person's or a place's.
OUTLET_WORD = re.compile(
    r"\b(?:news|times|post|press|tv|radio|journal|herald|tribune|monitor|daily|magazine|"
    r"agency|network|wire|gazette|chronicle|observer|review|guardian|independent|telegraph|"
    r"mail|express|star|sun|today|online|standard|courier|examiner|inquirer|dispatch|"
    r"bulletin|record|register|reporter|sentinel|mercury|globe|nation|weekly|insider|"
    r"broadcasting|channel|media|times-\w+)\b|\.(?:com|net|org|co\.uk|ie|in|au)\b",
    re.IGNORECASE,
)
# Capitalised words a pattern can catch that never name an outlet.
_NOT_NAMES = frozenset(
    "the a an this that we our us it he she they i you all news getty images shutterstock alamy "
    "photo reuters/ afp/getty epa photos file rights reserved monday tuesday wednesday "
    "thursday friday saturday sunday subscribe sign click "
    # A page's sections and features, which its menu and pitches repeat like a name.
    "newsletter newsletters business money markets design politics opinion world sports "
    "entertainment lifestyle life style tech technology health science travel culture local "
    "weather video videos podcast podcasts".split()
)
# Photo agencies credited in copyright lines under pictures, not the page's publisher.
_PHOTO_CREDIT = re.compile(r"\b(?:getty|shutterstock|alamy|epa|istock|photo|images?)\b", re.I)


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    weight: float
    label: str
    # Whether any capitalised name counts, or only a known outlet or one with an outlet word.
    any_name: bool = False
    # Lower-case words every match holds, one of each group: a text whose lower-cased form
    # lacks them cannot match, and is not searched (see :func:`_may_match`).
    needs: tuple[tuple[str, ...], ...] = ()
    # The end of the pattern, searched alone first: every match of the pattern ends with a
    # match of it at the same place, and it is cheap where the pattern is not (the pattern
    # tries a name at every capital letter; its end is looked for only after a space).
    tail: re.Pattern[str] | None = None

    def may_match(self, text: str, lowered: str, folds: bool) -> bool:
        if not _may_match(self.needs, lowered, folds):
            return False
        return self.tail is None or self.tail.search(text) is not None


def _cue(
    regex: str,
    weight: float,
    label: str,
    *,
    any_name: bool = False,
    needs: tuple[tuple[str, ...], ...] = (),
    tail: str | None = None,
) -> Cue:
    if tail is not None:
        assert regex.endswith(tail), "a cue's tail is the end of its pattern"
    return Cue(re.compile(regex), weight, label, any_name, needs, tail and re.compile(tail))


def _may_match(needs: tuple[tuple[str, ...], ...], lowered: str, folds: bool) -> bool:
    """Whether a pattern that holds one word of each group of ``needs`` can match the text
    ``lowered`` is the lower-cased form of. ``folds``: the text holds a character that
    re.IGNORECASE matches to an ASCII letter but str.lower() does not map to it (then
    every pattern is searched)."""
    return folds or all(any(word in lowered for word in group) for group in needs)


_PITCH, _STAFF, _CONTACT = "pitch", "staff", "contact"
# The ends of the cues that begin with a name (see Cue.tail).
_PITCH_TAIL = r"\s+(?i:newsletters?|app\b|podcasts?|premium|subscribers|daily briefing)"
_STAFF_TAIL = r"\s+(?i:correspondents?|reporters?|journalists?|staff writer)\b"
_BYLINE_TAIL = rf"{_POSS}\s+[A-Z]\w+\s+[A-Z][\w'-]+\s+(?i:wrote|writes|reported|reports|reporting)"
_CONTACT_TAIL = (
    r"\s+(?i:has|have)\s+(?i:contacted|approached|learned|obtained|seen|reached out|asked)"
)
_CUES: tuple[Cue, ...] = (
    # Subscription and donation pitches: only the page's own outlet asks for money or readers.
    _cue(rf"(?i:subscribe|subscription|subscribers?)\s+(?:to|of)\s+{_N}", 2.0, _PITCH,
         any_name=True, needs=(("subscri",),)),
    _cue(rf"(?i:unlimited|support)\s+{_N}{_POSS}?\s+(?i:journalism|reporting)", 2.0, _PITCH,
         any_name=True, needs=(("unlimited", "support"), ("journalism", "reporting"))),
    _cue(rf"{_N}\s+is\s+(?i:on the ground|trusted|reader-funded|independent of|funded by)",
         2.0, _PITCH, any_name=True,
         needs=(("on the ground", "trusted", "reader-funded", "independent of", "funded by"),)),
    _cue(rf"(?i:other|fellow|dear)\s+{_N}\s+(?i:readers|subscribers|members)", 2.0, _PITCH,
         any_name=True,
         needs=(("other", "fellow", "dear"), ("readers", "subscribers", "members"))),
    _cue(rf"{_N}{_POSS}?{_PITCH_TAIL}", 1.0, _PITCH, tail=_PITCH_TAIL,
         needs=(("newsletter", "app", "podcast", "premium", "subscribers", "daily briefing"),)),
    _cue(rf"(?i:follow|like)\s+{_N}\s+on\s+(?i:twitter|facebook|instagram|x\b|linkedin|youtube)",
         1.5, _PITCH, any_name=True, needs=(("follow", "like"),)),
    _cue(rf"(?i:sign up (?:for|to)|download|get)\s+(?:the\s+)?{_N}{_POSS}?\s+"
         r"(?i:app|newsletter|daily|updates)", 1.5, _PITCH, any_name=True,
         needs=(("sign up", "download", "get"), ("app", "newsletter", "daily", "updates"))),
    # Its own staff and its own contacts.
    _cue(rf"{_N}{_POSS}?{_STAFF_TAIL}", 2.5, _STAFF, tail=_STAFF_TAIL,
         needs=(("correspondent", "reporter", "journalist", "staff writer"),)),
    _cue(rf"{_N}{_BYLINE_TAIL}", 1.5, _STAFF, any_name=True, tail=_BYLINE_TAIL,
         needs=(("'s", "’s"), ("wrote", "writes", "report"))),
    _cue(rf"(?i:editor|publisher|columnist|staff writer)(?: and [a-z]+)?\s+(?:of|at)\s+{_N}", 1.5,
         _STAFF, any_name=True, needs=(("editor", "publisher", "columnist", "staff writer"),)),
    _cue(rf"(?i:told|speaking to|spoke to|in an interview with|contacted by|confirmed to)\s+{_N}",
         1.5, _CONTACT, needs=(("told", "speaking to", "spoke to", "in an interview with",
                                "contacted by", "confirmed to"),)),
    _cue(rf"{_N}{_CONTACT_TAIL}", 1.5, _CONTACT, tail=_CONTACT_TAIL,
         needs=(("has", "have"), ("contacted", "approached", "learned", "obtained", "seen",
                                  "reached out", "asked"))),
    # Copyright and sign-off lines.
    _cue(r"(?:©|\((?i:c)\)|(?i:copyright))\s*(?:(?:19|20)\d\d\s*(?:[-–]\s*(?:19|20)\d\d)?\s*)?"
         rf",?\s*{_N}", 3.0, "copyright", any_name=True, needs=(("©", "(c)", "copyright"),)),
    _cue(rf"(?m)^(?i:by|from)\s+{_N}\s*\.?$", 2.5, "sign-off"),
    # Datelines and wire credits: "(Newswire.net — July 13, 2016) —", "MOSCOW, July 20
    # (Xinhua) --", "CARACAS (Reuters) -".
    _cue(rf"(?m)^\({_N}\s*(?:[—–|,]|-\s)", 2.5, "dateline", any_name=True),
    _cue(r"(?m)^[A-Z][A-Za-z0-9 .,'-]{1,40}"
         rf"\((?P<name>{_WORD}(?:\s+{_WORD}){{0,3}})\)\s*(?:--|[-–—_:])", 2.5, "wire credit",
         any_name=True),
)  # fmt: skip
# Another outlet cited: its name counts against it as the page's outlet.
_CITED: tuple[tuple[re.Pattern[str], tuple[tuple[str, ...], ...]], ...] = tuple(
    (re.compile(regex), needs)
    for regex, needs in (
        (
            rf"(?i:according to|as reported by|reported by|writes? for|wrote (?:in|for)|"
            rf"material from|(?:first )?published (?:in|by)|via)\s+{_N}",
            (("according to", "reported by", "write for", "writes for", "wrote in",
              "wrote for", "material from", "published in", "published by", "via"),),
        ),
        (
            rf"{_N}\s+(?i:reports|reported|said in a report|contributed to this report|"
            rf"contributed reporting)",
            (("report",),),
        ),
    )
)  # fmt: skip
# "Headline | The Guardian" or "Headline - Outlet" in the first line.
_TITLE_SUFFIX = re.compile(rf"\s(?:\||-|–|—|::)\s+(?P<name>{NAME})\s*$")
# "Sportsnet.ca", "Phys.org": a site's own name written as its domain.
_DOMAIN_NAME = re.compile(
    r"(?<![@/\w.])((?:[A-Za-z0-9][\w-]{0,40}\.)?[A-Za-z0-9][\w-]{0,40}\.(?:com|net|org|co\.uk|ca|com\.au|"
    r"co|io|in|ie|ng|com\.br|news|tv))(?![\w.])"
)
# Every domain name ends in one of these (the text lower-cased).
_DOMAIN_NEEDS = ((".co", ".net", ".org", ".ca", ".io", ".in", ".ie", ".ng", ".news", ".tv"),)
# Platforms every page links to; their domains say nothing about the publisher.
_PLATFORMS = frozenset(
    "facebook twitter google youtube instagram linkedin pinterest reddit whatsapp tiktok "
    "amazon apple wordpress blogspot medium t bit wikipedia gmail yahoo outlook".split()
)
MIN_SCORE = 2.5
# Self-references sit in the header, the lede and the footer; reading only this much of each
# end keeps a 20 MB page as cheap as a long article.
WINDOW = 30_000


def reading_window(text: str) -> str:
    """The head and the tail of a long text, where its metadata and pitches are."""
    if len(text) <= 2 * WINDOW:
        return text
    return text[:WINDOW] + "\n" + text[-WINDOW:]


@dataclass(frozen=True)
class OutletGuess:
    name: str
    score: float
    evidence: str


# A copyright line names the company: "The New York Times Company", "CityAM. Limited".
_CORPORATE = re.compile(
    r"(?:[ .,]+(?:company|co|inc|incorporated|ltd|limited|llc|plc|pvt|corp|corporation|"
    r"group|holdings|gmbh|s\.a|all|network|media|communications|interactive|universal|"
    r"publishing|publications|newspapers|enterprises|digital|partners))+\.?$",
    re.IGNORECASE,
)


# A legal form after a copyright holder's name ("Hearst Newspapers, LLC", "Capitol Hill
# Publishing Corp."): the holder is a company.
_LEGAL_FORM = re.compile(
    r"[ .,]+(?:inc|incorporated|ltd|limited|llc|plc|pvt|corp|corporation|gmbh|s\.a|ag|co)\b",
    re.IGNORECASE,
)
OWNER_WEIGHT = 1.0


def _names_a_company(match: re.Match[str], text: str) -> bool:
    """Whether a copyright line's holder carries a legal form, in the name or right after."""
    after = text[match.end() : match.end() + 25].split("\n", 1)[0]
    return _LEGAL_FORM.search(match.group("name") + after) is not None


def _outlet_like(name: str) -> bool:
    return outlets.lookup(name) is not None or OUTLET_WORD.search(name) is not None


def _clean_name(name: str) -> str | None:
    name = re.sub(r"(?:'s|’s)$", "", name.strip(" .,:;'\"’")).strip()
    # "BBC. The BBC is not responsible": a full stop and a space end the name.
    name = re.split(r"\.\s", name, maxsplit=1)[0]
    name = re.sub(r"^(?:(?:copyright|all rights reserved|©)\s*)+", "", name, flags=re.I)
    name = _CORPORATE.sub("", name).strip(" .,")
    if not name:
        return None
    tokens = name.split()
    if tokens[0].lower() == "the" and len(tokens) == 1:
        return None
    if tokens[-1].lower() in _NOT_NAMES or all(t.lower() in _NOT_NAMES for t in tokens):
        return None
    if len(name) > 60 or not (name[:1].isupper() or name[:1].isdigit() or name.startswith("the ")):
        return None
    return name


def _canonical(name: str) -> str:
    known = outlets.lookup(name)
    if known is not None:
        return known.name
    if name.lower().startswith("the "):
        return "The " + name[4:]
    return name


def _acceptable(name: str, cue: Cue, before: str) -> bool:
    if cue.any_name or _outlet_like(name):
        return True
    # "The New Arab correspondent": a person's name takes no article (but "the Foreign
    # correspondents" is not an outlet: two capitalised words at least).
    words = [w for w in name.split() if w.lower() != "the"]
    with_article = name.lower().startswith("the ") or before.endswith("the ")
    return cue.label == "staff" and with_article and len(words) >= 2


# Navigation words a page's first lines are made of; the masthead is the line that is not.
_NAV = re.compile(
    r"^(?:home|menu|news|search|skip to (?:main )?content|sign in|log ?in|subscribe|close|"
    r"sections?|top stories|latest|more|share|advertisement|x|notice|jump to.*)$",
    re.IGNORECASE,
)
_MASTHEAD = re.compile(rf"^{NAME}$")


def _masthead_lines(text: str) -> list[str]:
    """Short capitalised lines among a page's first lines that the page repeats later: its
    name above the menu ("Fox Business", "MoreBikes"). Each counts once and weakly; the
    repetition bonus does the rest."""
    first = [" ".join(line.split()) for line in text.split("\n", 20)[:20]]
    if sum(1 for line in first if 0 < len(line.split()) <= 4) < 8:
        return []  # not a page's menu: an article's own lines
    head = first[:8]
    found = []
    for line in head:
        line = re.split(r"[,|]", line, maxsplit=1)[0].strip()
        if not line or len(line.split()) > 4 or _NAV.match(line) or not _MASTHEAD.match(line):
            continue
        if _clean_name(line) and text.count(line) >= 2:
            found.append(line)
    return found[:2]


def guess_outlet(
    text: str,
    *,
    url: str | None = None,
    title: str | None = None,
    min_score: float | None = None,
) -> OutletGuess | None:
    """The outlet ``text`` names as its own (or its URL's), when the evidence is strong enough
    (a score of ``min_score``, by default :data:`MIN_SCORE`)."""
    text = reading_window(text)
    lowered = text.lower()
    folds = not text.isascii() and rules.ASCII_FOLDS.search(text) is not None
    scores: dict[str, float] = defaultdict(float)
    evidence: dict[str, list[str]] = defaultdict(list)
    display: dict[str, str] = {}
    owners: set[str] = set()  # copyright holders that are companies

    def add(name: str | None, weight: float, why: str) -> None:
        if name is None:
            return
        canonical = _canonical(name)
        key = outlets.squash(canonical)
        if not key:
            return
        display.setdefault(key, canonical)
        scores[key] += weight
        if weight > 0:
            evidence[key].append(why)

    if url:
        site = outlets.from_domain(url)
        host = outlets.host_of(url)
        if site is not None:
            add(site.name, 6.0, f"URL {host}")
        elif host is not None:
            add(host, 6.0, f"URL {host}")
    for line in _masthead_lines(text):
        add(line, 1.0, f"masthead {line!r}")
    first_line = (title or text.lstrip().split("\n", 1)[0])[:200]
    suffix = _TITLE_SUFFIX.search(first_line)
    if suffix and len(suffix.group("name").split()) <= 4:
        add(_clean_name(suffix.group("name")), 2.0, f"headline suffix {suffix.group(0).strip()!r}")
    for cue in _CUES:
        if not cue.may_match(text, lowered, folds):
            continue
        for match in cue.pattern.finditer(text):
            name = _clean_name(match.group("name"))
            if name is None or (cue.label == "copyright" and _PHOTO_CREDIT.search(name)):
                continue
            weight = cue.weight
            if cue.label == "copyright":
                # The page's own copyright is a footer line, usually dated; one high up the
                # page credits a picture or a data feed ("© NASA").
                in_footer = match.start() >= len(text) * 0.6
                dated = re.search(r"(?:19|20)\d\d", match.group(0)) is not None
                weight = (3.0 if dated else 1.5) if in_footer else 1.0
                if _names_a_company(match, text) and not _outlet_like(name):
                    # "© 2019 Hearst Communications, Inc." on chron.com: a company that
                    # holds the copyright is often the owner of many titles, not the title,
                    # and its lines ("Hearst Newspapers, LLC" too) count once, weakly.
                    if name in owners:
                        continue
                    owners.add(name)
                    weight = min(weight, OWNER_WEIGHT)
            before = text[max(0, match.start() - 4) : match.start()].lower()
            if not _acceptable(name, cue, before):
                continue
            raw_name = match.group("name")
            if match.end("name") == match.end() and raw_name.endswith(("'s", "’s")):
                continue  # "publisher of John M. Ford's novel": the name goes on
            if cue.label == _STAFF and cue.weight > 2.0:
                # "The New Arab correspondent", "the Monitor's correspondent" speak of the
                # outlet's own staff; "CBS correspondent Major Garrett" cites another's.
                own = name.lower().startswith("the ") or before.endswith("the ")
                own = own or raw_name.endswith(("'s", "’s"))
                weight = cue.weight if own else 1.0
            quoted = " ".join(match.group(0).split())[:80]
            add(name, weight, f"{cue.label}: {quoted!r}")
    for pattern, needs in _CITED:
        if not _may_match(needs, lowered, folds):
            continue
        for match in pattern.finditer(text):
            name = _clean_name(match.group("name"))
            if name is not None:
                add(name, -1.5, "cited")
    found = _DOMAIN_NAME.finditer(text) if _may_match(_DOMAIN_NEEDS, lowered, folds) else ()
    domains = [
        m.group(1) for m in found
        if outlets.registered_label(m.group(1).lower()) not in _PLATFORMS
    ]  # fmt: skip
    for name in dict.fromkeys(domains):
        add(name, min(domains.count(name), 3) * 1.0, f"site name {name!r}")
    for key in [k for k, v in evidence.items() if v]:
        # A page repeats its own name (masthead, footer, pitches): each further mention of a
        # name that already has a cue adds a little.
        mentions = len(re.findall(rf"(?<!\w){re.escape(display[key])}(?!\w)", text))
        scores[key] += min(max(mentions - 1, 0) * 0.25, 1.5)
    if not scores:
        return None
    best = max(scores, key=lambda key: (scores[key], len(evidence[key])))
    threshold = MIN_SCORE if min_score is None else min_score
    if scores[best] < threshold or not evidence[best]:
        return None
    return OutletGuess(display[best], scores[best], "; ".join(dict.fromkeys(evidence[best])))
