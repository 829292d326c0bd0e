"""The line features' counts, computed with map() and str.count, are those of the plain loops.

``line_features`` counts capitalised words, stop words, word lengths and page-chrome
characters with C loops (map, filter, str.count) instead of Python generators; the model was
trained on the plain loops' values, so these must match them exactly, on any text.
"""

from __future__ import annotations

import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.clean import features
from storyline.clean.features import LINE_FEATURES, line_features

_TEXT = st.text(
    alphabet=st.sampled_from(
        [
            *(string.ascii_letters + string.digits + " .,'-’|•·»›«‹>/\\#@©®™"),
            *["É", "ß", "Ⅷ", "İ", "ǅ", "Σ", "ſ", "٣", "_", "\t"],
        ]
    ),
    max_size=80,
) | st.text(max_size=40)


# The chrome-character feature as first written: a regex class, its matches counted up to 3.
_CHROME_AS_WRITTEN = re.compile(r"[|•·»›«‹>/\\#@©®™]")


def _plain(line: str) -> dict[str, float]:
    words = features._words(line)
    n = len(words)
    alpha = [w for w in words if w[0].isalpha()]
    return {
        "cap_share": sum(1 for w in alpha if w[0].isupper()) / len(alpha) if alpha else 0.0,
        "stop_share": sum(1 for w in words if w.lower() in features._STOP) / n if n else 0.0,
        "chrome_chars": min(len(_CHROME_AS_WRITTEN.findall(line.strip())), 3) / 3,
        "avg_word_len": min(sum(len(w) for w in words) / n, 15) / 15 if n else 0.0,
    }


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_counted_features_equal_the_plain_loops(line: str) -> None:
    row = dict(zip(LINE_FEATURES, line_features(line, 0, None), strict=True))
    for name, value in _plain(line).items():
        assert row[name] == value, name


def test_counted_features_on_real_lines() -> None:
    lines = [
        "Home | World | U.S. | Politics » Middle East › Iraq",
        "The Pentagon said Monday that 4,647 U.S. troops are in Iraq, not the 4,600 it cited.",
        "© 2016 Cable News Network. All Rights Reserved. Follow us @CNN #Iraq",
        "Défense : « Les États-Unis enverront 560 soldats », a déclaré le secrétaire.",
    ]
    for line in lines:
        row = dict(zip(LINE_FEATURES, line_features(line, 0, None), strict=True))
        for name, value in _plain(line).items():
            assert row[name] == value, (name, line)
    chrome = dict(zip(LINE_FEATURES, line_features(lines[2], 0, None), strict=True))
    assert chrome["chrome_chars"] == 1.0  # ©, @ and # at least three
