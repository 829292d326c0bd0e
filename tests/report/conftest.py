from __future__ import annotations

from pathlib import Path

import pytest

from storyline.model import Report

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "report" / "iraq_report.json"


@pytest.fixture()
def iraq_report() -> Report:
    """The bundled example's full report (digest output), a fresh copy for every test."""
    return Report.model_validate_json(FIXTURE.read_text(encoding="utf-8"))
