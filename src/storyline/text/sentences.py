"""Offline sentence splitting that keeps character spans.

Rules rather than a model: a boundary is sentence-final punctuation (with any closing quotes or
brackets) followed by whitespace and a plausible sentence start. Known abbreviations (Mr., Jan.,
Gen.), initials (John F. Kennedy), initialisms (U.S.), decimals (3.5), amounts ($4.5bn), URLs and
e-mail addresses never end a sentence. A line break always does: cleaned article text keeps one
paragraph a line.

:func:`article_sentences` is what the stages use: the same spans, none opening with a wire
dateline ("WASHINGTON _", "PARIS, November 19 (Xinhua) --").
"""

from __future__ import annotations

import bisect
import itertools
import re
from functools import lru_cache

# Abbreviations that are followed by a capitalised word without ending the sentence.
TITLE_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm maj cpl pvt st jr sr rev hon
    pres supt insp det fr messrs mme mlle sra sr srta no nos vol vols fig figs art ch sec para pp
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    inc corp co ltd llc plc bros dept univ assn est approx vs v etc al e.g i.e cf ca ft mt ave blvd
    rd hwy no op ed ald""".split()
)
# Capitalised words that usually open a sentence: after "U.S." they signal a boundary.
SENTENCE_STARTERS = frozenset(
    """the a an he she it they we i you his her its their our this that these those there here
    but and or so yet however meanwhile still also in on at for after before when while if as
    then now some many most officials mr mrs ms""".split()
)

# A candidate never starts right after another sentence-final mark: the run's first mark was
# tried already with the same outcome, and retrying from every mark of a long run ("......")
# would cost the square of its length.
_CANDIDATE = re.compile(r"""(?<![.!?…])[.!?…]+["'”’)\]]*(?=\s)|\n+""")
_NEXT_TOKEN = re.compile(r"""\s*(["'“‘(\[`]*)(\S+)""")
_INITIALISM = re.compile(r"(?:\b[A-Za-z]\.){2,}$")
# The last two letters of an initialism ("S." of "U.S.") are enough to recognise one.
_INITIALISM_REACH = 4
_WORD_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    punct = match.group()
    if punct.startswith("\n"):
        return True
    following = _NEXT_TOKEN.match(text, match.end())
    if following is None:
        return True
    opener, next_word = following.groups()
    first = next_word[0]
    if not opener and first in "—–-_":
        return False  # "Rep. Ted Yoho (R-Fla.) — a firebrand —": an aside goes on
    if not (first.isupper() or first.isdigit() or opener or not first.isalpha()):
        return False  # "e.g. the", "... and" : lower-case continuation
    if punct[0] != ".":
        return True
    # Only the few characters before the full stop are looked at, never the whole text before
    # it: that made the splitter quadratic in the length of the text.
    stop = match.start()
    if _INITIALISM.search(text, max(0, stop + 1 - _INITIALISM_REACH), stop + 1):
        # "U.S. troops" never reaches here; "in the U.S. The" does.
        return next_word.strip("\"'“‘(").lower() in SENTENCE_STARTERS
    written = _word_before(text, stop)
    if written:
        word = written.lower()
        if word in TITLE_ABBREVIATIONS:
            return False
        if len(word) == 1 and written.isupper():
            return False  # middle initial: "John F. Kennedy"
    return True


def _word_before(text: str, stop: int) -> str:
    """The word a full stop ends: the letters and dots before ``text[stop]``, from the first
    letter on ("Gen" in "Lt. Gen.", "e.g" in "e.g."); empty when a space or digit precedes it.

    A scan back over ASCII letters and dots: the run ends at the whitespace after the previous
    candidate, so all the scans of a text together read it once.
    """
    begin = stop
    while begin > 0 and text[begin - 1] in _WORD_CHARACTERS:
        begin -= 1
    while begin < stop and text[begin] == ".":
        begin += 1
    return text[begin:stop]


