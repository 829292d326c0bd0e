"""End to end on the bundled example: the promises of the digest (issue 3)."""

import re
from pathlib import Path

import pytest

import storyline
from storyline.model import Article, Report

BOILERPLATE = (
    "Your support helps us",
    "Photo of author",
    "2 min read",
    "Subscribe to continue",
    "Join our commenting forum",
    "[caption",
    "Get unlimited",
)


BODY = (
    "560", "4,600", "4,647", "5,000", "8,400", "$10bn", "7,000", "32,000",
    "I am pleased to report today", "These additional US forces will bring",
    "The threat is not going away", "Mosul is currently the only major city",
)  # fmt: skip


@pytest.fixture(scope="module")
def report(example_dir: Path) -> Report:
    return storyline.digest([example_dir], compare=False)


def test_one_story_with_all_five_sources(report: Report) -> None:
    assert report.problems == []
    (story,) = report.stories
    assert len(story.articles) == 5
    assert {a.outlet for a in story.articles} == {
        "Newswire.net", "The New Arab", "Press TV", "The Christian Science Monitor",
        "The Independent",
    }  # fmt: skip


def test_cleaned_text_keeps_the_body_and_drops_boilerplate(report: Report) -> None:
    text = "\n".join(a.text for a in report.stories[0].articles)
    for kept in BODY:
        assert kept in text
    for junk in BOILERPLATE:
        assert junk not in text


def test_every_summary_sentence_cites_sentences_of_its_sources(report: Report) -> None:
    story = report.stories[0]
    # 120 words read as several news sentences (about 25 words each), not two or three long ones.
    assert 4 <= len(story.summary) <= 8
    outlets = set()
    for sentence in story.summary:
        assert sentence.citations, sentence.text
        texts = []
        for citation in sentence.citations:
            article = story.article(citation.article_id)
            cited = article.text[citation.start : citation.end]
            # The span is exactly one sentence of the article.
            spans = storyline.text.split_sentences(article.text)
            assert (citation.start, citation.end) == spans[citation.sentence_index]
            texts.append(cited)
            outlets.add(article.outlet)
        # The printed sentence is verbatim one of the cited spans: nothing is invented.
        assert sentence.text in texts
    assert len(outlets) >= 3


def test_summary_respects_the_word_budget(example_dir: Path) -> None:
    for budget in (60, 120, 200):
        story = storyline.digest([example_dir], words=budget, compare=False).stories[0]
        n_words = sum(len(storyline.text.words(s.text)) for s in story.summary)
        assert n_words <= budget or len(story.summary) == 1
        assert n_words >= budget * 0.6


def test_sentence_budget(example_dir: Path) -> None:
    story = storyline.digest([example_dir], sentences=3, compare=False).stories[0]
    assert len(story.summary) == 3


def test_inputs_mix_strings_articles_and_paths(example_dir: Path, example_texts: list[str]) -> None:
    article = storyline.Article(text=example_texts[3], outlet="CSM")
    report = storyline.digest([example_texts[0], article, str(example_dir / "00[12]_*.txt")])
    assert len(report.stories[0].articles) == 4
    assert "CSM" in {a.outlet for a in report.stories[0].articles}


def test_bad_input_is_reported_and_skipped(tmp_path: Path, example_dir: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "tiny.txt").write_text("Subscribe now.\n")
    report = storyline.digest([tmp_path, example_dir], compare=False)
    assert len(report.stories[0].articles) == 5
    reasons = {Path(p.source).name: p.reason for p in report.problems}
    assert set(reasons) == {"empty.txt", "binary.txt", "tiny.txt"}
    assert re.search(r"too little text", reasons["tiny.txt"])


