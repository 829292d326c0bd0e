"""The HTML report: what it shows of the bundled example, and that hostile text stays text."""

from __future__ import annotations

import itertools
from pathlib import Path

import html5lib
import pytest
from typer.testing import CliRunner
from xss_corpus import BAD_URLS, PAYLOADS, assert_safe_html, hostile, text_of

from storyline.cli import app
from storyline.compare.schema import Comparison
from storyline.model import Duplicate, Report
from storyline.report.html import to_html
from storyline.report.html_view import safe_url, story_view
from storyline.report.outlet_labels import OutletLabelsError, load_outlet_labels


def _doc(page: str):
    return html5lib.parse(page, treebuilder="lxml", namespaceHTMLElements=False)


def test_page_is_self_contained_and_script_free(iraq_report: Report) -> None:
    page = to_html(iraq_report)
    assert_safe_html(page)
    document = _doc(page)
    # Nothing is fetched: no external stylesheet, image, font or script.
    assert not document.findall(".//link[@rel='stylesheet']")
    assert not document.findall(".//img")
    assert "@import" not in page and "url(" not in page


def test_conflict_table_shows_the_troop_figures_side_by_side(iraq_report: Report) -> None:
    document = _doc(to_html(iraq_report))
    rows = document.findall(".//table[@class='values']/tbody/tr")
    figures = [" ".join(r.find("td[@class='fig']/strong").itertext()) for r in rows]
    assert figures == ["more than 5,000", "more than 4,600", "more than 4,647", "at least 5,000"]
    # Each row is marked by the worst verdict it takes part in: the December article's figure
    # is only "different dates" from the July ones it differs from.
    verdicts = [r.get("class") for r in rows]
    assert verdicts == ["v-conflict", "v-conflict", "v-conflict", "v-different-dates"]
    # The figure is highlighted inside its own sentence.
    marks = [r.find(".//td[@class='sentence']/mark").text for r in rows]
    assert marks[1] == "more than 4,600" and marks[2] == "more than 4,647"
    grid = document.find(".//table[@class='pairs']")
    cells = [[td.get("class") for td in tr.findall("td")] for tr in grid.findall("tbody/tr")]
    assert cells[0] == ["p-self", "p-conflict", "p-conflict", "p-compatible"]
    assert cells[1][3] == "p-different-dates"


def test_citation_notes_hold_the_cited_sentence_in_its_source(iraq_report: Report) -> None:
    story = iraq_report.stories[0]
    document = _doc(to_html(iraq_report))
    first = document.find(".//ol[@class='summary']/li")
    cites = first.findall("a[@class='cite']")
    citation = story.summary[0].citations[0]
    article = story.article(citation.article_id)
    cited = article.text[citation.start : citation.end]
    assert len(cites) == len(story.summary[0].citations)
    note_id = cites[0].get("href").removeprefix("#")
    note = document.find(f".//div[@id='{note_id}']")
    assert note.find(".//mark").text == cited
    # Hovering shows the same sentence (no script: a CSS tooltip inside the link).
    assert cited in "".join(cites[0].find("span[@class='tip']").itertext())
    # "in the article" leads to the sentence marked inside the article's own text.
    target = note.find(".//p[@class='note-head']/a").get("href").removeprefix("#")
    assert document.find(f".//mark[@id='{target}']").text == cited


def test_agreed_unique_quotes_framing_coverage(iraq_report: Report) -> None:
    view = story_view(iraq_report.stories[0])
    troops = next(f for f in view["agreed"] if f["value"] == "560")
    assert troops["sources"] == 4 and troops["numbers"] == [1, 2, 3, 4]
    assert any(f["value"] == "8,400" for f in view["unique"])
    carter = [q for q in view["quotes"] if q["speaker"] == "Ash Carter" and q["wording_differs"]]
    assert carter and len(carter[0]["variants"]) == 2
    islamic_state = next(e for e in view["framing"]["entities"] if e["entity"] == "Islamic State")
    assert any("Daesh" in t for row in islamic_state["rows"] for t in row["terms"])
    coverage = view["coverage"]
    row = next(r for r in coverage["rows"] if r["label"].startswith("560"))
    assert [bool(c) for c in row["cells"]] == [True, True, True, True, False]
    conflict = next(r for r in coverage["rows"] if r["group"] == "conflict")
    assert conflict["cells"][1] == "more than 4,600" and conflict["cells"][3] == ""


def test_timeline_breaks_its_axis_for_background_years(iraq_report: Report) -> None:
    chart = story_view(iraq_report.stories[0])["timeline"]
    assert chart.break_x is not None  # 2003 background and July 2016 news on one axis
    by_date = {e["date"]: e for e in chart.events}
    # The story's own days are apart (the month scale), not one pile at "2016".
    assert by_date["2016-07-11"]["x"] - by_date["2016-07-04"]["x"] >= 3
    assert by_date["2003"]["x"] < chart.break_x < by_date["2016-02"]["x"]
    xs = [e["x"] for e in chart.events]
    assert xs == sorted(xs)
    # Dots in one lane never overlap.
    for lane in {e["lane"] for e in chart.events}:
        row = sorted(e["x"] for e in chart.events if e["lane"] == lane)
        assert all(b - a >= 20 for a, b in itertools.pairwise(row))


