"""Screenshots for the README: the story list and the bundled example's story page.

    .venv/bin/python docs/screenshots.py [--extra ../shared/data/mds/multinews_sample100/dev.jsonl]

Serves the example folder (plus, with --extra, six Multi-News dev clusters digested as
stories, so the list shows more than one) on loopback and photographs it in Debian's Chromium.
"""

from __future__ import annotations

import argparse
import json
import socket
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

import storyline
from storyline.serve import MemorySource, create_app

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def stories(extra: Path | None) -> MemorySource:
    report = storyline.digest([str(ROOT / "examples" / "iraq-troops-2016")])
    found = list(report.stories)
    if extra:
        with extra.open(encoding="utf-8") as lines:
            for line in list(lines)[:6]:
                documents = json.loads(line)["documents"]
                found += storyline.digest([d for d in documents if d.strip()]).stories
    return MemorySource(found)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--extra", type=Path)
    args = parser.parse_args()
    app = create_app(stories(args.extra))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1000}, device_scale_factor=1)
        page.goto(base + "/")
        page.screenshot(path=str(ROOT / "docs" / "story-list.png"))
        page.get_by_role("link", name="US to Send 560 More Troops to Iraq").click()
        page.screenshot(path=str(ROOT / "docs" / "story-page.png"))
        page.get_by_role("link", name="Conflicts (1)").click()
        page.screenshot(path=str(ROOT / "docs" / "story-conflicts.png"))
        page.goto(page.url.split("#")[0])
        page.locator("ol.summary > li").nth(1).locator("a.cite").nth(1).click()
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(ROOT / "docs" / "story-citation.png"))
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
