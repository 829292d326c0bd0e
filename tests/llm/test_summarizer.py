"""The llm summarizer against a fake OpenAI-compatible server on loopback, on the bundled
example (five real articles about 560 more US troops for Iraq, July 2016)."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from fake_llm import FakeChat, fake_chat_server

from storyline.llm.summarizer import API_KEY_VARIABLE, ChatClient, LLMError, build_messages
from storyline.pipeline import Pipeline
from storyline.report import to_json, to_markdown
from storyline.settings import Settings

SECRET = "sk-test-5ecret-do-not-leak-7f3a"


def _plain(sentence: str) -> str:
    return re.sub(r"\s*\[\d+\]", "", sentence)


def _settings(url: str, **llm: object) -> Settings:
    return Settings(
        summarizer="llm",
        compare=False,
        llm={"url": url, "model": "fake-model", "retries": 1, "timeout": 5, **llm},
    )


def _numbers(example_dir: Path) -> dict[str, int]:
    story = Pipeline(Settings(compare=False)).run([str(example_dir)]).stories[0]
    return {a.outlet or "": n for n, a in enumerate(story.articles, start=1)}


def _canned(n: dict[str, int]) -> tuple[list[str], list[str]]:
    press_tv, new_arab = n["Press TV"], n["The New Arab"]
    good = [
        f"The United States will send 560 more troops to Iraq, Defense Secretary Ash Carter "
        f"said on Monday [{press_tv}].",
        f"Press TV put the number of US troops in Iraq at more than 4,647; The New Arab at "
        f"more than 4,600 [{press_tv}][{new_arab}].",
        # 40 miles written as 64 km, Saturday as July 9, the airbase as the air base.
        f"Iraqi forces recaptured the Qayyarah air base, about 64 kilometers south of Mosul, "
        f"on July 9 [{press_tv}].",
    ]
    bad = [
        f"Carter said 1,200 more US troops would be sent to Iraq [{press_tv}].",  # number
        f"The New Arab put the number of US troops in Iraq at more than 4,647 [{new_arab}].",
        f"French President Francois Hollande welcomed the decision to send 560 more troops "
        f"to Iraq [{new_arab}].",  # invented entity
        f"The Pentagon said the additional troops will not provide support for Iraqi security "
        f"forces at the airfield near Qayyarah [{new_arab}].",  # negated
        f'Carter said the troops would "crush Daesh within weeks" [{press_tv}].',  # quotation
    ]
    return good, bad


def test_all_five_faults_are_caught_and_good_sentences_kept(example_dir: Path) -> None:
    good, bad = _canned(_numbers(example_dir))
    answer = " ".join([good[0], bad[0], good[1], bad[1], bad[2], good[2], bad[3], bad[4]])
    with fake_chat_server(FakeChat(answer=answer)) as chat:
        report = Pipeline(_settings(chat.url)).run([str(example_dir)])
    story = report.stories[0]
    assert story.summary_method == "generated"
    kept = [s.text for s in story.summary]
    assert len(kept) == 3 and all(s.generated for s in story.summary)
    assert "1,200" not in " ".join(kept) and "Hollande" not in " ".join(kept)
    reasons = {d.text: " ".join(d.reasons) for d in story.dropped}
    assert len(reasons) == 5
    assert "number '1,200'" in reasons[_plain(bad[0])]
    assert "attribution: New Arab does not state '4,647'" in reasons[_plain(bad[1])]
    assert "Francois Hollande" in reasons[_plain(bad[2])]
    assert "negation" in reasons[_plain(bad[3])]
    assert "not verbatim" in reasons[_plain(bad[4])]
    # Citations of kept sentences are real spans, and the conflicting figures are each cited
    # from the outlet that states them.
    for sentence in story.summary:
        assert sentence.citations
        for c in sentence.citations:
            assert story.article(c.article_id).text[c.start : c.end]
    figures = story.summary[1]
    cited: dict[str | None, str] = {}
    for c in figures.citations:
        article = story.article(c.article_id)
        cited[article.outlet] = cited.get(article.outlet, "") + article.text[c.start : c.end]
    assert "4,647" in cited["Press TV"] and "4,600" in cited["The New Arab"]
    markdown = to_markdown(report)
    assert "Written by a language model" in markdown and "Dropped by verification" in markdown


@pytest.mark.slow  # the comparison runs spaCy over the five articles
def test_the_prompt_carries_key_sentences_and_conflicts(example_dir: Path) -> None:
    with fake_chat_server(FakeChat(answer="Nothing to verify here at all.")) as chat:
        settings = _settings(chat.url).model_copy(update={"compare": Settings().compare})
        report = Pipeline(settings).run([str(example_dir)])
    request = chat.requests[0]
    assert request["model"] == "fake-model"
    assert "with the outlet that gives it" in request["messages"][0]["content"]
    prompt = request["messages"][1]["content"]
    assert "[3] Press TV, 2016-07-11" in prompt and "560" in prompt
    conflicts = prompt.split("disagree on", 1)[1]
    assert "Press TV [3]: more than 4,647" in conflicts
    # Nothing passed verification: the extractive summary, and the comparison computed once.
    story = report.stories[0]
    assert story.summary_method == "extractive" and story.comparison is not None
    assert story.dropped and any(
        "no generated sentence passed" in p.reason for p in report.problems
    )


def test_retries_then_succeeds(example_dir: Path) -> None:
    good, _ = _canned(_numbers(example_dir))
    with fake_chat_server(FakeChat(answer=good[0], fail_first=1)) as chat:
        report = Pipeline(_settings(chat.url, retries=1)).run([str(example_dir)])
    assert len(chat.requests) == 2
    assert report.stories[0].summary_method == "generated"


def test_failing_endpoint_falls_back_to_extractive_with_a_warning(example_dir: Path) -> None:
    with fake_chat_server(FakeChat(answer="x", fail_first=10)) as chat:
        report = Pipeline(_settings(chat.url, retries=2)).run([str(example_dir)])
    assert len(chat.requests) == 3  # one try and two retries
    story = report.stories[0]
    assert story.summary_method == "extractive" and story.summary
    assert not any(s.generated for s in story.summary)
    assert any("HTTP 503 (after 3 tries)" in p.reason for p in report.problems)


def test_time_out_falls_back(example_dir: Path) -> None:
    with fake_chat_server(FakeChat(answer="x", delay=1.5)) as chat:
        report = Pipeline(_settings(chat.url, retries=0, timeout=0.3)).run([str(example_dir)])
    assert report.stories[0].summary_method == "extractive"
    assert any("no answer within 0.3 s" in p.reason for p in report.problems)


def test_unreachable_endpoint_falls_back(example_dir: Path) -> None:
    report = Pipeline(_settings("http://127.0.0.1:9/v1", retries=0)).run([str(example_dir)])
    assert report.stories[0].summary_method == "extractive"
    assert any("connection failed" in p.reason for p in report.problems)


def test_the_key_is_sent_but_never_logged_or_reported(
    example_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(API_KEY_VARIABLE, SECRET)
    caplog.set_level(logging.DEBUG)
    good, bad = _canned(_numbers(example_dir))
    with fake_chat_server(FakeChat(answer=" ".join(good + bad))) as chat:
        ok = Pipeline(_settings(chat.url)).run([str(example_dir)])
    with fake_chat_server(FakeChat(answer="x", status=401)) as failing:
        failed = Pipeline(_settings(failing.url)).run([str(example_dir)])
    assert chat.headers[0]["Authorization"] == f"Bearer {SECRET}"
    assert any("HTTP 401" in p.reason for p in failed.problems)
    for report in (ok, failed):
        assert SECRET not in to_json(report) and SECRET not in to_markdown(report)
    assert SECRET not in caplog.text
    assert SECRET not in json.dumps(Settings().model_dump())


def test_missing_url_is_a_clear_error() -> None:
    with pytest.raises(LLMError, match="--llm-url"):
        ChatClient.from_settings(Settings().llm)


def test_endpoint_paths() -> None:
    assert ChatClient("http://h:1", "m").endpoint() == "http://h:1/v1/chat/completions"
    assert ChatClient("http://h:1/v1/", "m").endpoint() == "http://h:1/v1/chat/completions"


def test_messages_without_comparison(example_dir: Path) -> None:
    story = Pipeline(Settings(compare=False)).run([str(example_dir)]).stories[0]
    messages = build_messages(story, story.summary, None, 4)
    assert "at most 4 sentences" in messages[1]["content"]
    assert "disagree" not in messages[1]["content"]


def test_cli_option(example_dir: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app

    good, _ = _canned(_numbers(example_dir))
    with fake_chat_server(FakeChat(answer=good[0])) as chat:
        result = CliRunner().invoke(
            app,
            [
                "digest", str(example_dir), "--no-compare", "--format", "json",
                "--summarizer", "llm", "--llm-url", chat.url, "--llm-model", "fake-model",
            ],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    story = json.loads(result.stdout)["stories"][0]
    assert story["summary_method"] == "generated" and story["summary"][0]["generated"] is True
    assert chat.requests[0]["model"] == "fake-model"
