"""Every input in ``fuzz_corpus/`` once broke a reader; each must now keep the contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.ingest import read_bytes, read_inputs
from storyline.model import Article, Problem
from storyline.settings import Settings

CORPUS = Path(__file__).parent / "fuzz_corpus"
INPUTS = sorted(p for p in CORPUS.iterdir() if p.name != "README.md")


def test_the_corpus_is_there() -> None:
    assert len(INPUTS) >= 9


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_corpus_input_gives_articles_or_a_problem_naming_it(path: Path) -> None:
    outcomes = list(read_bytes(path.read_bytes(), path.name, Settings()))
    assert outcomes
    for outcome in outcomes:
        if isinstance(outcome, Problem):
            assert outcome.source.startswith(path.name) and outcome.reason
        else:
            assert isinstance(outcome, Article) and outcome.text.strip()
    # Read as a file too (sidecar lookup, NUL removal, the reader's safety net).
    result = read_inputs(path)
    assert result.articles or result.problems
    assert not any("internal error" in p.reason for p in result.problems)
    assert all("\0" not in a.text for a in result.articles)


@pytest.mark.parametrize("item", ["", "   ", "\t\n"])
def test_an_empty_string_is_not_the_current_directory(item: str) -> None:
    result = read_inputs([item])
    assert result.articles == []
    assert result.problems[0].reason == "empty string: neither a path nor article text"


def test_a_glob_like_string_with_a_nul_byte_is_no_internal_error() -> None:
    # Found by the long digest property: '[' makes it a glob, the NUL byte broke os.scandir.
    from storyline.ingest import read_inputs

    item = "Å rVS`Ñ </p>   [ The top US defense official had called the recapture\x00"
    result = read_inputs([item])
    assert not any("internal error" in p.reason for p in result.problems)
    assert result.articles or result.problems
