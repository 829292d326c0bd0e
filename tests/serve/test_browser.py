"""End to end, as a reader would: headless Chromium (Debian's, installed by .ci/run) driven by
Playwright, against uvicorn serving the bundled example folder. No JavaScript on our side:
everything here works with plain links, :target and :hover. A missing Chromium fails."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import CHROMIUM, CHROMIUM_ARGS, serving
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from storyline.serve import create_app, folder_source

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def base_url(example_dir: Path) -> Iterator[str]:
    source = folder_source([str(example_dir)])
    with serving(create_app(source)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":  # a CSP violation would show here
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, problems


def _open_story(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.get_by_role("link", name="US to Send 560 More Troops to Iraq").click()
    expect(page).to_have_url(re.compile(r"/story/s[0-9a-f]+$"))


def test_list_then_story(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stories")
    expect(page.locator(".story-list > li")).to_have_count(1)
    expect(page.locator(".story-list .meta")).to_contain_text("5 sources")
    _open_story(page, base_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "US to Send 560 More Troops to Iraq"
    )
    expect(page.locator("ol.summary > li").first).to_be_visible()


def test_citation_reveals_its_source_sentence(page: Page, base_url: str) -> None:
    _open_story(page, base_url)
    second = page.locator("ol.summary > li").nth(1)
    cite = second.locator("a.cite").nth(1)  # [2] The New Arab
    note = second.locator(".note").nth(1)
    expect(note).to_be_hidden()
    cite.hover()
    expect(cite.locator(".tip")).to_be_visible()
    expect(cite.locator(".tip")).to_contain_text("An additional 560 US military personnel")
    cite.click()
    expect(note).to_be_visible()
    expect(note.locator("mark")).to_have_text(re.compile(r"^An additional 560 US military"))
    expect(note).to_contain_text("The New Arab")
    # On to the sentence inside the article's own text.
    note.get_by_role("link", name="in the article").click()
    expect(page.locator("mark.cited:target")).to_be_visible()


def test_troop_conflict_in_the_table(page: Page, base_url: str) -> None:
    _open_story(page, base_url)
    page.get_by_role("link", name=re.compile(r"^Conflicts")).click()
    table = page.locator("table.values")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(4)
    for figure in ("more than 4,600", "more than 4,647", "at least 5,000", "more than 5,000"):
        expect(table.locator("td.fig strong", has_text=figure)).to_be_visible()
    press_tv = rows.filter(has_text="Press TV")
    expect(press_tv.locator("td.fig strong")).to_have_text("more than 4,647")
    expect(press_tv.locator("mark")).to_have_text("more than 4,647")
    # The disputed figures are drawn in the conflict colour, the December one in the date one.
    color = press_tv.locator("td.fig strong").evaluate("e => getComputedStyle(e).color")
    december = rows.filter(has_text="The Independent").locator("td.fig strong")
    assert color == "rgb(179, 38, 30)"
    assert december.evaluate("e => getComputedStyle(e).color") != color
    expect(page.locator("table.pairs td.p-conflict").first).to_have_text("conflict")


def test_search(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.locator("#q").fill("Qayara air base")
    page.locator("form.filters button").click()
    expect(page).to_have_url(re.compile(r"q=Qayara"))
    expect(page.locator(".story-list > li")).to_have_count(1)
    page.locator("#nav-q").fill("zebra crossing")
    page.locator("form.search button").click()
    expect(page.locator("p.none")).to_have_text("No story matches.")


def test_timeline_is_drawn(page: Page, base_url: str) -> None:
    _open_story(page, base_url)
    chart = page.locator("svg.timeline")
    expect(chart).to_be_visible()
    assert chart.locator("circle").count() >= 10
    box = chart.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 60
