"""Property tests over every reader entry point and ``digest`` itself: whatever the bytes, no
exception escapes, and every input gives articles or a Problem that names it.

The default run keeps the budget small (a few dozen examples a property); the same properties
run with a large budget under ``pytest -m slow``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections.abc import Callable
from typing import Any

import pytest
from hostile_data import article_html, example_text, make_warc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storyline
from storyline.ingest import read_bytes, read_inputs
from storyline.model import Article, Problem
from storyline.settings import Settings

SETTINGS = Settings(max_file_bytes=2_000_000)
QUICK_EXAMPLES = 30
LONG_EXAMPLES = 1000

FIELDS = ["text", "title", "date", "outlet", "url", "id", "author", "articles", "documents"]
SENTENCES = [s for s in example_text().split("\n") if len(s) > 40]
# Text that looks like news more often than not, with markup, control and odd characters in it.
NEWSY = st.lists(
    st.one_of(
        st.sampled_from(SENTENCES),
        st.text(max_size=80),
        st.sampled_from(
            ["<script>", "</p>", "\x00", "\ufeff", "\r", "{", "[", "|||||", "NEWLINE_CHAR"]
        ),
    ),
    max_size=8,
).map(" ".join)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | NEWSY,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=12,
)


def check(outcomes: list[Article | Problem], source: str) -> None:
    """The contract of every reader."""
    assert outcomes, f"{source}: neither an article nor a problem"
    for outcome in outcomes:
        assert isinstance(outcome, Article | Problem)
        if isinstance(outcome, Problem):
            assert outcome.source.startswith(source.split(":")[0])
            assert outcome.reason and "internal error" not in outcome.reason
        else:
            assert isinstance(outcome.text, str) and outcome.text.strip()


def read(data: bytes, name: str) -> None:
    check(list(read_bytes(data, name, SETTINGS)), name)


def _budget(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))


def both(
    strategy: st.SearchStrategy[Any], quick: int = QUICK_EXAMPLES
) -> Callable[[Callable[..., None]], Any]:
    """One property as a quick test and as a long ``slow`` one (``<name>_long``)."""

    def make(body: Callable[..., None]) -> Any:
        quick_run = _budget(quick)(given(strategy)(body))
        long_run = pytest.mark.slow(_budget(LONG_EXAMPLES)(given(strategy)(body)))
        module = sys.modules[body.__module__]
        setattr(module, body.__name__ + "_long", long_run)
        return quick_run

    return make


EXTENSIONS = ["", ".txt", ".html", ".json", ".jsonl", ".csv", ".tsv", ".src", ".xml", ".warc",
              ".gz", ".warc.gz", ".json.gz"]  # fmt: skip


@both(st.tuples(st.binary(max_size=3000), st.sampled_from(EXTENSIONS)))
def test_any_bytes_under_any_name(case: tuple[bytes, str]) -> None:
    data, extension = case
    read(data, "fuzz" + extension)


@both(st.tuples(NEWSY, st.sampled_from(["utf-8", "utf-16-le", "cp1252", "latin-1"])))
def test_text_in_any_encoding(case: tuple[str, str]) -> None:
    text, encoding = case
    read(text.encode(encoding, errors="replace"), "story.txt")


@both(st.tuples(JSON_VALUES, st.sampled_from([".json", ".jsonl", ""])))
def test_json_of_any_shape(case: tuple[Any, str]) -> None:
    value, extension = case
    if extension == ".jsonl" and isinstance(value, list):
        text = "\n".join(json.dumps(item) for item in value)
    else:
        text = json.dumps(value)
    read(text.encode(), "corpus" + extension)


@both(
    st.tuples(
        st.lists(st.sampled_from(FIELDS), min_size=1, max_size=4),
        st.lists(st.lists(NEWSY, max_size=5), max_size=4),
        st.sampled_from([",", "\t"]),
    )
)
def test_csv_of_any_rows(case: tuple[list[str], list[list[str]], str]) -> None:
    header, rows, delimiter = case
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=delimiter)
    writer.writerows([header, *rows])
    read(stream.getvalue().encode(), "corpus" + (".csv" if delimiter == "," else ".tsv"))


@both(st.tuples(NEWSY, NEWSY, NEWSY, st.text(max_size=30), st.booleans()))
def test_feeds(case: tuple[str, str, str, str, bool]) -> None:
    title, body, link, date, atom = case
    if atom:
        xml = (
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
            f"<entry><title>{title}</title><link href='{link}'/><updated>{date}</updated>"
            f"<content type='html'>{body}</content></entry></feed>"
        )
    else:
        xml = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
            f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate>"
            f"<description>{body}</description></item></channel></rss>"
        )
    read(xml.encode("utf-8", errors="replace"), "feed.xml")


@both(st.tuples(NEWSY, NEWSY), quick=15)
def test_html_pages(case: tuple[str, str]) -> None:
    title, body = case
    read(article_html(body + "\n" + "\n".join(SENTENCES[:3]), title=title), "page.html")
    read(f"<html><body><p>{body}</p>".encode(), "broken.htm")


@both(st.tuples(st.lists(NEWSY, min_size=1, max_size=3), st.booleans(), st.floats(0, 1)))
def test_warc_whole_cut_or_gzipped(case: tuple[list[str], bool, float]) -> None:
    bodies, compressed, cut = case
    pages = [article_html(body + "\n" + SENTENCES[0]) for body in bodies]
    data = make_warc(pages, gzip=compressed)
    read(data[: max(1, int(len(data) * cut))], "crawl.warc.gz" if compressed else "crawl.warc")


@both(st.tuples(NEWSY, st.floats(0, 1), st.sampled_from(["a.txt.gz", "a.jsonl.gz", "a.gz"])))
def test_gzip_cut_anywhere(case: tuple[str, float, str]) -> None:
    text, cut, name = case
    data = gzip.compress((text + "\n" + SENTENCES[1]).encode())
    read(data[: max(1, int(len(data) * cut))], name)


@both(st.binary(max_size=3000))
def test_stdin(data: bytes) -> None:
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(data))
    try:
        result = read_inputs("-", SETTINGS)
    finally:
        sys.stdin = saved
    check([*result.articles, *result.problems], "stdin")


ITEMS = st.one_of(
    NEWSY,
    NEWSY.map(lambda s: s.encode("utf-8", errors="replace")),
    st.sampled_from(SENTENCES).map(lambda s: s + "\n" + " ".join(SENTENCES[:4])),
    st.sampled_from(["", " ", "\t\n", "-x", "**/*.nothing"]),
    st.none(),
    st.integers(),
    st.builds(
        Article,
        title=st.none() | NEWSY,
        outlet=st.none() | NEWSY,
        url=st.none() | NEWSY,
        text=NEWSY.map(lambda s: s + " " + " ".join(SENTENCES[:3])),
    ),
)


# A digest takes a fifth of a second: a smaller quick budget keeps the default run fast.
@both(st.lists(ITEMS, min_size=1, max_size=5), quick=15)
def test_digest_never_raises(items: list[Any]) -> None:
    report = storyline.digest(items, compare=False)
    assert report.stories or report.problems
    assert not any("internal error" in p.reason for p in report.problems)
    for story in report.stories:
        for sentence in story.summary:
            for citation in sentence.citations:
                text = story.article(citation.article_id).text
                assert text[citation.start : citation.end].strip()


@pytest.mark.slow
@_budget(60)
@given(st.lists(ITEMS, min_size=2, max_size=4))
def test_digest_with_the_comparison_never_raises(items: list[Any]) -> None:
    report = storyline.digest(items, dedupe=False)
    assert report.stories or report.problems
    assert not any("failed" in p.reason or "internal error" in p.reason for p in report.problems)