def split_sentences(text: str, *, offset: int = 0) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences of ``text``, trimmed of whitespace."""
    if _CACHED_FROM <= len(text) <= _CACHED_UP_TO:
        return list(_split_cached(text, offset))
    return _split(text, offset)


# The cleaner (twice) and the summarizer split the same long text: a long article of tiny
# sentences ("Go now. " x 25,000) spent a third of its time splitting it again. The split is
# a function of the text, so a few recent long texts keep theirs.
_CACHED_FROM, _CACHED_UP_TO = 10_000, 2_000_000


@lru_cache(maxsize=4)
def _split_cached(text: str, offset: int) -> tuple[tuple[int, int], ...]:
    return tuple(_split(text, offset))


def _split(text: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if not _is_boundary(text, match):
            continue
        end = match.start() if match.group().startswith("\n") else match.end()
        _append_trimmed(text, start, end, spans, offset)
        start = match.end()
    _append_trimmed(text, start, len(text), spans, offset)
    return spans


def _append_trimmed(
    text: str, start: int, end: int, spans: list[tuple[int, int]], offset: int
) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and any(ch.isalnum() for ch in text[start:end]):
        spans.append((start + offset, end + offset))


# A wire dateline opening a paragraph: "WASHINGTON _", "LARAMIE, Wyo. (AP) --", "DOHA, Qatar —",
# "PARIS, November 19 (Xinhua) --", or the agency alone: "(CNN)", "(Reuters) -".
# It tells where a story was filed, not what happened: a sentence starts after it (its span stays
# verbatim, it just begins later), so no stage quotes, summarizes or dates the dateline.
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_AGENCY = r"\((?:AP|Reuters|AFP|Xinhua|UPI|CNN|dpa|DPA|IANS|PTI|Bloomberg|Kyodo|Yonhap|TASS|ANI)\)"
WIRE_DATELINE = re.compile(
    r"(?:"
    r"[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,3}"  # the place, in capitals
    r"(?:,\s*[A-Z][A-Za-z.]+(?:\s+(?:[A-Z][A-Za-z.]+|\d{1,4},?)){0,3})?"  # ", N.J.", ", May 12"
    r"\s*(?:\([A-Za-z .&-]{2,25}\)\s*)?"  # "(AP)"
    r"(?:_|--|—|–|-)\s+"
    r"|"
    r"\([A-Z][A-Za-z]{1,15}(?: [A-Z][A-Za-z]{1,15}){0,2}\)\s*(?:(?:_|--|—|–|-)\s*)?(?=[A-Z])"
    r"|"
    # "Nairobi, February 9 (Xinhua) --", "Washington (AP) --": in mixed case only with a date
    # or a news agency, since "Bashir -- who seized power --" opens a sentence the same way.
    r"[A-Z][a-z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]+){0,3}(?:,\s*[A-Z][a-z][A-Za-z.]*)?"
    rf"(?:,\s*{_MONTH}\.? \d{{1,2}}(?:,? \d{{4}})?(?:\s*{_AGENCY})?\s*(?:_|--|—|–|-)\s+"
    rf"|\s*{_AGENCY}\s*(?:(?:_|--|—|–|-)\s+|(?=[A-Z])))"  # "Kabul, Afghanistan (CNN) A wedding"
    r")"
)


# Typesetting codes of the New York Times wire in LDC corpora (DUC, TAC, Gigaword): "&QL;",
# "&UR; &LR;". Words of no language; a sentence starts after them.
TYPESETTING_CODES = re.compile(r"(?:&[A-Z]{2,3};\s*)+")

# A list bullet opening a sentence: "_ " in AP wire lists, "- ", "• ", "* ".
LIST_BULLET = re.compile(r"(?:[_•*·▪-]|--|—|–)\s+(?=\S)")

# Double quotation marks as news text writes them: straight, curly, and the ``LDC style'' of
# newswire corpora (two backticks open, two apostrophes close).
DOUBLE_QUOTE = re.compile(r"``|''|[\"“”]")
OPENING_QUOTES = ('"', "“", "``")


def balanced_quotes(text: str) -> bool:
    """Whether every double quotation mark opened in ``text`` is closed there too."""
    return (
        text.count('"') % 2 == 0
        and text.count("“") == text.count("”")
        and text.count("``") == text.count("''")
    )


def inside_quotation(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """For each sentence span (in order), whether it lies inside a quotation that an earlier
    sentence of its paragraph opened: the middle of a speaker's words, showing neither their
    quotation marks nor who speaks ('"Our view has not changed. We believe it is right to seek
    the High Court's view ...').

    A sentence that opens with a quotation mark shows it, and a quotation never runs on past a
    paragraph break unnoticed: by convention each paragraph of a long quotation opens with a
    mark of its own. A straight double quote right after a digit is a unit (19' 36"), not a
    quotation mark.
    """
    flags: list[bool] = []
    is_open = False
    previous_end = 0
    for start, end in spans:
        if "\n" in text[previous_end:start] or text[start:end].lstrip().startswith(OPENING_QUOTES):
            is_open = False
        flags.append(is_open)
        for mark in DOUBLE_QUOTE.finditer(text, start, end):
            symbol = mark.group()
            if symbol == '"':
                if not (mark.start() > 0 and text[mark.start() - 1].isdigit()):
                    is_open = not is_open
            else:
                is_open = symbol in ("“", "``")
        previous_end = end
    return flags


def article_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of an article body, none starting with a wire dateline, a typesetting
    code or a list bullet (see above).

    Every stage that shows or cites an article's sentences (summaries, quotes, timeline, facts)
    cuts them here, so their sentence numbers agree.
    """
    datelines = []
    for line in re.finditer(r"(?m)^[ \t]*", text):
        start = line.end()
        if codes := TYPESETTING_CODES.match(text, start):
            start = codes.end()  # "&LR; WASHINGTON _ One year after..."
        if match := WIRE_DATELINE.match(text, start):
            datelines.append((line.end(), match.end()))
    # Datelines come in text order; reach[i] is the furthest any of the first i + 1 ends, so
    # a bisection finds the first one that can still cover a sentence start.
    reach = list(itertools.accumulate((end for _, end in datelines), max))
    spans: list[tuple[int, int]] = []
    for start, end in split_sentences(text):
        if codes := TYPESETTING_CODES.match(text, start):
            start = codes.end()
        for number in range(bisect.bisect_right(reach, start), len(datelines)):
            dateline_start, dateline_end = datelines[number]
            if dateline_start > start:
                break  # this one and every later one start after the sentence does
            if start < dateline_end:
                start = dateline_end  # "LARAMIE, Wyo." may even be split off as a sentence
        if bullet := LIST_BULLET.match(text, start):
            start = bullet.end()  # "_ The computer industry has known about the Y2K problem"
        if end - start >= 2 and any(ch.isalnum() for ch in text[start:end]):
            spans.append((start, end))
    return spans
