"""Raw scrapes (no sidecars) read as well as scrapes with metadata."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

import storyline
from storyline.clean import clean_article
from storyline.model import Article


def test_clean_article_marks_what_it_inferred(example_dir: Path) -> None:
    text = (example_dir / "004_9b928db0b9888cb4.txt").read_text(encoding="utf-8")
    article = clean_article(Article(text=text))
    assert article.outlet == "The Independent"
    assert article.published is not None and article.published.strftime("%Y-%m") == "2016-12"
    assert set(article.inferred) == {"outlet", "published"}
    assert "The Independent is on the ground" in article.inferred_from["outlet"]
    assert "month only" in article.inferred_from["published"]
    # The pitch that named the outlet is boilerplate: inferred from, but not kept in, the body.
    assert "The Independent is on the ground" not in article.text


def test_metadata_wins_over_inference(example_dir: Path) -> None:
    text = (example_dir / "004_9b928db0b9888cb4.txt").read_text(encoding="utf-8")
    given = Article(text=text, outlet="Some Syndicator", published=datetime(2016, 12, 15))
    article = clean_article(given)
    assert article.outlet == "Some Syndicator"
    assert article.published == datetime(2016, 12, 15)
    assert article.inferred == []
    assert article.model_dump()["inferred_from"] == {}


@pytest.mark.slow
def test_raw_seed_folder_gives_every_outlet_and_dates_the_december_article(
    example_dir: Path, tmp_path: Path
) -> None:
    for path in example_dir.glob("*.txt"):  # the scrapes only, without their .meta.json
        shutil.copy(path, tmp_path / path.name)
    report = storyline.digest([str(tmp_path)])
    story = report.stories[0]
    assert [a.outlet for a in story.articles] == [
        "Newswire.net", "The New Arab", "Press TV", "The Christian Science Monitor",
        "The Independent",
    ]  # fmt: skip
    assert all("outlet" in a.inferred for a in story.articles)
    independent = story.articles[-1]
    comparison = story.comparison.model_dump()
    count = next(c for c in comparison["conflicts"] if c["kind"] == "count")
    ours = [i for i, v in enumerate(count["values"]) if v["article_id"] == independent.id]
    assert ours, "the December article's total is compared"
    for pair in count["pairs"]:
        if ours[0] in (pair["a"], pair["b"]):
            assert pair["status"] in {"different dates", "compatible"}, pair
    assert any(
        p["status"] == "different dates" for p in count["pairs"] if ours[0] in (p["a"], p["b"])
    )
    # The Press TV caption dates the recapture, cited in the caption itself.
    press_tv = story.articles[2]
    recapture = next(e for e in comparison["timeline"] if e["date"] == "2016-07-09")
    from_caption = [ev for ev in recapture["evidence"] if ev.get("caption") is not None]
    assert from_caption
    ev = from_caption[0]
    assert press_tv.captions[ev["caption"]][ev["start"] : ev["end"]] == ev["text"]
    assert ev["text"][ev["mention_start"] : ev["mention_end"]] == "July 9, 2016"


def test_source_line_says_what_was_inferred(example_dir: Path) -> None:
    from storyline.report.markdown import source_line

    text = (example_dir / "001_153beaa652ab34ac.txt").read_text(encoding="utf-8")
    article = clean_article(Article(text=text))
    assert article.outlet == "The New Arab"
    line = source_line(2, article)
    assert line.startswith("[2] **The New Arab**")
    assert line.endswith("_(outlet and date inferred from the text)_")
    given = clean_article(
        Article(text=text, outlet="The New Arab", published=datetime(2016, 7, 11))
    )
    assert "inferred" not in source_line(2, given)