def test_typed_comparison_renders_like_the_dict(iraq_report: Report) -> None:
    story = iraq_report.stories[0]
    typed = story.model_copy(update={"comparison": Comparison.model_validate(story.comparison)})
    assert story_view(typed)["conflicts"] == story_view(story)["conflicts"]


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://www.example.com/a?b=1", True),
        ("http://example.com", True),
        *[(bad, False) for bad in BAD_URLS],
        ("https://", False),
        ("ftp://example.com/file", False),
    ],
)
def test_only_http_links(url: str, kept: bool) -> None:
    assert (safe_url(url) is not None) is kept


def _poison(report: Report) -> Report:
    """Hostile strings in every field a page shows: titles, outlets, authors, URLs, bodies,
    summary, facts, conflict values, quotes, framing terms, timeline."""
    story = report.stories[0]
    for n, article in enumerate(story.articles):
        article.title = hostile(n) + (article.title or "")
        article.outlet = hostile(n + 1) + (article.outlet or "")
        article.author = hostile(n + 2)
        article.url = BAD_URLS[n % len(BAD_URLS)]
        article.text = hostile(n + 3) + article.text  # spans shift; rendering must not care
    story.title = PAYLOADS[0]
    for n, sentence in enumerate(story.summary):
        sentence.text = hostile(n) + sentence.text
    comparison = story.comparison.model_dump()
    for n, fact in enumerate(comparison["facts"] + comparison["unique"]):
        fact["subject"], fact["text"] = hostile(n), hostile(n + 1)
        fact["outlets"] = [hostile(n + 2)]
    for conflict in comparison["conflicts"]:
        conflict["subject"] = hostile(4)
        for n, value in enumerate(conflict["values"]):
            value["phrase"], value["text"] = hostile(n), hostile(n + 5) + value["text"]
    for n, quote in enumerate(comparison["quotes"]):
        quote["speaker"], quote["text"] = hostile(n), hostile(n + 1)
        for variant in quote["variants"]:
            variant["text"], variant["outlet"] = hostile(n + 2), hostile(n + 3)
    for n, item in enumerate(comparison["framing"]):
        item["entity"] = hostile(n)
        for term in item["terms"]:
            term["term"] = hostile(n + 1)
    for n, event in enumerate(comparison["timeline"]):
        event["text"], event["date_text"] = hostile(n), [hostile(n + 1)]
    story.comparison = Comparison.model_validate(comparison)
    report.duplicates = [
        Duplicate(dropped=hostile(1), kept=story.articles[0].id, reason=hostile(2))
    ]
    report.query = hostile(3)
    return report


def test_hostile_text_stays_text(iraq_report: Report) -> None:
    page = to_html(_poison(iraq_report))
    assert_safe_html(page)
    text = text_of(page)
    # Shown verbatim as text, so a reader sees what the source said.
    assert "<script>alert('xss-script')</script>" in text
    assert "<img src=x onerror=\"alert('xss-img')\">" in text
    assert "{{ 7*7 }}" in text  # article text is never a template
    # The bad URLs are never links; the story still renders its whole comparison.
    assert "javascript:" not in "".join(a.get("href", "") for a in _doc(page).iter("a")).lower()
    assert text.count("more than 4,647") >= 2


def test_outlet_labels_in_coverage_and_sources(iraq_report: Report, tmp_path: Path) -> None:
    labels_file = tmp_path / "labels.csv"
    labels_file.write_text(
        "Outlet,region,owner\nPress TV,Iran,state broadcaster\n"
        "The Independent,UK,<script>alert(1)</script>\n",
        encoding="utf-8",
    )
    labels = load_outlet_labels(labels_file)
    assert labels.names == ["region", "owner"]
    page = to_html(iraq_report, outlet_labels=labels)
    assert_safe_html(page)
    document = _doc(page)
    label_rows = document.findall(".//table[@class='coverage']/thead/tr[@class='label-row']")
    assert [r.find("th").text for r in label_rows] == ["region", "owner"]
    assert [td.text or "" for td in label_rows[0].findall("td")] == ["", "", "Iran", "", "UK"]
    assert "<script>alert(1)</script>" in text_of(page)


def test_outlet_labels_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "labels.csv"
    bad.write_text("name,region\nPress TV,Iran\n", encoding="utf-8")
    with pytest.raises(OutletLabelsError, match=r"labels\.csv.*'outlet' column"):
        load_outlet_labels(bad)
    with pytest.raises(OutletLabelsError, match="cannot be read"):
        load_outlet_labels(tmp_path / "missing.csv")


def test_cli_writes_html(iraq_report: Report, tmp_path: Path, example_dir: Path) -> None:
    target = tmp_path / "story.html"
    result = CliRunner().invoke(
        app, ["digest", str(example_dir), "--no-compare", "--format", "html", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert_safe_html(page)
    assert "US will send 560 more soldiers to Iraq" in text_of(page)
    labels = tmp_path / "bad.csv"
    labels.write_text("x,y\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["digest", str(example_dir), "--format", "html", "--outlet-labels", str(labels)]
    )
    assert result.exit_code == 2 and "bad.csv" in result.output
