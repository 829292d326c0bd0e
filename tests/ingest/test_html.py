"""read_html on a real saved page (from the extraction dev set) and on unusable input."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from storyline.ingest.html import read_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"


def _shingle_recall(true: str, pred: str) -> float:
    def shingles(text: str) -> Counter[tuple[str, ...]]:
        tokens = re.findall(r"\w+", text)
        return Counter(tuple(tokens[i : i + 4]) for i in range(max(0, len(tokens) - 3)))

    t, p = shingles(true), shingles(pred)
    return sum((t & p).values()) / max(sum(t.values()), 1)


def test_real_page() -> None:
    html = (FIXTURES / "thespacereview_3834.html").read_text(encoding="utf-8")
    body = (FIXTURES / "thespacereview_3834.body.txt").read_text(encoding="utf-8")
    article = read_html(
        html, source="thespacereview.html", url="https://www.thespacereview.com/article/3834/1"
    )
    assert article.title == "Seeking a bigger role for a big rocket"
    assert article.author is not None and "Jeff Foust" in article.author
    assert article.published == datetime(2019, 11, 18)
    assert article.url == "https://www.thespacereview.com/article/3834/1"
    assert article.source == "thespacereview.html"
    assert article.outlet
    assert "Space Launch System" in article.text
    assert _shingle_recall(body, article.text) > 0.9


def test_simple_page_with_chrome() -> None:
    paragraphs = [
        "The city council approved the new budget on Tuesday after a long debate about "
        "spending on roads and schools.",
        "Council leader Ann Brooks said the plan would protect services while keeping taxes "
        "flat for a second year.",
        "Opposition members argued that the savings relied on optimistic forecasts of "
        "business rates income.",
    ]
    html = (
        "<html><head><title>Council approves budget | Valley Courier</title>"
        '<meta property="og:site_name" content="Valley Courier">'
        '<meta name="author" content="Jane Smith">'
        '<meta property="article:published_time" content="2021-03-04T10:00:00Z"></head><body>'
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<article><h1>Council approves budget</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "<p>Sign up for our newsletter to get the day's top stories in your inbox.</p>"
        "</article><footer>© 2021 Valley Courier. All rights reserved.</footer></body></html>"
    )
    article = read_html(html)
    assert article.title == "Council approves budget"
    assert article.author == "Jane Smith"
    assert article.outlet == "Valley Courier"
    assert article.published is not None and article.published.date().isoformat() == "2021-03-04"
    for paragraph in paragraphs:
        assert paragraph in article.text
    assert "Home" not in article.text
    assert "All rights reserved" not in article.text
    # The body is trafilatura's, whole: storyline's line rules cost more body than they removed
    # on the extraction pages (bench/html_variants.py), so the in-article plea stays.
    assert "Sign up for our newsletter" in article.text
    assert article.text.splitlines()[-1].startswith("Sign up")


@pytest.mark.parametrize("html", ["", "   ", "<html><body><nav>Home</nav></body></html>"])
def test_no_body_raises(html: str) -> None:
    with pytest.raises(ValueError, match=r"no article body|empty HTML"):
        read_html(html, source="broken.html")
