"""Generic features of the lines of a plain-text page, for the boilerplate line model.

In the spirit of jusText and boilerpipe, but for text that has lost its markup: the length of
a line, how much it reads like prose (stop words, sentence-final punctuation, lower-case
words), how much it reads like page chrome (capitalised menu items, dates, counters, pipes,
second-person imperatives), where it sits, and the same measures over its neighbours, because
body text comes in runs of long lines and navigation in runs of short ones.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import numpy as np

from storyline.clean import rules

# Function words of the languages news pages mostly come in; prose is full of them, menus
# and teaser lists are not. English dominates; a few others keep foreign pages from looking
# like menus.
_STOP = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them then there these
    they this those through to too under until up very was we were what when where which while
    who whom why will with would you your said says also been than into
    de la le les des du un une et est en que qui dans pour pas sur au aux avec ce il elle
    der die das und ist nicht mit den dem ein eine zu von im auf sich
    el los las y es por con para una lo del se al como más pero sus su
    o os as um uma e é não com para por mais da do das dos na no nas nos em foi ao
    il di che è per non un una sono della delle nel con si gli alla anche
    и в не на что с по как это он она они к из за от для""".split()
)
_WORD = re.compile(r"[^\W_]+(?:['’.,-][^\W_]+)*")
_TERMINAL = re.compile(r"[.!?…:;]['\"”’)\]]*$")
# A sentence end inside the line: "[a-z\d%)]['"”’)]?[.!?]['"”’)]?\s+['"“‘(]?[A-Z]", written
# from the punctuation on with the character(s) before it checked behind it, so the regex
# engine skips to punctuation: the same matches end where the written ones do (2.6x faster).
_SENTENCE_END = re.compile(
    r"[.!?](?:(?<=[a-z\d%)].)|(?<=[a-z\d%)]['\"”’)].))['\"”’)]?\s+['\"“‘(]?[A-Z]"
)
_DIGITS = re.compile(r"\d")
# Page-chrome characters (pipes, bullets, arrows, marks), and those of them an ASCII line can
# hold: counted with str.count, which finds them without the regex engine (the same count as
# the class [|•·»›«‹>/\\#@©®™] would find, tests/clean/test_line_features.py).
_CHROME = "|•·»›«‹>/\\#@©®™"
_ASCII_CHROME = "".join(c for c in _CHROME if c.isascii())
_DATE_LIKE = re.compile(
    r"\b(?:\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?|\d+\s*(?:[mhd]|mins?|hours?|days?|weeks?)\s+ago|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|(?:19|20)\d\d)",
    re.IGNORECASE,
)
_KEY_WORD = re.compile(r"[^\W_]+")
_QUOTE = re.compile(r"[\"“”]")
_URLISH = re.compile(r"https?://|www\.|\.com\b|@\w", re.IGNORECASE)

LINE_FEATURES = [
    "log_words",
    "log_chars",
    "terminal",
    "sentences",
    "cap_share",
    "digit_share",
    "stop_share",
    "chrome_chars",
    "date_like",
    "quote",
    "urlish",
    "plea",
    "person",
    "short_rule",
    "caption",
    "lower_start",
    "avg_word_len",
    "dup_count",
    "w1",
    "w2",
    "w3_4",
    "w5_8",
    "w9_15",
    "w16_30",
    "w31",
]
CONTEXT_FEATURES = [
    "rel_pos",
    "rel_char_pos",
    "prev_words",
    "next_words",
    "win1_words",
    "win3_words",
    "win7_words",
    "win3_terminal",
    "win7_terminal",
    "win3_stop",
    "win7_cap",
    "dist_long",
    "in_core",
    "core_frac_before",
    "doc_long_share",
    "doc_log_lines",
    "win4_date",
    "block_share",
    "block_is_max",
    "before_max_block",
    "after_max_block",
    "after_comments",
    "after_copyright",
    "rule_density_before",
    "rule_density_after",
    "after_headline",
    "since_headline",
]
# Page-level context: overlap with the headline (1), place relative to the longest run of
# consecutive prose lines (2), prose-likeness of wider windows (3), repeats of the line (4),
# wide prose window and the longest run's share of the page's words (5).
EXTRA_FEATURES = [
    "title_overlap_line", "title_overlap_title",
    "run_before", "run_inside", "run_after", "run_dist",
    "win3_prose", "win6_prose",
    "key_repeated",
    "win12_prose", "run_share",
]  # fmt: skip
FEATURES = LINE_FEATURES + CONTEXT_FEATURES + EXTRA_FEATURES


