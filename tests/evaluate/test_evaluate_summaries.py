import json
from pathlib import Path

from typer.testing import CliRunner

from storyline.evaluate.cli import app
from storyline.evaluate.peers import split_cluster
from storyline.evaluate.summaries import evaluate_summaries
from storyline.evaluate.summary_report import render_table, write_results


def test_all_systems_same_budget_and_results_files(mini_jsonl: Path, tmp_path: Path) -> None:
    result = evaluate_summaries(
        mini_jsonl,
        systems=["storyline", "lead", "textrank", "kl"],
        words=60,
        limit=2,
        seed=0,
        output_dir=tmp_path / "out",
        progress=False,
    )
    assert result.clusters == 2 and result.words == 60
    by_name = {s.name: s for s in result.systems}
    assert not any(s.errors for s in result.systems), [s.errors for s in result.systems]
    for name in by_name:
        records = [
            json.loads(line) for line in (tmp_path / "out" / f"{name}.jsonl").open(encoding="utf-8")
        ]
        assert len(records) == 2
        for record in records:
            assert sum(len(s.split()) for s in record["summary"]) <= 60, name
    # storyline's sentences come from the same documents and splitter as the peers'
    clusters = [json.loads(line) for line in mini_jsonl.open(encoding="utf-8")][:2]
    storyline = [json.loads(line) for line in (tmp_path / "out" / "storyline.jsonl").open()]
    for cluster, record in zip(clusters, storyline, strict=True):
        pool = {s.text for s in split_cluster(cluster["documents"])}
        for cited in record["cited"]:
            assert " ".join(cited["text"].split()) in pool
    assert by_name["storyline"].faithfulness is not None
    for system in result.systems:
        for interval in system.scores.values():
            assert interval.low <= interval.mean <= interval.high
    assert render_table(result).row_count == 4

    md, js = tmp_path / "r.md", tmp_path / "r.json"
    write_results(result, md, js)
    text = md.read_text(encoding="utf-8")
    assert "## mds/mini" in text and "rougeLsum" in text and "python -m storyline.evaluate" in text


def test_cli_rerun_replaces_rows_of_the_same_data_file(mini_jsonl: Path, tmp_path: Path) -> None:
    md = tmp_path / "s.md"
    runner = CliRunner()
    common = ["summaries", str(mini_jsonl), "--limit", "1", "--no-progress", "--results", str(md)]
    first = runner.invoke(app, [*common, "--systems", "lead,oracle"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, [*common, "--systems", "lead"])
    assert second.exit_code == 0, second.output
    store = json.loads(md.with_suffix(".json").read_text(encoding="utf-8"))
    systems = [s["name"] for s in store["datasets"]["mds/mini"]["systems"]]
    assert systems == ["lead", "oracle"]
    assert md.read_text(encoding="utf-8").count("## mds/mini") == 1
    bad = runner.invoke(app, [*common, "--systems", "nope"])
    assert bad.exit_code != 0
