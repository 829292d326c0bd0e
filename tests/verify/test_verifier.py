"""The verifier on the bundled example's real articles, sentence by sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.model import Story
from storyline.pipeline import Pipeline
from storyline.settings import Settings
from storyline.verify import Verifier, split_generated


@pytest.fixture(scope="module")
def story(example_dir: Path) -> Story:
    return Pipeline(Settings(compare=False)).run([str(example_dir)]).stories[0]


@pytest.fixture(scope="module")
def verifier(story: Story) -> Verifier:
    return Verifier(story.articles)


def _n(story: Story, outlet: str) -> int:
    return next(i for i, a in enumerate(story.articles, start=1) if a.outlet == outlet)


def test_normalised_figures_and_dates_pass(story: Story, verifier: Verifier) -> None:
    press_tv = _n(story, "Press TV")
    verdict = verifier.check(
        f"Iraqi forces recaptured the Qayyarah air base, about 64 kilometers south of Mosul, "
        f"on July 9 [{press_tv}]."
    )
    assert verdict.supported, verdict.reasons
    texts = [s.text for s in verdict.support]
    assert any("40 miles" in t and "Saturday" in t for t in texts)


def test_a_figure_follows_from_the_source_only_one_way(verifier: Verifier) -> None:
    assert verifier.check("The New Arab put US forces in Iraq at more than 4,600.").supported
    wrong = verifier.check("The New Arab put US forces in Iraq at more than 4,647.")
    assert wrong.reasons == ["attribution: New Arab does not state '4,647'"]


def test_alias_of_a_name_passes(verifier: Verifier) -> None:
    verdict = verifier.check(
        "The base will be a staging hub for the battle to recapture Mosul from the Islamic State."
    )
    assert verdict.supported, verdict.reasons  # the source says Daesh


def test_citation_of_a_missing_source_is_refused(verifier: Verifier) -> None:
    verdict = verifier.check("The United States will send 560 more troops to Iraq [9].")
    assert "cites source [9], which does not exist" in verdict.reasons


def test_antonym_is_caught(verifier: Verifier) -> None:
    verdict = verifier.check(
        "The decrease announced on Monday will bring the number of US troops in Iraq to more "
        "than 4,647."
    )
    assert "antonym: the source says 'increase', not 'decrease'" in verdict.reasons


def test_kept_sentences_cite_real_spans(story: Story, verifier: Verifier) -> None:
    kept, dropped = verifier.verify(
        "The United States will send 560 more troops to Iraq. "
        "Iraq's prime minister resigned on Tuesday."
    )
    assert [s.text for s in kept] == ["The United States will send 560 more troops to Iraq."]
    for citation in kept[0].citations:
        article = story.article(citation.article_id)
        assert "560" in article.text[citation.start : citation.end]
    assert dropped[0].text == "Iraq's prime minister resigned on Tuesday."
    assert dropped[0].reasons


def test_markers_after_the_full_stop_stay_with_their_sentence() -> None:
    assert split_generated("One thing happened. [1] Another thing followed. [2, 3]") == [
        "One thing happened [1].",
        "Another thing followed [2, 3].",
    ]
