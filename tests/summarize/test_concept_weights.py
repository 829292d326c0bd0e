"""The learned concept weights of the default summarizer, on real article text."""

from __future__ import annotations

import json

import numpy as np
from tree_walk import naive_margins

from storyline.summarize.concept_model import ConceptModel, default_model
from storyline.summarize.concepts import FEATURES, article_counts, bigrams_of, extract, features
from storyline.summarize.coverage import CoverageConfig, concept_weights, select
from storyline.training.summarize import Example, export_trees, fit_classifier


def test_shipped_model_loads_and_scores_every_concept(example_story) -> None:
    model = default_model()
    assert model is not None, "concept_model.json is missing from the package"
    found = extract(example_story)
    x = features(example_story, found)
    assert x.shape == (found.size, len(FEATURES))
    assert np.isfinite(x).all()
    p = model.predict(x)
    assert p.shape == (found.size,)
    assert ((p > 0) & (p < 1)).all()


def test_numpy_trees_reproduce_sklearn(mini_examples: list[Example], small_trees) -> None:
    clf = fit_classifier(mini_examples, params=small_trees)
    model = ConceptModel(trees=export_trees(clf))
    again = ConceptModel.from_json(json.loads(json.dumps(model.to_json())))
    for example in mini_examples:
        expected = clf.predict_proba(example.features)[:, 1]
        np.testing.assert_allclose(again.predict(example.features), expected, atol=1e-9)


def test_labels_are_the_bigrams_the_human_summary_uses(
    mini_examples: list[Example], mini_clusters: list[dict]
) -> None:
    clusters = mini_clusters
    example, cluster = mini_examples[0], clusters[0]
    used = set(bigrams_of(cluster["summary"]))
    positives = [b for b, y in zip(example.concepts.bigrams, example.labels, strict=True) if y]
    assert positives and all(b in used for b in positives)
    assert 0.0 < example.labels.mean() < 0.5  # a summary uses few of the sources' bigrams


def test_weights_favour_bigrams_many_articles_share(example_story) -> None:
    found = extract(example_story)
    weights = concept_weights(example_story, found, CoverageConfig())
    shared = article_counts(example_story, found.matrix)
    assert len(example_story.articles) == 5
    many, one = weights[shared >= 4], weights[shared == 1]
    assert len(many) > 10 and len(one) > 100
    assert np.median(many) > 3 * np.median(one)
    # The news, sending 560 more troops, is in the top twentieth of the story's concepts.
    for bigram in [("send", "560"), ("more", "troop"), ("ash", "carter")]:
        assert weights[found.bigrams.index(bigram)] > np.quantile(weights, 0.95), bigram


def test_article_count_weights_remain_available(example_story) -> None:
    found = extract(example_story)
    counts = concept_weights(example_story, found, CoverageConfig(weights="articles"))
    shared = article_counts(example_story, found.matrix)
    assert (counts[shared < 2] == 0).all()
    assert (counts[shared >= 2] >= shared[shared >= 2]).all()


def test_summary_is_several_verbatim_sentences(example_story) -> None:
    chosen = select(example_story, example_story.similarity, words_budget=120)
    assert len(chosen) >= 4
    assert sum(int(example_story.n_words[i]) for i in chosen) <= 120
    for i in chosen:
        sentence = example_story.sentences[i]
        article = next(a for a in example_story.articles if a.id == sentence.article_id)
        assert article.text[sentence.start : sentence.end] == sentence.text


def test_trees_walk_many_rows_in_bounded_chunks_with_the_same_margins(
    example_story, monkeypatch
) -> None:
    # A big story has hundreds of thousands of concepts; the walk goes a few thousand rows at
    # a time (memory), and a row's margin must not depend on the rows walked with it.
    from storyline import trees

    model = default_model()
    assert model is not None
    x = features(example_story, extract(example_story))
    assert len(x) > 1000
    whole = model.margin(x)
    monkeypatch.setattr(trees, "ROWS_PER_WALK", 97)
    chunked = model.margin(x)
    assert np.array_equal(whole, chunked)
    # A plain walk, row by row and tree by tree, adds the leaves in another order.
    np.testing.assert_allclose(naive_margins(model.trees, x[:200]), whole[:200], rtol=0, atol=1e-12)
