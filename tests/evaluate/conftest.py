from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mds"


@pytest.fixture(scope="session")
def mini_jsonl() -> Path:
    return FIXTURES / "mini.jsonl"


@pytest.fixture(scope="session")
def multinews_src() -> Path:
    return FIXTURES / "multinews_mini.src"