# Several features read the same line's words and key; each is worked out once a line (and
# kept for recent short lines, see rules.per_line_cache).


@rules.per_line_cache
def _key(line: str) -> str:
    return " ".join(_KEY_WORD.findall(line.lower()))


def _title_keys(title: str) -> set[str]:
    keys = {_key(title)}
    for separator in (" | ", " – ", " — ", " - ", " :: "):
        if separator in title:
            keys.add(_key(title.split(separator)[0]))
    keys.discard("")
    return keys


@rules.per_line_cache
def _words(line: str) -> list[str]:
    """The words of ``line`` (the list is shared: read it, never change it)."""
    return _WORD.findall(line)


def _chrome_count(line: str) -> int:
    """How many page-chrome characters ``line`` holds."""
    return sum(map(line.count, _ASCII_CHROME if line.isascii() else _CHROME))


def _has_stop_mark(line: str) -> bool:
    return "." in line or "!" in line or "?" in line  # what _SENTENCE_END needs


def _may_be_urlish(line: str) -> bool:
    # Every match of _URLISH holds one of these (no letter of them has a non-ASCII form that
    # re.IGNORECASE would match, so lower-casing finds them all).
    if "@" in line or "://" in line:
        return True
    lowered = line.lower()
    return "www." in lowered or ".com" in lowered


def line_features(line: str, dup_count: int, rule: str | None) -> list[float]:
    words = _words(line)
    n = len(words)
    # The per-word counts below go through map() and filter() with str's own methods: one
    # C loop each instead of a Python generator (the same counts, so the same features).
    alpha = list(filter(str.isalpha, [w[0] for w in words]))  # the initials that are letters
    cap = sum(map(str.isupper, alpha)) / len(alpha) if alpha else 0.0
    # A line without a digit has no word with one (most lines): no need to ask each word.
    has_digit = _DIGITS.search(line) is not None
    # A word of letters alone has no digit (\d is a decimal digit, never a letter): only the
    # others are searched.
    digit = (
        sum(1 for w in words if not w.isalpha() and _DIGITS.search(w)) / n
        if n and has_digit
        else 0.0
    )
    stop = sum(map(_STOP.__contains__, map(str.lower, words))) / n if n else 0.0
    stripped = line.strip()
    return [
        math.log1p(n),
        math.log1p(len(stripped)),
        1.0 if _TERMINAL.search(stripped) else 0.0,
        rules.count_up_to(_SENTENCE_END, stripped, 5) / 5 if _has_stop_mark(stripped) else 0.0,
        cap,
        digit,
        stop,
        min(_chrome_count(stripped), 3) / 3,
        1.0 if n <= 8 and _DATE_LIKE.search(stripped) else 0.0,
        1.0 if _QUOTE.search(stripped) else 0.0,
        1.0 if _may_be_urlish(stripped) and _URLISH.search(stripped) else 0.0,
        min(rules.plea_score(stripped), 4) / 4,
        1.0 if rules.has_person(stripped) else 0.0,
        1.0 if rule else 0.0,
        1.0 if rules.is_caption(stripped) else 0.0,
        1.0 if stripped[:1].islower() else 0.0,
        min(sum(map(len, words)) / n, 15) / 15 if n else 0.0,
        math.log1p(dup_count),
        1.0 if n == 1 else 0.0,
        1.0 if n == 2 else 0.0,
        1.0 if 3 <= n <= 4 else 0.0,
        1.0 if 5 <= n <= 8 else 0.0,
        1.0 if 9 <= n <= 15 else 0.0,
        1.0 if 16 <= n <= 30 else 0.0,
        1.0 if n > 30 else 0.0,
    ]


def _window_mean(values: np.ndarray, radius: int, *, exclude_self: bool = True) -> np.ndarray:
    n = len(values)
    padded = np.concatenate([[0.0], np.cumsum(values)])
    window = _small_window if n <= _CACHED_WINDOW_LINES else _window
    lo, hi, divisor, counted = window(n, radius, exclude_self)
    total = padded[hi] - padded[lo]
    if exclude_self:
        total = total - values
    return np.where(counted, total / divisor, 0.0)


# Pages of up to this many lines (most: a wire story has 10-30) keep their windows cached:
# 1,024 windows of at most 256 lines are at most 8 MB.
_CACHED_WINDOW_LINES = 256


