import json
from pathlib import Path

import pytest

from storyline.engine.shards import expand_shards, iter_parquet, write_story_shards
from storyline.model import Article, Problem, Story, SummarySentence
from storyline.settings import Settings

from .conftest import SHARDS, wire_rows

pa = pytest.importorskip("pyarrow", reason="Parquet needs the ray extra (CI installs it)")
pq = pytest.importorskip("pyarrow.parquet")


def test_a_directory_is_expanded_into_its_files_sorted(tmp_path: Path) -> None:
    # The real shards written in reverse order, beside a sub-folder, a hidden file and a
    # sidecar: the shards come back sorted, the sub-folder's files included, the rest left out.
    for shard in reversed(SHARDS):
        (tmp_path / shard.name).write_bytes(shard.read_bytes())
    (tmp_path / "later").mkdir()
    (tmp_path / "later" / "a.jsonl").write_bytes(SHARDS[0].read_bytes())
    (tmp_path / ".partial.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / "wire-part-0.jsonl.meta.json").write_text("{}", encoding="utf-8")
    expected = [tmp_path / "later" / "a.jsonl", *(tmp_path / shard.name for shard in SHARDS)]
    assert expand_shards([str(tmp_path)]) == [str(p) for p in expected]


def test_parquet_rows_are_articles_and_a_row_without_text_is_a_problem(tmp_path: Path) -> None:
    rows = wire_rows()[:3]
    rows[1] = {**rows[1], "text": None}
    path = tmp_path / "wire.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=2)
    outcomes = list(iter_parquet(path, Settings()))
    articles = [o for o in outcomes if isinstance(o, Article)]
    problems = [o for o in outcomes if isinstance(o, Problem)]
    assert [a.id for a in articles] == [rows[0]["id"], rows[2]["id"]]
    assert articles[0].text == rows[0]["text"] and articles[0].published is not None
    assert problems[0].source == f"{path}:2" and "no text" in problems[0].reason


def test_a_broken_parquet_file_is_a_problem_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    [problem] = list(iter_parquet(path, Settings()))
    assert isinstance(problem, Problem) and problem.source == str(path)
    assert "not a readable Parquet file" in problem.reason


def test_story_shards_hold_every_story_and_no_temporary_file(tmp_path: Path) -> None:
    article = Article(id="a1", title="T <b>&", text="Troops arrive. More follow.")
    stories = [
        Story(id=f"s{n}", title="T", articles=[article], summary=[SummarySentence(text="x")])
        for n in range(5)
    ]
    jsonl = write_story_shards(stories, tmp_path / "j", per_shard=2)
    assert [p.name for p in jsonl] == [f"stories-0000{n}.jsonl" for n in range(3)]
    records = [json.loads(line) for p in jsonl for line in p.read_text().splitlines()]
    assert [r["id"] for r in records] == [s.id for s in stories]
    assert records[0]["article_ids"] == ["a1"] and records[0]["articles"][0]["title"] == "T <b>&"
    [parquet] = write_story_shards(stories, tmp_path / "p", fmt="parquet")
    table = pq.read_table(parquet).to_pylist()
    assert [r["id"] for r in table] == [s.id for s in stories]
    assert json.loads(table[0]["articles"])[0]["text"] == article.text
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    with pytest.raises(ValueError, match="jsonl or parquet"):
        write_story_shards(stories, tmp_path / "x", fmt="csv")
