"""The learned sentence-worth prior of the default summarizer, on real article text."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from storyline.summarize.concept_model import ConceptModel
from storyline.summarize.coverage import CoverageConfig, select, sentence_prior
from storyline.summarize.sentence_worth import (
    FEATURES,
    SentenceModel,
    default_model,
    features,
)
from storyline.training.summarize import (
    export_trees,
    fit_sentence_model,
    fit_sentence_regressor,
    sentence_labels,
    summary_bigrams,
)


def test_features_describe_each_sentence(example_story) -> None:
    x = features(example_story, example_story.similarity)
    assert x.shape == (len(example_story.sentences), len(FEATURES))
    assert np.isfinite(x).all()
    column = {name: x[:, i] for i, name in enumerate(FEATURES)}
    # The 560-troops news is told by four of the five outlets: its sentences have support.
    news = [
        i for i, s in enumerate(example_story.sentences) if "560" in s.text and "Carter" in s.text
    ]
    assert news and column["support_articles"][news].max() >= 2
    quoted = [i for i, s in enumerate(example_story.sentences) if s.text.startswith(("“", '"'))]
    assert quoted and (column["opens_with_quote"][quoted] == 1).all()
    assert (column["support_share"] <= 1).all()


def test_labels_are_the_share_of_bigrams_a_summary_uses(mini_examples, mini_clusters) -> None:
    example = mini_examples[0]
    story = example.story
    references = mini_clusters[0].get("summaries") or [mini_clusters[0]["summary"]]
    y = sentence_labels(story, summary_bigrams(references))
    np.testing.assert_array_equal(y, example.sentence_labels)
    assert ((y >= 0) & (y <= 1)).all()
    assert 0 < y.mean() < 0.5 and y.max() > 0.3
    assert (sentence_labels(story, summary_bigrams([])) == 0).all()


def test_numpy_trees_reproduce_sklearn_regression(mini_examples, small_trees) -> None:
    reg = fit_sentence_regressor(mini_examples, params=small_trees)
    model = SentenceModel(trees=export_trees(reg))
    again = SentenceModel.from_json(json.loads(json.dumps(model.to_json())))
    x = np.vstack([e.sentence_features for e in mini_examples])
    np.testing.assert_allclose(again.margin(x), reg.predict(x), atol=1e-9)
    np.testing.assert_allclose(again.predict(x), np.clip(reg.predict(x), 0, 1), atol=1e-9)
    # It learned something: sentences it ranks in the top fifth share more summary bigrams.
    y = np.concatenate([e.sentence_labels for e in mini_examples])
    top = again.predict(x) >= np.quantile(again.predict(x), 0.8)
    assert y[top].mean() > 1.5 * y[~top].mean()


def test_a_concept_model_file_is_refused_as_a_sentence_model(mini_examples, small_trees) -> None:
    model = fit_sentence_model(mini_examples, params=small_trees)
    data = model.to_json()
    with pytest.raises(ValueError, match="concept-gradient-boosted-trees"):
        ConceptModel.from_json(data)
    data["features"] = [*FEATURES[:-1], "something else"]
    with pytest.raises(ValueError, match="different features"):
        SentenceModel.from_json(data)


def test_shipped_model_prefers_supported_lead_sentences(example_story) -> None:
    model = default_model()
    assert model is not None, "sentence_model.json is missing from the package"
    worth = model.predict(features(example_story, example_story.similarity))
    assert ((worth >= 0) & (worth <= 1)).all()
    text = [s.text for s in example_story.sentences]
    news = [i for i, t in enumerate(text) if "560" in t and "Carter" in t]
    # Scraped leftovers ("Most Popular", share prompts) and asides are worth less than the news.
    assert np.median(worth[news]) > np.median(worth)


def test_prior_falls_back_to_the_lead_without_a_sentence_model(example_story) -> None:
    similarity = example_story.similarity
    lead_only = sentence_prior(
        example_story, similarity, CoverageConfig(weights="articles", position_weight=10.0)
    )
    np.testing.assert_allclose(lead_only, 10.0 / np.sqrt(1.0 + example_story.position))
    learned = sentence_prior(example_story, similarity, CoverageConfig())
    assert learned.shape == lead_only.shape and not np.allclose(learned, lead_only)
    off = sentence_prior(example_story, similarity, replace(CoverageConfig(), sentence_weight=0))
    np.testing.assert_allclose(off, lead_only)


def test_selection_uses_the_given_sentence_model(example_story, mini_examples, small_trees) -> None:
    """A model that values only quotations makes the summary open with one: the prior is live."""
    model = fit_sentence_model(mini_examples, params=small_trees)
    column = FEATURES.index("opens_with_quote")
    x = features(example_story, example_story.similarity)

    class QuotesOnly(SentenceModel):
        def predict(self, rows: np.ndarray) -> np.ndarray:
            return rows[:, column].astype(float)

    quotes = QuotesOnly(trees=model.trees)
    config = replace(CoverageConfig(), sentence_model=quotes, sentence_weight=200.0)
    chosen = select(example_story, example_story.similarity, words_budget=120, config=config)
    assert x[chosen[0], column] == 1
