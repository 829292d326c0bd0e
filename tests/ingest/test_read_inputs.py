import gzip
import io
import json
from pathlib import Path

import pytest

from storyline.ingest import read_inputs
from storyline.model import Article
from storyline.settings import FieldMap, Settings

BODY = (
    "An additional 560 US military personnel will be sent to Iraq to assist the battle against "
    "the Islamic State group, Defence Secretary Ashton Carter announced during his visit to "
    "Baghdad on Monday."
)


def test_directory_is_read_recursively_in_order(example_dir: Path) -> None:
    result = read_inputs([example_dir])
    assert result.problems == []
    assert len(result.articles) == 5
    assert result.articles[0].text.startswith("US to Send 560 More Troops to Iraq")
    assert all(a.source and a.source.endswith(".txt") for a in result.articles)


def test_ids_are_stable_and_content_based(example_dir: Path) -> None:
    first = [a.id for a in read_inputs(example_dir).articles]
    second = [a.id for a in read_inputs(str(example_dir / "*.txt")).articles]
    assert first == second
    assert len(set(first)) == 5


def test_paths_globs_raw_strings_and_articles_mix(example_dir: Path) -> None:
    article = Article(title="Given", text=BODY)
    raw = "Carter in Baghdad\n" + BODY
    result = read_inputs([str(example_dir / "00[01]_*.txt"), raw, article])
    assert len(result.articles) == 4
    assert result.articles[2].text == raw
    assert result.articles[3] is article


def test_jsonl_with_field_mapping_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"headline": "Carter visit", "body": BODY, "site": "The New Arab",
                    "when": "2016-07-11T10:00:00"}),
        "{not json",
        json.dumps({"headline": "No body"}),
    ]  # fmt: skip
    path.write_text("\n".join(lines), encoding="utf-8")
    fields = FieldMap(title="headline", text="body", outlet="site", date="when")
    result = read_inputs(path, Settings(fields=fields))
    assert [a.title for a in result.articles] == ["Carter visit"]
    article = result.articles[0]
    assert article.outlet == "The New Arab"
    assert article.published is not None and article.published.isoformat() == "2016-07-11T10:00:00"
    reasons = " ".join(p.reason for p in result.problems)
    assert "corpus.jsonl:2: invalid JSON" in reasons
    assert "corpus.jsonl:3: no text in field 'body'" in reasons


def test_csv_and_gzip(tmp_path: Path) -> None:
    path = tmp_path / "corpus.csv.gz"
    csv_text = 'title,text,outlet,date\n"Carter in Baghdad","' + BODY + '",Reuters,11 July 2016\n'
    path.write_bytes(gzip.compress(csv_text.encode("utf-8")))
    result = read_inputs(path)
    assert result.problems == []
    (article,) = result.articles
    assert (article.title, article.outlet) == ("Carter in Baghdad", "Reuters")
    assert article.published is not None and article.published.date().isoformat() == "2016-07-11"


def test_multinews_source_lines(tmp_path: Path) -> None:
    path = tmp_path / "test.src"
    path.write_text(
        "First document NEWLINE_CHAR second line. ||||| Second document here.\n"
        "Another cluster story_separator_special_tag its second document.\n",
        encoding="utf-8",
    )
    result = read_inputs(path)
    texts = [a.text for a in result.articles]
    assert texts == [
        "First document \n second line.",
        "Second document here.",
        "Another cluster",
        "its second document.",
    ]


def test_cluster_lines_with_documents_field(tmp_path: Path) -> None:
    path = tmp_path / "dev.jsonl"
    path.write_text(json.dumps({"id": "c1", "documents": [BODY, "Other text."]}) + "\n")
    assert [a.text for a in read_inputs(path).articles] == [BODY, "Other text."]


def test_latin1_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    text = "Café owners in Besançon said the déjà vu was real. " * 5
    path.write_bytes(text.encode("latin-1"))
    (article,) = read_inputs(path).articles
    assert "Besançon" in article.text and "déjà vu" in article.text


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path: Path, example_dir: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "image.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "huge.txt").write_text("word " * 3000)
    (tmp_path / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    good = tmp_path / "good.txt"
    good.write_text((example_dir / "001_153beaa652ab34ac.txt").read_text())
    settings = Settings(max_file_bytes=10_000)
    result = read_inputs([tmp_path, tmp_path / "missing.txt"], settings)
    assert [Path(a.source or "").name for a in result.articles] == ["good.txt"]
    problems = {Path(p.source).name: p.reason for p in result.problems}
    assert problems["empty.txt"] == "empty file"
    assert "binary" in problems["image.txt"]
    assert problems["huge.txt"].startswith("file too large")
    assert "corrupt gzip" in problems["broken.txt.gz"]
    assert problems["missing.txt"] == "no such file or directory"


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(("Title line\n" + BODY).encode("utf-8"))

    monkeypatch.setattr("sys.stdin", FakeStdin)
    (article,) = read_inputs("-").articles
    assert article.source == "stdin" and BODY in article.text


RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Example Wire</title>
<item><title>Carter in Baghdad</title><link>https://example.com/a</link>
<pubDate>Mon, 11 Jul 2016 10:00:00 GMT</pubDate>
<description>&lt;p&gt;{body}&lt;/p&gt;</description></item>
<item><title>Empty</title><link>https://example.com/b</link><description></description></item>
</channel></rss>"""


def test_rss_feed_entries_become_articles(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(RSS.format(body=BODY), encoding="utf-8")
    result = read_inputs(path)
    (article,) = result.articles
    assert (article.title, article.outlet, article.url) == (
        "Carter in Baghdad", "Example Wire", "https://example.com/a",
    )  # fmt: skip
    assert article.text == BODY
    assert article.published is not None and article.published.day == 11
    assert "feed entry without text" in result.problems[0].reason


def test_warc_html_responses_become_articles(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = (
        "<html><head><title>Carter in Baghdad</title></head><body><article>"
        f"<h1>Carter in Baghdad</h1><p>{BODY}</p><p>{BODY.replace('560', 'the')}</p>"
        "</article></body></html>"
    )
    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        record = writer.create_warc_record(
            "https://example.com/carter", "response",
            payload=io.BytesIO(page.encode("utf-8")), http_headers=headers,
        )  # fmt: skip
        writer.write_record(record)
    result = read_inputs(path)
    assert result.problems == []
    (article,) = result.articles
    assert "560 US military personnel" in article.text
    assert article.url == "https://example.com/carter"


def test_a_one_line_article_string_is_text_not_a_path() -> None:
    (article,) = read_inputs([BODY]).articles
    assert article.text == BODY
    result = read_inputs(["missing/file.txt", "no/*.match"])
    assert [p.reason for p in result.problems] == [
        "no such file or directory",
        "no file matches this pattern",
    ]