def test_nothing_usable_gives_no_story(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    report = storyline.digest([tmp_path])
    assert report.stories == [] and report.problems


def test_report_json_keeps_the_contract(report: Report) -> None:
    data = report.model_dump(mode="json")
    story = data["stories"][0]
    assert {"id", "title", "articles", "summary"} <= set(story)
    assert {"id", "outlet", "title", "url", "published", "author", "text"} <= set(
        story["articles"][0]
    )
    citation = story["summary"][0]["citations"][0]
    assert set(citation) == {"article_id", "sentence_index", "start", "end"}
    assert story["articles"][0]["published"].startswith("2016-07-13")


def test_missing_nlp_model_skips_the_comparison_with_a_hint(
    example_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.compare import analysis, nlp

    monkeypatch.setattr(nlp, "MODEL", "no_such_spacy_model")
    nlp.load.cache_clear()
    analysis.clear_cache()
    try:
        report = storyline.digest([example_dir])
    finally:
        nlp.load.cache_clear()
    assert report.stories[0].summary and report.stories[0].comparison is None
    (problem,) = report.problems
    assert "no_such_spacy_model" in problem.reason and "pip install storyline" in problem.reason


def test_the_report_records_its_query(example_dir: Path) -> None:
    report = storyline.digest([example_dir], compare=False, query="Where will the troops be?")
    assert report.query == "Where will the troops be?"
    assert report.model_dump(mode="json")["query"] == report.query
    assert storyline.digest([example_dir], compare=False).query is None


def test_the_story_title_is_a_headline() -> None:
    # Titles as a labelled news stream (../shared/data/clustering) gives them: the first line
    # cut short, or a byline, next to one real headline.
    lead = (
        "KABUL, Afghanistan (AP) — A shootout at a wedding party in northern Afghanistan has "
        "left 21 people dead and eight wounded, an official said Monday."
    )
    body = (
        lead + "\nAbdul Jabar Perdili, police chief of Baghlan province, said a gunfight broke "
        "out between two groups attending the wedding in Dih Salah district late Sunday."
    )
    articles = [
        Article(text=body, title=body[:180].replace("\n", " ")),
        Article(text=body.replace("Monday", "on Monday"), title="*Associated Press Write"),
        Article(text=body.replace("late Sunday", "on Sunday"), title="Wedding gunfight kills 21"),
    ]
    story = storyline.digest(articles, compare=False, dedupe=False).stories[0]
    assert story.title == "Wedding gunfight kills 21"
    story = storyline.digest(articles[:2], compare=False, dedupe=False).stories[0]
    assert story.title is not None and story.title.startswith("A shootout at a wedding party")
    assert story.title.endswith("an official said Monday.")  # its first sentence, not the cut
    long_lead = Article(
        text=body.replace("Monday", "on Monday") + "\nThe wedding was in Dih Salah district.",
        title="*Associated Press Write",
    )
    fragment = long_lead.model_copy(update={"title": "1999:"})  # a stream title, whole
    story = storyline.digest([fragment, articles[0]], compare=False, dedupe=False).stories[0]
    assert story.title is not None and story.title.startswith("A shootout at a wedding party")
    story = storyline.digest([long_lead, articles[0]], compare=False, dedupe=False).stories[0]
    assert story.title == (
        "A shootout at a wedding party in northern Afghanistan has left 21 people dead and eight "
        "wounded, an official said Monday."
    )


def test_page_furniture_is_no_headline() -> None:
    from storyline.pipeline import _headline_like

    assert _headline_like("Climate change talks continue in Bali")
    assert _headline_like("7.0 magnitude earthquake strikes off Haitian coast")
    for furniture in (
        "By KATE BEEM Knight Ridder Newspapers",
        "Story highlights Burt Reynolds went to a hospital after developing flu symptoms",
        "Image copyright Reuters Image caption No to the closure read graffiti on the gates",
        "AP Photo Pelosi flexes muscle in closed budget meeting",
        "WASHINGTON (AP) -- Millions of American children take drugs daily to calm",
    ):
        assert not _headline_like(furniture), furniture
