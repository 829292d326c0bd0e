from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.evaluate.clusters import bcubed, evaluate_clustering, read_stream

STREAM = Path(__file__).parents[1] / "fixtures" / "cluster" / "stream.jsonl"


def test_bcubed_by_hand() -> None:
    # Gold {a,b,c} {d}; predicted {a,b} {c,d}.
    # Precision per item: a 1, b 1, c 1/2, d 1/2 -> 3/4. Recall: a 2/3, b 2/3, c 1/3, d 1 -> 2/3.
    precision, recall, f1 = bcubed(["x", "x", "x", "y"], [0, 0, 1, 1])
    assert precision == pytest.approx(0.75)
    assert recall == pytest.approx(2 / 3)
    assert f1 == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))
    assert bcubed(["x", "y"], [5, 7]) == (1.0, 1.0, 1.0)  # labels are only names


def test_real_stream_is_scored(tmp_path: Path) -> None:
    score = evaluate_clustering(STREAM)
    assert score.articles == 9
    assert score.gold_stories == 3
    assert score.precision == 1.0  # the fixture's stories are far apart
    assert 0.0 < score.recall <= 1.0


def test_a_broken_line_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "stream.jsonl"
    bad.write_text(STREAM.read_text().splitlines()[0] + '\n{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"stream\.jsonl:2"):
        read_stream(bad)


def test_cli_writes_the_results_table(tmp_path: Path) -> None:
    results = tmp_path / "clustering.md"
    out = CliRunner().invoke(app, ["evaluate", "clusters", str(STREAM), "--results", str(results)])
    assert out.exit_code == 0, out.output
    assert "B-cubed" in out.output
    table = results.read_text(encoding="utf-8")
    assert "| 9 | 3 |" in table
    assert results.with_suffix(".json").exists()
