"""Property-based API tests: schemathesis generates requests from the app's own OpenAPI
document and checks every response against it (no 5xx, documented status codes, content
types and response schemas). A small budget by default, a bigger one under ``-m slow``."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from storyline.model import Report
from storyline.serve import MemorySource, create_app

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "report" / "iraq_report.json"
REPORT = Report.model_validate_json(FIXTURE.read_text(encoding="utf-8"))
APP = create_app(MemorySource(REPORT.stories, read_only=False), max_articles=20)
# A body over the size cap is rejected before it is read, with 413 (documented): a rejection
# of invalid data as much as 422, which schemathesis's default list leaves out.
REJECTIONS = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429, "5XX"]
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": REJECTIONS}}}
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)
QUICK = settings(
    max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
THOROUGH = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@schema.parametrize()
@QUICK
def test_api_conforms_to_its_openapi(case: schemathesis.Case) -> None:
    case.call_and_validate()


@pytest.mark.slow
@schema.parametrize()
@THOROUGH
def test_api_conforms_to_its_openapi_thoroughly(case: schemathesis.Case) -> None:
    case.call_and_validate()
