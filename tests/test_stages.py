"""The stage interfaces: registered by name, passed as objects, pass-throughs, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import storyline
from storyline import stages
from storyline.model import Article, Citation, Story, SummarySentence
from storyline.settings import Settings
from storyline.text.sentences import article_sentences


@stages.register("summarizer", "first-sentences")
class FirstSentences:
    """What a newcomer writes to add a summarizer: one class, one method, one decorator."""

    def summarize(self, story: Story, settings: Settings) -> list[SummarySentence]:
        summary = []
        for article in story.articles[: settings.sentences or 2]:
            start, end = article_sentences(article.text)[0]
            citation = Citation(article_id=article.id, sentence_index=0, start=start, end=end)
            summary.append(SummarySentence(text=article.text[start:end], citations=[citation]))
        return summary


def test_a_registered_summarizer_is_chosen_by_name(example_dir: Path) -> None:
    report = storyline.digest([example_dir], summarizer="first-sentences", compare=False)
    (story,) = report.stories
    assert len(story.summary) == 2
    for sentence in story.summary:
        (citation,) = sentence.citations
        article = story.article(citation.article_id)
        assert article.text[citation.start : citation.end] == sentence.text
    assert "first-sentences" in stages.available("summarizer")


def test_stage_objects_replace_the_defaults(example_dir: Path) -> None:
    class TwoStories:
        def cluster(self, articles: list[Article], settings: Settings) -> stages.Clustered:
            return stages.Clustered(stories=[articles[:2], articles[2:]])

    pipeline = storyline.Pipeline(
        Settings(compare=False), clusterer=TwoStories(), summarizer=FirstSentences()
    )
    report = pipeline.run([example_dir])
    assert [len(s.articles) for s in report.stories] == [2, 3]
    assert all(len(s.summary) == 2 for s in report.stories)


def test_disabled_optional_stages_are_pass_throughs(example_dir: Path) -> None:
    pipeline = storyline.Pipeline(Settings(dedupe=False, compare=False))
    assert isinstance(pipeline.deduper, stages.KeepAll)
    assert isinstance(pipeline.comparer, stages.NoComparison)
    assert isinstance(pipeline.clusterer, stages.OneStory)  # cluster is off by default
    report = pipeline.run([example_dir, example_dir])  # every article twice
    assert report.duplicates == [] and len(report.stories[0].articles) == 10
    assert report.stories[0].comparison is None


def test_unknown_names_keywords_and_objects_are_errors() -> None:
    with pytest.raises(ValueError, match=r"unknown summarizer 'nope'.*centroid"):
        storyline.Pipeline(summarizer="nope")
    with pytest.raises(TypeError, match="unexpected keyword argument 'cluser'"):
        storyline.digest(["some text"], cluser=True)
    with pytest.raises(TypeError, match=r"needs a cluster\(\) method"):
        storyline.Pipeline(clusterer=object())


def test_settings_sections_take_flat_switches_and_reach_the_stage() -> None:
    settings = Settings(cluster=True, dedupe=False, max_file_bytes=1000)
    assert settings.cluster.enabled and not settings.dedupe.enabled
    assert settings.ingest.max_file_bytes == 1000 == settings.max_file_bytes
    strict = Settings.model_validate({"dedupe": {"jaccard": 0.9}})
    assert storyline.Pipeline(strict).deduper.__class__.__name__ == "MinHashDeduper"
    with pytest.raises(ValueError, match="jaccard"):
        Settings.model_validate({"dedupe": {"jaccard": 1.5}})


def test_the_dedupe_threshold_reaches_the_deduper(example_texts: list[str]) -> None:
    original = example_texts[1]
    # A copy with every 60th word changed: an estimated Jaccard of about 0.84.
    edited = " ".join(w if i % 60 else w + "x" for i, w in enumerate(original.split()))
    articles = [Article(text=original), Article(text=edited)]
    loose = storyline.Pipeline(Settings(clean=False)).deduper.dedupe(articles, Settings())
    assert len(loose.articles) == 1
    strict_settings = Settings.model_validate({"dedupe": {"jaccard": 0.95}})
    strict = storyline.Pipeline(strict_settings).deduper.dedupe(articles, strict_settings)
    assert len(strict.articles) == 2
