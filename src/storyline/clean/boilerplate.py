"""Decide, line by line, what of a plain-text scrape is article body.

Order of evidence: metadata lines (datelines, bylines) are harvested and dropped; the
hand-written rules of :mod:`.rules` drop what is boilerplate anywhere (pleas, prompts,
credits, captions); the learned line model of :mod:`.model` drops page chrome that only
context reveals (menus, teaser lists, footers). Leading and trailing plea *sentences* glued
onto a body paragraph are cut off it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from storyline.clean import metadata, rules
from storyline.clean.features import _core_region, _key
from storyline.clean.features import _title_keys as title_keys
from storyline.clean.glue import extract_shortcodes, normalize_spaces, repair_glue
from storyline.clean.model import LineModel
from storyline.text.sentences import WIRE_DATELINE, split_sentences

_WORD = re.compile(r"[^\W_]+")
# Lines this close to a plea on both sides, written to the reader, belong to the same appeal.
_PLEA_REACH = 2


@dataclass
class LineDecisions:
    kept: list[str] = field(default_factory=list)
    kept_index: list[int] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    outlet: str | None = None
    published: datetime | None = None
    author: str | None = None
    title: str | None = None


def looks_like_headline(line: str) -> bool:
    if not 2 <= rules.count_up_to(_WORD, line, 31) <= 30:
        return False
    stripped = line.strip()
    # A sentence, also one ending in a quotation ("... reached ``a state of undeclared war.''").
    unquoted = stripped.rstrip("'\"”’")
    if unquoted.endswith((".", ",", ";", ":")) and not unquoted.endswith("..."):
        return False
    if WIRE_DATELINE.match(stripped):
        return False  # "ISTANBUL, Turkey _ Tension ...": a wire story's lead, never its headline
    if stripped.count("|") >= 2 or stripped.isupper():
        return False  # a menu ("Home | World | Health") or a section label ("LOCAL NEWS")
    if rules.short_rule(stripped) or rules.notice(stripped):
        return False
    if rules.is_plea(stripped) or rules.is_caption(stripped):
        return False
    if metadata.date_only_line(stripped) or metadata.parse_byline(stripped):
        return False
    return stripped[0].isupper() or stripped[0].isdigit() or stripped[0] in "\"“‘'"


@dataclass
class PreparedLines:
    title: str | None
    lines: list[str]
    captions: list[str]
    removed: list[tuple[str, str]]


def prepare_lines(raw: str, *, has_title_line: bool = True) -> PreparedLines:
    """Normalise, pull out shortcode captions, repair glue, split off a headline first line."""
    text, captions = extract_shortcodes(normalize_spaces(raw))
    lines = [line for line in (repair_glue(line) for line in text.split("\n")) if line]
    removed: list[tuple[str, str]] = []
    title = None
    if has_title_line and lines and looks_like_headline(lines[0]):
        title = lines[0]
        removed.append((title, "title"))
        lines = lines[1:]
    return PreparedLines(title=title, lines=lines, captions=captions, removed=removed)


def _trim_plea_sentences(line: str) -> tuple[str, list[str]]:
    """Cut plea sentences off the head and tail of a body line (glued-on appeals)."""
    if not rules.may_be_plea(line):
        return line, []  # no sentence of it can be a plea
    spans = split_sentences(line)
    if len(spans) < 2:
        return line, []
    dropped: list[str] = []
    first, last = 0, len(spans)
    while first < last - 1 and rules.is_plea(line[spans[first][0] : spans[first][1]]):
        dropped.append(line[spans[first][0] : spans[first][1]])
        first += 1
    while last - 1 > first and rules.is_plea(line[spans[last - 1][0] : spans[last - 1][1]]):
        dropped.append(line[spans[last - 1][0] : spans[last - 1][1]])
        last -= 1
    if not dropped:
        return line, []
    return line[spans[first][0] : spans[last - 1][1]], dropped


def _plea_flags(lines: list[str]) -> list[bool]:
    flags = [rules.is_plea(line) for line in lines]
    if not any(flags):
        return flags  # the smoothing below marks only lines after a plea: nothing to mark
    head = [
        flag
        or bool(
            rules.may_be_plea(line)
            and (spans := split_sentences(line))
            and rules.is_plea(line[spans[0][0] : spans[0][1]])
        )
        for flag, line in zip(flags, lines, strict=True)
    ]
    smoothed = list(flags)
    for i, line in enumerate(lines):
        if flags[i] or not rules.has_person(line):
            continue
        before = any(flags[max(0, i - _PLEA_REACH) : i])
        after = any(head[i + 1 : i + 1 + _PLEA_REACH])
        if before and after:
            smoothed[i] = True
    return smoothed


def _protected_prose(lines: list[str]) -> list[bool]:
    """Long prose paragraphs inside the densest run of prose: never the line model's to drop.

    The model is there for page chrome; a 25-word paragraph with a full stop, in the middle of
    the article's own stretch of paragraphs, is the article (rules still drop pleas and the
    like). This keeps short, mostly-clean article files whole whatever the model thinks.
    """
    if not lines:
        return []
    # Counted up to 25: no test below asks for more.
    n_words = np.array([rules.count_up_to(_WORD, line, 25) for line in lines])
    ends = np.array([line.rstrip().endswith((".", "!", "?", '"', "”", "’", ")")) for line in lines])
    is_long = (n_words >= 15) & ends
    start, end = _core_region(is_long)
    return [bool(start <= i <= end and n_words[i] >= 25 and ends[i]) for i in range(len(lines))]


def _is_prose(line: str) -> bool:
    ends = line.rstrip().endswith((".", "'", '"', "”", "’"))
    return ends and rules.count_up_to(_WORD, line, 12) >= 12


def decide(
    lines: list[str], *, title: str | None, model: LineModel | None, use_model: bool = True
) -> LineDecisions:
    """Split ``lines`` (non-empty, glue-repaired) into body, captions and removed lines."""
    out = LineDecisions()
    keys = title_keys(title) if title else set()
    pleas = _plea_flags(lines)
    scored = model is not None and use_model and bool(lines)
    threshold = model.threshold if (model is not None and use_model) else 0.0
    # The line model's scores (most of the cleaner's cost) are worked out the first time a
    # line reaches the model's test below, for all lines at once as before: a page whose every
    # line is settled by the rules, protected prose or the lead (a third of clean wire
    # articles) never needs them, and the decisions are the same either way.
    probabilities: np.ndarray | None = None

    def probability(index: int) -> float:
        nonlocal probabilities
        if probabilities is None:
            # Only lines outside the protected prose can be dropped by the model.
            wanted = np.flatnonzero(~np.asarray(protected, dtype=bool))
            probabilities = (
                model.score(lines, title=title, rows=wanted)
                if scored and model is not None
                else np.ones(len(lines))
            )
        return float(probabilities[index])

    protected = _protected_prose(lines)
    body_seen = 0
    in_link_list = False
    header_at = -2  # index of the last date-only line or byline

    def _take_headline(index: int) -> None:
        # Headline, then byline or date: the classic article header. Without a title line
        # at the top, the line above the first byline/dateline is the headline.
        if out.title is not None or title is not None or index < 0 or body_seen > 1:
            return
        candidate = lines[index]
        if not looks_like_headline(candidate):
            return
        if body_seen == 1:
            if out.kept_index[-1] != index:
                return
            out.kept.pop()
            out.kept_index.pop()
            out.removed.append((candidate, "title"))
        out.title = candidate
        for k, (line, _) in enumerate(out.removed):
            if line == candidate:
                out.removed[k] = (line, "title")

    for i, raw in enumerate(lines):
        line = raw
        # A dateline prefix "(Outlet — July 13, 2016) —" opens the first paragraphs only.
        if body_seen < 3:
            dateline, rest = metadata.split_dateline_prefix(line)
            if dateline is not None:
                out.outlet = out.outlet or dateline.outlet
                out.published = out.published or dateline.published
                out.removed.append((line[: len(line) - len(rest)].strip(), "dateline"))
                line = rest
                if not line:
                    continue

        if keys and _key(line) in keys:
            out.removed.append((line, "repeated headline"))
            continue
        published = metadata.date_only_line(line)
        if published is not None:
            out.published = out.published or published
            out.removed.append((line, "dateline"))
            _take_headline(i - 1)
            header_at = i
            continue
        byline = metadata.parse_byline(line)
        if byline is not None:
            author, outlet = byline
            out.author = out.author or author
            out.outlet = out.outlet or outlet
            out.removed.append((line, "byline"))
            _take_headline(i - 1)
            header_at = i
            continue
        reason = rules.short_rule(line) or rules.notice(line)
        if reason is not None:
            out.removed.append((line, reason))
            in_link_list = reason == "related links"
            continue
        if in_link_list:
            # Under a "Related stories" / "Most read" heading: headlines and rank numbers,
            # until prose resumes.
            ends = line.rstrip().endswith((".", "!", "?", '"', "”"))
            prose = ends and rules.count_up_to(_WORD, line, 10) >= 10
            if not prose:
                out.removed.append((line, "related links"))
                continue
            in_link_list = False
        if pleas[i]:
            out.removed.append((line, "plea"))
            continue
        if rules.is_caption(line):
            out.captions.append(line)
            out.removed.append((line, "caption"))
            continue
        # A prose paragraph right under the article's date or byline, or opening with a wire
        # dateline ("ISTANBUL, Turkey _ ..."), is its lead, whatever the line model (trained
        # on web page chrome) makes of a short wire-style article.
        is_lead = (
            body_seen == 0
            and (i == header_at + 1 or bool(WIRE_DATELINE.match(line)))
            and _is_prose(line)
        )
        if not protected[i] and not is_lead and probability(i) < threshold:
            out.removed.append((line, f"line model (p={probability(i):.2f})"))
            continue
        line, dropped = _trim_plea_sentences(line)
        out.removed.extend((sentence, "plea sentence") for sentence in dropped)
        out.kept.append(line)
        out.kept_index.append(i)
        body_seen += 1
    return out
