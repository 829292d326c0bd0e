"""A summary sentence that opens with "he" or "they" comes after the sentence saying who."""

from __future__ import annotations

from dataclasses import replace

from storyline.model import Article
from storyline.summarize import build
from storyline.summarize.coverage import CoverageConfig
from storyline.summarize.extractive import summarize_story
from storyline.summarize.units import opens_with_pronoun

# Two real-style reports of one story; the second article's pronoun sentence carries the
# story's most repeated facts, so coverage alone would pick it without its antecedent.
ARTICLES = [
    "Chile's former dictator Augusto Pinochet was arrested in London on Friday at the request "
    "of a Spanish judge seeking his extradition on charges of genocide and torture.\n"
    "The arrest was made at a private clinic where he was recovering from back surgery.",
    "Officials in London confirmed the arrest of a former head of state on Friday.\n"
    "He was arrested at the request of a Spanish judge seeking his extradition on charges of "
    "genocide, terrorism and torture during his 17 years in power.\n"
    "Chile protested the arrest on Saturday, saying it violated diplomatic immunity.",
    "A Spanish judge seeking the extradition of Augusto Pinochet on charges of genocide and "
    "torture obtained his arrest in London, British police said.\n"
    "Chile protested the arrest of its former dictator on Saturday.",
]


def test_opening_pronouns() -> None:
    assert opens_with_pronoun("He was arrested Oct. 16.")
    assert opens_with_pronoun("``They were there,'' she said.")
    assert not opens_with_pronoun("Hebrew is spoken there.")
    assert not opens_with_pronoun("The man, he said, left.")


def test_a_pronoun_sentence_needs_its_antecedent_in_the_summary() -> None:
    story = build([Article(text=t) for t in ARTICLES])
    for words in (30, 45, 60, 90):
        summary = summarize_story(story, words=words)
        texts = [s.text for s in summary]
        for index, text in enumerate(texts):
            if opens_with_pronoun(text):
                article = next(a for a in ARTICLES if text in a)
                assert any(
                    t in article and article.index(t) < article.index(text) for t in texts[:index]
                ), texts
    unchecked = replace(CoverageConfig(), pronoun_context=False)
    chosen = [
        s.text for w in (30, 45, 60, 90) for s in summarize_story(story, words=w, config=unchecked)
    ]
    assert any(opens_with_pronoun(t) for t in chosen), "the fixture no longer tests the rule"
