"""Quality gates on the shared dev data: fail when a change makes storyline measurably worse.

Slow (a minute or two), so they run in CI's slow tier (`pytest -m slow`), not on every edit.
Floors sit a little under the committed figures in bench/results/ to absorb small changes.
The shipped concept model was fitted on these dev files, so the summary gates here measure it in
sample: they catch breakage, while bench/summarization_ablation.py reports out-of-fold figures.
"""

from pathlib import Path

import numpy as np
import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True, scope="module")
def _shared_data() -> None:
    # A gate that cannot run must say so, not pass as skipped: CI always has ../shared.
    if not SHARED.is_dir():
        pytest.fail(f"the quality gates need the shared dev data at {SHARED}")


def mean_rouge2(system_name: str, data: Path, words: int) -> float:
    from storyline.evaluate.data import load_clusters
    from storyline.evaluate.peers import PeerInput, split_cluster
    from storyline.evaluate.rouge import fill_budget, score, truncate
    from storyline.evaluate.summaries import make_system

    system = make_system(system_name)
    values = []
    for cluster in load_clusters(data):
        task = PeerInput(
            cluster.documents, split_cluster(cluster.documents), words, cluster.references
        )
        sentences = truncate(fill_budget(system(cluster, task).sentences, words), words)
        values.append(score(sentences, cluster.references)["rouge2"])
    return 100 * float(np.mean(values))


@pytest.mark.parametrize(
    ("folder", "words", "floor", "margin_over_lead"),
    [("multinews_sample100", 260, 16.0, 2.0), ("duc2007_update", 100, 8.5, 1.5)],
)
def test_summaries_beat_lead_and_stay_above_floor(
    folder: str, words: int, floor: float, margin_over_lead: float
) -> None:
    data = SHARED / "mds" / folder / "dev.jsonl"
    ours = mean_rouge2("storyline", data, words)
    lead = mean_rouge2("lead", data, words)
    assert ours >= floor, f"ROUGE-2 {ours:.2f} fell below {floor}"
    assert ours - lead >= margin_over_lead, f"storyline {ours:.2f} vs lead {lead:.2f}"


def shingle_f1(true: str, predicted: str, n: int = 4) -> float:
    from collections import Counter

    def shingles(text: str) -> Counter[tuple[str, ...]]:
        tokens = text.split()
        return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))

    t, p = shingles(true), shingles(predicted)
    overlap = sum((t & p).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(t.values())
    return 2 * precision * recall / (precision + recall)


def test_plain_text_cleaning_keeps_its_extraction_quality() -> None:
    import json

    from storyline.clean import clean_text

    pages = [json.loads(line) for line in (SHARED / "extraction" / "dev.jsonl").open()]
    unchanged = np.mean([shingle_f1(p["article_body"], p["page_text"]) for p in pages])
    cleaned = np.mean(
        [shingle_f1(p["article_body"], clean_text(p["page_text"]).text) for p in pages]
    )
    assert unchanged < 0.70  # the pages really are messy
    assert cleaned >= 0.85, f"plain-text cleaning F1 {cleaned:.3f}"


CONFLICT_BASELINE = Path(__file__).resolve().parent / "conflicts_baseline.json"


def test_injected_conflicts_keep_their_recall_and_precision() -> None:
    """The injected-change benchmark (bench/conflicts_blind.py) on the first cases of its dev
    part: a figure changed in one of two sentences that share most of their words must be
    reported as a conflict, and the change must not bring new conflicts with it."""
    import json
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import conflicts_blind

    baseline = json.loads(CONFLICT_BASELINE.read_text(encoding="utf-8"))
    result = conflicts_blind.run("dev", max_cases=baseline["max_cases"])
    assert result["cases"] == baseline["max_cases"], "the selection rule changed"
    missed = [c["sentence"][:80] for c in result["case_rows"] if not c["found"]]
    assert result["recall"] >= baseline["recall_floor"], f"recall {result['recall']}: {missed}"
    assert result["precision"] >= baseline["precision_floor"], f"precision {result['precision']}"
