"""The splitter's cost is linear in the text: checked by what it computes, not by a clock.

Before, every full stop re-scanned the whole text before it (a regex ``search`` over a slice of
the text up to the stop), so 'Go now. ' x 25,000 (200 KB) did not finish in 120 s.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storyline.text import article_sentences, split_sentences
from storyline.text import sentences as splitter

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# Spans the quadratic splitter gave on real articles (tests/fixtures/mds/mini.jsonl, the
# cleaning fixtures), recorded before it was made linear.
BEFORE = FIXTURES / "text" / "spans_before_linear_splitter.json"


def _texts() -> dict[str, str]:
    texts = {}
    for line in (FIXTURES / "mds" / "mini.jsonl").read_text(encoding="utf-8").splitlines():
        cluster = json.loads(line)
        for number, document in enumerate(cluster["documents"]):
            texts[f"mds/mini.jsonl#{cluster['id']}#{number}"] = document
    for path in sorted((FIXTURES / "clean").glob("*.txt")):
        texts[f"clean/{path.name}"] = path.read_text(encoding="utf-8")
    return texts


def test_real_articles_split_exactly_as_before() -> None:
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    texts = _texts()
    assert set(texts) == set(before)
    for name, text in texts.items():
        assert [list(s) for s in split_sentences(text)] == before[name]["split"], name
        assert [list(s) for s in article_sentences(text)] == before[name]["article"], name


def test_a_long_run_of_short_sentences_splits_into_every_sentence() -> None:
    text = "Dots\n" + "Go now. " * 25_000
    spans = article_sentences(text)
    assert len(spans) == 25_001
    assert text[slice(*spans[0])] == "Dots"
    assert {text[start:end] for start, end in spans[1:]} == {"Go now."}
    assert spans[-1][1] == len(text) - 1  # the last space is trimmed


class _CountingPattern:
    """A compiled pattern that records how much text each ``search`` is given."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.windows: list[int] = []

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        end = len(text) if endpos is None else endpos
        self.windows.append(end - pos)
        return self.pattern.search(text, pos, end)


def test_each_full_stop_looks_at_a_bounded_window(monkeypatch: pytest.MonkeyPatch) -> None:
    counting = _CountingPattern(splitter._INITIALISM)
    monkeypatch.setattr(splitter, "_INITIALISM", counting)
    text = "In the U.S. The troops of Lt. Gen. John F. Kennedy left. " * 2_000
    spans = split_sentences(text)
    assert len(spans) == 4_000
    assert text[slice(*spans[0])] == "In the U.S."
    assert text[slice(*spans[1])] == "The troops of Lt. Gen. John F. Kennedy left."
    assert counting.windows  # the initialism check ran at every full stop
    assert max(counting.windows) <= splitter._INITIALISM_REACH


def test_the_word_before_a_full_stop_is_found_as_before() -> None:
    # The rule of the old regex ``([A-Za-z][A-Za-z.]*)\.$`` on the text up to the stop.
    for text, word in [
        ("Lt. Gen.", "Gen"),
        ("e.g.", "e.g"),
        ("..Mr.", "Mr"),
        ("5.", ""),
        ("the U.S.", "U.S"),
        ("caf\u00e9.", ""),  # ASCII letters only, as the regex had it
    ]:
        stop = len(text) - 1
        assert splitter._word_before(text, stop) == word, text


def test_a_run_of_full_stops_is_one_candidate() -> None:
    # Retrying the candidate pattern from each of 100,000 marks was quadratic.
    text = "It ended" + "." * 100_000 + "x and began again. Then it stopped."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        text[: text.index("again.") + len("again.")],
        "Then it stopped.",
    ]


def test_many_datelines_each_start_their_own_sentence() -> None:
    paragraph = (
        "WASHINGTON _ The troops left.\nLARAMIE, Wyo. (AP) -- They came back. Mr. Lee said so.\n"
    )
    text = paragraph * 3_000
    spans = article_sentences(text)
    assert len(spans) == 9_000
    assert [text[s:e] for s, e in spans[:3]] == [
        "The troops left.",
        "They came back.",
        "Mr. Lee said so.",
    ]
    assert {text[s:e] for s, e in spans[1::3]} == {"They came back."}