def _window(n: int, radius: int, exclude_self: bool) -> tuple[np.ndarray, ...]:
    """Each line's window of ``radius`` lines either side in ``n`` lines: its bounds, how
    many lines it averages (at least 1, to divide by) and whether it holds any."""
    idx = np.arange(n)
    lo = np.maximum(idx - radius, 0)
    hi = np.minimum(idx + radius + 1, n)
    count = (hi - lo).astype(float)
    if exclude_self:
        count = count - 1
    window = (lo, hi, np.maximum(count, 1), count > 0)
    for array in window:
        array.flags.writeable = False  # shared by every page of n lines once cached
    return window


# The same for every page of n lines, so worked out once a size (never change the arrays).
_small_window = lru_cache(maxsize=1024)(_window)


def _core_region(is_long: np.ndarray) -> tuple[int, int]:
    """The densest stretch of long prose lines: start and end index (inclusive)."""
    # Maximum-sum subarray over +1 for long lines and a small penalty for others: the body is
    # the stretch that holds the most long lines with the fewest short ones in between.
    best, best_range = -1.0, (0, -1)
    current, start = 0.0, 0
    for i, flag in enumerate(is_long):
        current += 1.0 if flag else -0.35
        if current <= 0:
            current, start = 0.0, i + 1
            continue
        if current > best:
            best, best_range = current, (start, i)
    return best_range


def _blocks(n_words: np.ndarray, terminal: np.ndarray) -> list[np.ndarray]:
    """Prose blocks: runs of prose lines with at most two other lines between them.

    The article is usually the biggest block; comments, teasers and legal text are blocks of
    their own after it. Per line: its block's share of the prose, whether that block is the
    biggest, and whether the line lies before or after the biggest block.
    """
    n = len(n_words)
    prose = (n_words >= 8) | ((n_words >= 5) & (terminal > 0))
    block_of = np.full(n, -1)
    sizes: list[float] = []
    last_prose = -10
    for i in range(n):
        if not prose[i]:
            continue
        if i - last_prose > 3 or not sizes:
            sizes.append(0.0)
        block_of[i] = len(sizes) - 1
        sizes[-1] += n_words[i]
        last_prose = i
    # Lines between prose lines of one block belong to it; others take the nearest block.
    current = -1
    for i in range(n):
        if block_of[i] >= 0:
            current = block_of[i]
        else:
            nxt = next((block_of[j] for j in range(i + 1, min(n, i + 3)) if block_of[j] >= 0), -1)
            block_of[i] = current if current >= 0 and nxt == current else -1
    if not sizes:
        zeros = np.zeros(n)
        return [zeros, zeros, zeros, zeros]
    total = sum(sizes)
    biggest = int(np.argmax(sizes))
    members = np.flatnonzero(block_of == biggest)
    start, end = members[0], members[-1]
    idx = np.arange(n)
    share = np.array([sizes[b] / total if b >= 0 else 0.0 for b in block_of])
    return [
        share,
        (block_of == biggest).astype(float),
        (idx < start).astype(float),
        (idx > end).astype(float),
    ]


