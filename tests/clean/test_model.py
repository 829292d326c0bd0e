"""The numpy tree evaluator against scikit-learn, and the shipped model's file."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from tree_walk import naive_margins

from storyline.clean.model import MODEL_FILE, LineModel, default_model
from storyline.trees import TreeEnsemble

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "clean"


def test_tree_ensemble_reproduces_sklearn() -> None:
    pytest.importorskip("sklearn")
    from sklearn.ensemble import HistGradientBoostingClassifier

    from storyline.training.clean import export_trees

    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 6))
    x[rng.random(x.shape) < 0.05] = np.nan  # missing values must follow missing_go_to_left
    y = ((np.nan_to_num(x[:, 0]) + np.nan_to_num(x[:, 1]) * x[:, 2] ** 2) > 0.3).astype(int)
    clf = HistGradientBoostingClassifier(
        max_iter=30, max_leaf_nodes=7, early_stopping=False, random_state=0
    ).fit(x, y, sample_weight=rng.random(len(y)) + 0.5)
    trees = TreeEnsemble.from_json(json.loads(json.dumps(export_trees(clf).to_json())))
    sample = rng.normal(size=(300, 6))
    sample[rng.random(sample.shape) < 0.05] = np.nan
    np.testing.assert_allclose(
        trees.decision_function(sample), clf.decision_function(sample), rtol=0, atol=1e-9
    )
    np.testing.assert_allclose(
        trees.predict(sample), clf.predict_proba(sample)[:, 1], rtol=0, atol=1e-9
    )


def test_empty_input() -> None:
    model = default_model()
    assert model is not None
    assert model.score([]).shape == (0,)
    assert model.stage1.decision_function(np.zeros((0, 3))).shape == (0,)


def test_shipped_model_is_small_and_loads() -> None:
    text = resources.files("storyline.clean").joinpath(MODEL_FILE).read_text("utf-8")
    assert len(text.encode()) < 1_000_000
    model = LineModel.from_json(json.loads(text))
    assert 0.0 < model.threshold < 1.0
    p = model.score(["Home", "World", "A long sentence about the news of the day, told plainly."])
    assert p.shape == (3,) and np.all((p >= 0) & (p <= 1))


def test_tree_walks_by_depth_and_all_at_once_agree_to_the_bit() -> None:
    # Few rows are walked all trees together, many rows tree group by tree group (by depth);
    # a row's margin must not depend on which, nor on the rows beside it.
    from storyline.clean.features import document_features

    model = default_model()
    assert model is not None
    text = (FIXTURES / "harbour_council.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()] * 6
    x = document_features(lines, None)
    assert len(x) >= 60  # past the few-rows walk
    x[::7, 3] = np.nan  # and the missing-value branch
    whole = model.stage1.decision_function(x)
    few = np.concatenate(
        [model.stage1.decision_function(x[i : i + 5]) for i in range(0, len(x), 5)]
    )
    assert np.array_equal(whole, few)
    assert np.array_equal(whole[:12], naive_margins(model.stage1, x[:12]))


def test_scoring_some_rows_gives_those_rows_full_scores_to_the_bit() -> None:
    from storyline.clean.boilerplate import prepare_lines

    model = default_model()
    assert model is not None
    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.txt"))]
    # The three pages end to end too: 84 lines, walked by depth (50 rows or more), while the
    # rows asked for alone are walked in one group.
    pages = [prepare_lines(text) for text in [*texts, "\n".join(texts)]]
    assert len(pages) >= 4 and any(len(page.lines) >= 50 for page in pages)
    for page in pages:
        full = model.score(page.lines, title=page.title)
        for rows in (np.arange(0, len(page.lines), 3), np.array([len(page.lines) - 1]), []):
            rows = np.asarray(rows, dtype=np.intp)
            some = model.score(page.lines, title=page.title, rows=rows)
            assert np.array_equal(some[rows], full[rows])
            assert np.isnan(np.delete(some, rows)).all()
