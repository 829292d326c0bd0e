"""A query focuses the summary on what it asks, and only the default summarizer takes one."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from storyline.model import Article
from storyline.settings import Settings
from storyline.summarize import summarize
from storyline.summarize.coverage import query_relevance

QUESTION = "Why is the Qayyarah air base important for the offensive on Mosul?"


def test_relevance_peaks_at_the_sentence_that_answers(example_story) -> None:
    relevance = query_relevance(example_story, QUESTION)
    assert relevance.max() == pytest.approx(1.0)
    best = example_story.sentences[int(np.argmax(relevance))].text
    assert "Qayyarah" in best or "Qayara" in best
    assert query_relevance(example_story, "").max() == 0.0


def test_a_query_brings_in_the_sentences_that_answer_it(example_texts: list[str]) -> None:
    articles = [Article(text=t) for t in example_texts]
    generic = [s.text for s in summarize(articles, Settings(words=120))]
    focused = summarize(articles, Settings(words=120, query=QUESTION))
    new = [s.text for s in focused if s.text not in generic]
    assert new, "the query changed nothing"
    assert any("Qayyarah" in text or "Mosul" in text for text in new)
    # Still extractive: every sentence is the verbatim span of an article it cites.
    by_id = {a.id: a.text for a in articles}
    for sentence in focused:
        assert any(
            by_id[c.article_id][c.start : c.end] == sentence.text for c in sentence.citations
        )


def test_a_query_the_story_never_mentions_changes_nothing(example_texts: list[str]) -> None:
    articles = [Article(text=t) for t in example_texts]
    generic = [s.text for s in summarize(articles, Settings(words=120))]
    unrelated = summarize(articles, Settings(words=120, query="badminton tournament in Jakarta"))
    assert [s.text for s in unrelated] == generic


def test_only_the_storyline_summarizer_takes_a_query() -> None:
    with pytest.raises(ValidationError, match="storyline summarizer"):
        Settings(query="troops", summarizer="centroid")
