import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app

runner = CliRunner()


def test_digest_prints_markdown_with_numbered_sources(example_dir: Path) -> None:
    result = runner.invoke(app, ["digest", str(example_dir), "--no-compare"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("# ")
    assert "[1] **Newswire.net**" in out and "[5] **The Independent**" in out
    summary = out.split("## Summary", 1)[1].strip().split("\n\n")
    # 120 words read as several news sentences (about 25 words each), not two or three long ones.
    assert 4 <= len(summary) <= 8
    assert all(paragraph.rstrip().endswith("]") for paragraph in summary)


def test_digest_json_to_file(example_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "digest.json"
    result = runner.invoke(
        app,
        ["digest", str(example_dir), "--format", "json", "--output", str(target), "--words", "80"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text())
    story = data["stories"][0]
    assert len(story["articles"]) == 5
    assert "comparison" in story and story["comparison"]["conflicts"]
    for sentence in story["summary"]:
        for citation in sentence["citations"]:
            article = next(a for a in story["articles"] if a["id"] == citation["article_id"])
            assert article["text"][citation["start"] : citation["end"]]


def test_schema_is_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert "stories" in schema["properties"]
    assert "Citation" in schema["$defs"]


def test_nothing_usable_exits_non_zero_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(app, ["digest", str(tmp_path), str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.stderr
    assert "missing.txt: no such file or directory" in result.stderr
    assert "no usable article" in result.stderr


def test_bad_file_warns_but_digest_goes_on(tmp_path: Path, example_dir: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    result = runner.invoke(app, ["digest", str(example_dir), str(tmp_path), "--no-compare"])
    assert result.exit_code == 0
    assert "binary.txt" in result.stderr and "binary data" in result.stderr
    assert "## Summary" in result.stdout


def test_summarizer_is_chosen_by_name(example_dir: Path) -> None:
    result = runner.invoke(
        app, ["digest", str(example_dir), "--no-compare", "--summarizer", "centroid"]
    )
    assert result.exit_code == 0 and "## Summary" in result.stdout
    result = runner.invoke(app, ["digest", str(example_dir), "--summarizer", "nope"])
    assert result.exit_code == 2  # a usage error, before any work is done
    assert "'nope' is not one of" in result.output


def test_query_focuses_the_digest_and_is_shown(example_dir: Path) -> None:
    question = "Why is the Qayyarah air base important for the offensive on <Mosul>?"
    result = runner.invoke(app, ["digest", str(example_dir), "--no-compare", "-q", question])
    assert result.exit_code == 0, result.output
    assert "*Focused on:* Why is the Qayyarah" in result.stdout
    assert "\\<Mosul\\>" in result.stdout  # the query is user text too: escaped
    assert "Qayyarah" in result.stdout.split("## Summary", 1)[1]


def test_invalid_options_are_named_without_a_traceback(example_dir: Path) -> None:
    result = runner.invoke(app, ["digest", str(example_dir), "--words", "5"])
    assert result.exit_code == 2
    assert "--words" in result.stderr and "Traceback" not in result.output
    result = runner.invoke(
        app, ["digest", str(example_dir), "--query", "troops", "--summarizer", "centroid"]
    )
    assert result.exit_code == 2 and "storyline summarizer" in result.stderr


def test_the_cli_and_the_store_start_without_the_heavy_libraries():
    # Every command imports the CLI; `storyline stories` and `show` of a kept version need
    # neither scikit-learn (about 1 s to import) nor datasketch (scipy, about 0.4 s) nor spaCy:
    # they are imported where they are used, so a reader of the store does not wait for them.
    code = (
        "import sys, storyline.cli, storyline.store\n"
        "print(' '.join(m for m in ('sklearn', 'datasketch', 'spacy', 'nltk') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []
