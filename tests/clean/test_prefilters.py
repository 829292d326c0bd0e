"""The cleaner's shortcuts answer exactly as the regexes they stand in front of.

The rules skip a regex when a line lacks the words every match of it holds, count words only
up to the threshold asked about, and cache answers per line; outlet inference skips a cue the
text cannot match. Each shortcut is checked here against the plain regex on text built from
the very words, separators and case-folding characters the shortcuts reason about, and on the
lines of real scrapes.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.clean import metadata, outlet_inference, rules
from storyline.clean.boilerplate import prepare_lines
from storyline.text.dates import DATE_PATTERNS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "clean"

# Fragments the patterns care about, in several cases, and the non-ASCII characters that
# re.IGNORECASE folds onto ASCII letters (the prefilters must not be fooled by them).
_FRAGMENTS = [
    "Subscribe", "SUBSCRIPTION", "donate", "sign up", "Sign In", "log in", "LOGIN", "per month",
    "/year", "newsletter", "your support", "support us", "cookies", "privacy policy",
    "terms of use", "comments", "you", "We", "our", "us", "Correction:", "This story was updated",
    "crawls are part of an effort to archive", "A post shared by", "(@user) on", "(AP)",
    "Reuters", "photo", "(Getty Images)", "walks", ", left,", "2016", "July 13, 2016", "19",
    "https://", "www.", ".com", "@", "help us", "keep it free", "reader-funded", "ad blocker",
    "create a free account", "register now", "cancel anytime", "stories this month",
    "\u0130", "\u0131", "\u017f", "\u212a", "ſubscribe", "\u212aeep it free", "ſign up",
    "uſ", "y\u0131u",
]  # fmt: skip
_PIECES = st.sampled_from(_FRAGMENTS) | st.text(alphabet=string.ascii_letters + " .,|'", max_size=6)
_LINES = st.lists(_PIECES, max_size=12).map(lambda parts: " ".join(parts))


def _real_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted(FIXTURES.glob("*.txt")):
        lines.extend(prepare_lines(path.read_text(encoding="utf-8")).lines)
    assert len(lines) > 30
    return lines


def _plain_plea_hits(line: str) -> int:
    return len(rules._PLEA.findall(line))


def _plain_notice(line: str) -> str | None:
    return next((reason for reason, p in rules._NOTICES if p.search(line)), None)


@settings(max_examples=400, deadline=None)
@given(_LINES)
def test_rule_shortcuts_answer_as_the_plain_regexes(line: str) -> None:
    assert rules.plea_hits(line) == _plain_plea_hits(line)
    assert rules.has_person(line) == bool(rules._PERSON.search(line))
    assert rules.notice(line) == _plain_notice(line)
    assert rules.may_be_plea(line) or _plain_plea_hits(line) == 0
    for cap in (1, 3, 15):
        assert rules.count_up_to(rules._WORD, line, cap) == min(len(rules._WORD.findall(line)), cap)


def test_rule_shortcuts_on_real_scrape_lines() -> None:
    lines = _real_lines()
    assert any(_plain_plea_hits(line) for line in lines)  # the fixtures hold pleas
    for line in lines:
        assert rules.plea_hits(line) == _plain_plea_hits(line), line
        assert rules.has_person(line) == bool(rules._PERSON.search(line)), line
        assert rules.notice(line) == _plain_notice(line), line


def _plain_date_only(line: str) -> object:
    stripped = re.sub(
        r"^(?:published|updated|posted|last updated|first published|date)\s*(?:on|:)?\s*",
        "",
        line.strip(),
        flags=re.IGNORECASE,
    )
    for pattern in DATE_PATTERNS:
        match = pattern.fullmatch(stripped.strip(" .|/–—-"))
        if match:
            from storyline.text.dates import parse_date

            return parse_date(match.group())
    return None


@pytest.mark.parametrize(
    "line",
    ["July 13, 2016", "Updated: 13 July 2016 10:05 GMT", "2016-07-13", "Published on 1 May 1999",
     "July 13", "13 July", "Monday", "posted 20 minutes ago", "Date: 2020-02-30"],
)  # fmt: skip
def test_date_only_line_with_and_without_a_year(line: str) -> None:
    assert metadata.date_only_line(line) == _plain_date_only(line)


def _plain_cue_matches(text: str) -> list[tuple[str, str]]:
    found = []
    for cue in outlet_inference._CUES:
        found += [(cue.label, m.group(0)) for m in cue.pattern.finditer(text)]
    for pattern, _ in outlet_inference._CITED:
        found += [("cited", m.group(0)) for m in pattern.finditer(text)]
    return found


def _filtered_cue_matches(text: str) -> list[tuple[str, str]]:
    lowered = text.lower()
    folds = not text.isascii() and rules.ASCII_FOLDS.search(text) is not None
    found = []
    for cue in outlet_inference._CUES:
        if cue.may_match(text, lowered, folds):
            found += [(cue.label, m.group(0)) for m in cue.pattern.finditer(text)]
    for pattern, needs in outlet_inference._CITED:
        if outlet_inference._may_match(needs, lowered, folds):
            found += [("cited", m.group(0)) for m in pattern.finditer(text)]
    return found


_OUTLET_FRAGMENTS = [
    "Subscribe to The Daily Planet", "support Monitor journalism", "The Sentinel is on the ground",
    "fellow Herald readers", "The Post's newsletter", "Follow Daily Bugle on Twitter",
    "Get the Times app", "The New Arab correspondent", "the Monitor's Scott Petersen wrote",
    "editor of the Gazette", "told Reuters", "Reuters has contacted", "© 2016 Example Media",
    "(c) Example News", "according to The Guardian", "The Times reported", "TOLD REUTERS",
    "ſUBSCRIBE TO Daily Star", "\u212aept", "spoke to", "News", "\n", " ", "\n\n",
    "newsletter", "Herald's", "'s Jane Doe wrote", "has seen", "reporters", "app.", "Apple",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_OUTLET_FRAGMENTS), max_size=10).map(" ".join))
def test_outlet_cues_skipped_only_when_they_cannot_match(text: str) -> None:
    assert _filtered_cue_matches(text) == _plain_cue_matches(text)


def test_outlet_cues_on_real_scrapes() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.txt"))]
    assert any(_plain_cue_matches(text) for text in texts)
    for text in texts:
        assert _filtered_cue_matches(text) == _plain_cue_matches(text)


@pytest.mark.slow
def test_only_these_characters_fold_onto_ascii_letters() -> None:
    # rules.ASCII_FOLDS must list every non-ASCII character that re.IGNORECASE matches to an
    # ASCII letter: the prefilters lower-case with str.lower(), which does not map these.
    patterns = [re.compile(re.escape(letter), re.IGNORECASE) for letter in string.ascii_lowercase]
    folding = set()
    for code in range(128, 0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        if char.lower() in string.ascii_lowercase:
            continue  # str.lower() maps it to the letter: the prefilters see it
        if any(p.fullmatch(char) for p in patterns):
            folding.add(char)
    assert all(rules.ASCII_FOLDS.fullmatch(char) for char in folding)


_FOLDED = [
    (rules._FOLDED_PLEA, rules._PLEA),
    (rules._FOLDED_PERSON, rules._PERSON),
    (rules._FOLDED_IMPERATIVE, rules._IMPERATIVE),
    (rules._FOLDED_CREDIT, rules._CAPTION_CREDIT),
    (rules._FOLDED_DEPICTION, rules._DEPICTION_VERB),
]
_CAPTION_FRAGMENTS = [
    "(AP Photo)", "[Getty Images]", "(C-L)", "(l)", ", center left,", "( second from right )",
    "Smiles", "POSES", "is pictured", "Photo", "(REUTERS/File)", "Walks", "ſmiles", "\u212a",
    ", far RIGHT,", ", Centre,", ", r\u0131ght,", ", LEFT)", ",",
]  # fmt: skip


def _plain_caption(line: str) -> bool:
    cue = rules._CAPTION_CREDIT.search(line) is not None or bool(
        rules._CAPTION_POSITION.search(line) and rules._DEPICTION_VERB.search(line)
    )
    return cue and 3 <= len(rules._WORD.findall(line)) <= 60


@settings(max_examples=400, deadline=None)
@given(
    _LINES | st.lists(st.sampled_from(_CAPTION_FRAGMENTS + _FRAGMENTS), max_size=12).map(" ".join)
)
def test_folded_patterns_match_as_the_case_insensitive_ones(line: str) -> None:
    for folded, pattern in _FOLDED:
        assert folded.search(line) == (pattern.search(line) is not None)
        assert folded.count(line) == len(pattern.findall(line))
    assert rules.is_caption(line) == _plain_caption(line)
    assert rules._imperative(line) == any(
        rules._IMPERATIVE.search(part) for part in rules._SEGMENTS.split(line) if part
    )


def test_folded_patterns_on_real_scrape_lines() -> None:
    lines = _real_lines()
    assert any(_plain_caption(line) for line in lines)  # the fixtures hold captions
    assert any(rules._IMPERATIVE.search(line) for line in lines)
    for line in lines:
        for folded, pattern in _FOLDED:
            assert folded.count(line) == len(pattern.findall(line)), line
        assert rules.is_caption(line) == _plain_caption(line), line


def test_a_pattern_that_lower_casing_would_change_is_refused() -> None:
    with pytest.raises(ValueError, match="lower-case"):
        rules.Folded(re.compile(r"\bnews\B", re.IGNORECASE))  # \B would become \b
    with pytest.raises(ValueError, match="lower-case"):
        rules.Folded(re.compile(r"news"))  # case-sensitive: nothing to fold


# The glue patterns as first written, with the letters' check ahead of the punctuation; the
# shipped ones check it behind the punctuation, which the regex engine runs faster.
_GLUE_AS_WRITTEN = re.compile(r"(?<=[a-z]{2})([.!?]+[\"”’)]?)(?=[\"“‘]?[A-Z][a-z])")
_GLUE_AFTER_QUOTE_AS_WRITTEN = re.compile(r"(?<=[a-z]{2}[\"”’])([.!?])(?=[A-Z][a-z])")


@given(st.text(alphabet=st.sampled_from(list("abAB.!?\"”’)“‘ x")), max_size=30))
def test_glue_patterns_match_where_the_patterns_as_written_do(text: str) -> None:
    from storyline.clean import glue

    for shipped, written in (
        (glue._GLUE, _GLUE_AS_WRITTEN),
        (glue._GLUE_AFTER_QUOTE, _GLUE_AFTER_QUOTE_AS_WRITTEN),
    ):
        assert [m.span(1) for m in shipped.finditer(text)] == [
            m.span(1) for m in written.finditer(text)
        ]


def _plain_normalize(text: str) -> str:
    from storyline.clean import glue

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = glue._ODD_SPACE.sub(" ", glue._INVISIBLE.sub("", text))
    return "\n".join(glue._MULTI_SPACE.sub(" ", line).strip() for line in text.split("\n"))


_SPACES = list("ab \t\x0b\x0c\r\n\u00a0\u200b\u00ad\u3000é")


@given(st.text(alphabet=st.sampled_from(_SPACES), max_size=30))
def test_spaces_are_normalised_as_by_every_pattern(text: str) -> None:
    from storyline.clean.glue import normalize_spaces

    assert normalize_spaces(text) == _plain_normalize(text)


_SENTENCE_END_AS_WRITTEN = re.compile(r"[a-z\d%)]['\"”’)]?[.!?]['\"”’)]?\s+['\"“‘(]?[A-Z]")


@given(st.text(alphabet=st.sampled_from(list("aZ9%).!?'\"”’“‘( \n\tb")), max_size=30))
def test_sentence_ends_are_found_where_the_pattern_as_written_finds_them(text: str) -> None:
    from storyline.clean.features import _SENTENCE_END

    assert [m.end() for m in _SENTENCE_END.finditer(text)] == [
        m.end() for m in _SENTENCE_END_AS_WRITTEN.finditer(text)
    ]


def test_no_letter_is_a_decimal_digit() -> None:
    # The digit-share feature searches only words that are not all letters.
    import sys

    digit = re.compile(r"\d")
    letters = (chr(c) for c in range(sys.maxunicode + 1) if chr(c).isalpha())
    assert not any(digit.match(letter) for letter in letters)


_PERSON_PIECES = st.sampled_from(
    ["you", "You've", "YOU'RE", "your", "yours", "we", "We're", "we've", "our", "ours", "us",
     "US", "uſ", "bus", "_us", "9we", "y\u0131u", "’", "'", "-", " ", "."]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_PERSON_PIECES | st.text(alphabet="youwrsO'_ .", max_size=4), max_size=10))
def test_the_person_pattern_written_to_skip_ahead_matches_as_written(parts: list[str]) -> None:
    for text in ("".join(parts), " ".join(parts)):
        written = [m.span() for m in rules._PERSON.finditer(text)]
        assert [m.span() for m in rules._PERSON_SKIPPING.finditer(text)] == written