def document_features(lines: list[str], title: str | None = None) -> np.ndarray:
    """One row of :data:`FEATURES` per line.

    ``title``: the page's first line when it looked like a headline. Where a page repeats its
    headline (the <title> first, the <h1> later), the body starts right after the repeat.
    """
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    counts = Counter(line.strip().lower() for line in lines)
    reasons = [rules.short_rule(line.strip()) for line in lines]
    base = np.array(
        [
            line_features(line, counts[line.strip().lower()] - 1, reason)
            for line, reason in zip(lines, reasons, strict=True)
        ]
    )
    log_words = base[:, LINE_FEATURES.index("log_words")]
    terminal = base[:, LINE_FEATURES.index("terminal")]
    stop = base[:, LINE_FEATURES.index("stop_share")]
    cap = base[:, LINE_FEATURES.index("cap_share")]
    n_words = np.expm1(log_words)
    is_long = (n_words >= 15) & (terminal > 0)

    long_idx = np.flatnonzero(is_long)
    idx = np.arange(n)
    if len(long_idx):
        # The nearest long line is the one just before or just after: a search, not a lines x
        # long-lines matrix (quadratic on a page of thousands of lines).
        after = np.searchsorted(long_idx, idx)
        next_long = long_idx[np.minimum(after, len(long_idx) - 1)]
        previous_long = long_idx[np.maximum(after - 1, 0)]
        dist = np.minimum(np.abs(idx - previous_long), np.abs(next_long - idx))
    else:
        dist = np.full(n, n, dtype=float)
    core_start, core_end = _core_region(is_long)
    in_core = ((idx >= core_start) & (idx <= core_end)).astype(float)
    # How far outside the core a line lies, in lines, squashed: 0 inside, ~1 far away.
    outside = np.where(
        idx < core_start, core_start - idx, np.where(idx > core_end, idx - core_end, 0)
    )
    chars = np.array([len(line) for line in lines], dtype=float)
    cum_chars = (np.cumsum(chars) - chars / 2) / max(chars.sum(), 1.0)

    date_like = base[:, LINE_FEATURES.index("date_like")]
    rule_hit = np.array([1.0 if r else 0.0 for r in reasons])
    comments_at = [i for i, r in enumerate(reasons) if r == "comment prompt"]
    copyright_at = [i for i, r in enumerate(reasons) if r == "copyright"]
    blocks = _blocks(n_words, terminal)
    keys = _title_keys(title) if title else set()
    repeats = [i for i, line in enumerate(lines) if keys and _key(line) in keys]
    headline_at = repeats[0] if repeats else None
    context = np.column_stack(
        [
            idx / max(n - 1, 1),
            cum_chars,
            np.concatenate([[0.0], log_words[:-1]]),
            np.concatenate([log_words[1:], [0.0]]),
            _window_mean(log_words, 1),
            _window_mean(log_words, 3),
            _window_mean(log_words, 7),
            _window_mean(terminal, 3),
            _window_mean(terminal, 7),
            _window_mean(stop, 3),
            _window_mean(cap, 7),
            np.log1p(dist),
            in_core,
            np.log1p(outside) / math.log(50),
            np.full(n, is_long.mean()),
            np.full(n, math.log1p(n) / math.log(500)),
            _window_mean(date_like, 4),
            *blocks,
            (idx > comments_at[0]).astype(float) if comments_at else np.zeros(n),
            (idx > copyright_at[0]).astype(float) if copyright_at else np.zeros(n),
            np.cumsum(rule_hit) / np.maximum(idx + 1, 1),
            np.cumsum(rule_hit[::-1])[::-1] / np.maximum(n - idx, 1),
            (idx > headline_at).astype(float) if headline_at is not None else np.full(n, 0.5),
            np.log1p(np.abs(idx - headline_at)) * np.sign(idx - headline_at) / math.log(50)
            if headline_at is not None
            else np.zeros(n),
        ]
    )
    extra = _extra_features(lines, title, n_words, terminal)
    return np.hstack([base, context, extra]) if extra.shape[1] else np.hstack([base, context])


def _content_words(line: str) -> set[str]:
    # The key is the line's lower-cased words joined by spaces (words hold none).
    return {w for w in set(_key(line).split(" ")) - _STOP if len(w) > 1}


def _longest_run(prose: np.ndarray) -> tuple[int, int]:
    best, best_range = 0, (0, -1)
    start = None
    for i, flag in enumerate([*prose.tolist(), False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start > best:
                best, best_range = i - start, (start, i - 1)
            start = None
    return best_range


def _extra_features(
    lines: list[str], title: str | None, n_words: np.ndarray, terminal: np.ndarray
) -> np.ndarray:
    n = len(lines)
    idx = np.arange(n)
    cols: list[np.ndarray] = []
    head = title
    if not head:
        head = next((ln for ln in lines if 3 <= len(_words(ln)) <= 20), "")
    head_words = _content_words(head)
    line_words = [_content_words(ln) for ln in lines]
    overlap = [len(w & head_words) / len(w) if w and head_words else 0.0 for w in line_words]
    cols.append(np.array(overlap))
    cols.append(
        np.array([len(w & head_words) / len(head_words) if head_words else 0.0 for w in line_words])
    )
    prose = ((n_words >= 8) | ((n_words >= 5) & (terminal > 0))).astype(float)
    start, end = _longest_run(prose > 0)
    if end >= start:
        before = idx < start
        after = idx > end
        dist = np.where(before, start - idx, np.where(after, idx - end, 0))
        cols += [
            before.astype(float),
            ((~before) & (~after)).astype(float),
            after.astype(float),
            np.log1p(dist) / math.log(50),
        ]
    else:
        cols += [np.zeros(n), np.zeros(n), np.zeros(n), np.ones(n)]
    cols += [_window_mean(prose, 3), _window_mean(prose, 6)]
    keys = [_key(ln) for ln in lines]
    key_counts = Counter(k for k in keys if k)
    cols.append(np.array([1.0 if k and key_counts[k] > 1 else 0.0 for k in keys]))
    run_words = n_words[start : end + 1].sum() if end >= start else 0.0
    cols += [_window_mean(prose, 12), np.full(n, run_words / max(n_words.sum(), 1.0))]
    return np.column_stack(cols)
