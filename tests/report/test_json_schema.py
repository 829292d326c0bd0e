"""The JSON report validates against `storyline schema`, and a renamed key does not."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import storyline
from storyline.report import json_schema, to_json

STREAM = Path(__file__).resolve().parents[1] / "fixtures" / "cluster" / "stream.jsonl"

# The keys the README promises (its "JSON contract"): they may gain siblings, never change.
PROMISED = {
    "Report": {"stories", "problems", "query"},
    "Story": {"id", "title", "articles", "summary", "comparison"},
    "Article": {"id", "outlet", "title", "url", "published", "author", "text"},
    "SummarySentence": {"text", "citations"},
    "Citation": {"article_id", "sentence_index", "start", "end"},
    "Comparison": {"facts", "conflicts", "unique", "quotes", "framing", "timeline"},
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module")
def example_report(example_dir: Path) -> dict[str, Any]:
    return json.loads(to_json(storyline.digest([example_dir])))


@pytest.fixture(scope="module")
def stream_report() -> dict[str, Any]:
    rows = [json.loads(line) for line in STREAM.read_text(encoding="utf-8").splitlines()]
    articles = [
        storyline.Article(id=r["id"], title=r["title"], text=r["text"], published=r["date"])
        for r in rows
    ]
    return json.loads(to_json(storyline.digest(articles, cluster=True)))


def test_the_bundled_example_validates(validator, example_report) -> None:
    validator.validate(example_report)
    assert example_report["stories"][0]["comparison"]["conflicts"]  # a real comparison


def test_a_clustered_stream_validates(validator, stream_report) -> None:
    validator.validate(stream_report)
    assert len(stream_report["stories"]) >= 2


def test_a_renamed_key_fails_validation(validator, example_report) -> None:
    renamed = copy.deepcopy(example_report)
    comparison = renamed["stories"][0]["comparison"]
    comparison["conflict"] = comparison.pop("conflicts")
    errors = list(validator.iter_errors(renamed))
    assert errors and any("conflict" in e.message for e in errors)
    renamed = copy.deepcopy(example_report)
    citation = renamed["stories"][0]["summary"][0]["citations"][0]
    citation["begin"] = citation.pop("start")
    assert not validator.is_valid(renamed)


def test_every_key_is_described_and_the_promised_keys_are_there() -> None:
    schema = json_schema()
    definitions = {"Report": schema, **schema["$defs"]}
    for name, node in definitions.items():
        for key, prop in node.get("properties", {}).items():
            assert prop.get("description"), f"{name}.{key} has no description"
    for name, keys in PROMISED.items():
        assert keys <= set(definitions[name]["properties"]), name
    comparison = definitions["Comparison"]
    assert comparison["additionalProperties"] is False
    assert "entities" in comparison["properties"]
