import sys

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.engine import EngineUnavailable, get_engine


@pytest.fixture
def without_ray(monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry in sys.modules makes `import ray` raise ImportError, as if not installed.
    monkeypatch.setitem(sys.modules, "ray", None)
    monkeypatch.setitem(sys.modules, "ray.data", None)


@pytest.mark.usefixtures("without_ray")
def test_the_ray_engine_without_ray_says_how_to_install_it() -> None:
    with pytest.raises(EngineUnavailable, match=r"pip install 'storyline\[ray\]'"):
        get_engine("ray")


@pytest.mark.usefixtures("without_ray")
def test_the_cli_exits_with_the_install_hint_before_reading(example_dir) -> None:
    result = CliRunner().invoke(app, ["digest", str(example_dir), "--engine", "ray"])
    assert result.exit_code == 2
    assert "pip install 'storyline[ray]'" in result.output.replace("\n", "")


def test_the_local_engine_needs_no_ray_and_rejects_an_address() -> None:
    assert get_engine("local").name == "local"
    with pytest.raises(ValueError, match="--address is for the ray engine"):
        get_engine("local", address="auto")
    with pytest.raises(ValueError, match="unknown engine"):
        get_engine("spark")


def test_digest_writes_story_shards_beside_the_report(tmp_path, example_dir) -> None:
    import json

    out = tmp_path / "stories"
    result = CliRunner().invoke(
        app, ["digest", str(example_dir), "--format", "json", "--no-compare",
              "--output-dir", str(out)],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    [shard] = sorted(out.glob("stories-*.jsonl"))
    records = [json.loads(line) for line in shard.read_text().splitlines()]
    assert [r["id"] for r in records] == [s["id"] for s in report["stories"]]
    assert records[0]["summary"] == report["stories"][0]["summary"]


def test_digest_writes_parquet_story_shards(tmp_path, example_dir) -> None:
    import json

    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "stories"
    result = CliRunner().invoke(
        app, ["digest", str(example_dir), "--format", "json", "--no-compare", "--cluster",
              "--output-dir", str(out), "--shard-format", "parquet"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    [shard] = sorted(out.glob("stories-*.parquet"))
    table = pq.read_table(shard)
    assert table.column("id").to_pylist() == [s["id"] for s in report["stories"]]
    first = json.loads(table.column("summary")[0].as_py())
    assert first == report["stories"][0]["summary"]
    assert not list(out.glob("*.tmp"))
