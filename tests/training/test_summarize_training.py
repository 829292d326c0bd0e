"""The summary models' training leaves the blind clusters out, and the shipped ones did."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from storyline.evaluate.splits import is_blind_cluster
from storyline.training.summarize import training_clusters

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mds" / "mini.jsonl"
SUMMARIZE = Path(__file__).resolve().parents[2] / "src" / "storyline" / "summarize"


def test_training_skips_blind_clusters_unless_asked(tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    folder.mkdir()
    shutil.copy(MINI, folder / "dev.jsonl")
    every = [json.loads(line)["id"] for line in MINI.open(encoding="utf-8")]
    blind = {i for i in every if is_blind_cluster("mini", i)}
    assert blind == {"tac2011ml-en-M000"}
    kept = [c.id for c in training_clusters([str(folder / "dev.jsonl")])]
    assert kept == [i for i in every if i not in blind]
    with_blind = training_clusters([str(folder / "dev.jsonl")], include_blind=True)
    assert [c.id for c in with_blind] == every


def test_shipped_models_were_trained_without_the_blind_clusters() -> None:
    for name in ("concept_model.json", "sentence_model.json"):
        meta = json.loads((SUMMARIZE / name).read_text())["meta"]
        assert meta["blind_clusters"] == "excluded", name
        # 139 of the 198 dev clusters are not blind (bench/results/summarization_blind.md).
        assert meta["clusters"] == 139, name
