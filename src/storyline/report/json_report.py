"""JSON output. The keys are a contract with other tools: add keys, never rename them."""

from __future__ import annotations

import json
from typing import Any

from storyline.model import Report


def to_json(report: Report, *, indent: int | None = 2) -> str:
    return report.model_dump_json(indent=indent)


def json_schema() -> dict[str, Any]:
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "storyline report"
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2)
