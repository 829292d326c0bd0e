"""The optional embedding check of the verifier, and how its model is found."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

from storyline.model import Story
from storyline.pipeline import Pipeline
from storyline.settings import Settings
from storyline.verify import Verifier, embed


class WordHashEmbedder:
    """A tiny stand-in for model2vec: hashed bag of words, L2-normalised. Enough to tell a
    sentence made of a source span's words from one that shares almost none of them."""

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = np.zeros((len(texts), 512), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                rows[row, hash(word) % 512] += 1.0
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


@pytest.fixture(scope="module")
def story(example_dir: Path) -> Story:
    return Pipeline(Settings(compare=False)).run([str(example_dir)]).stories[0]


def test_the_cosine_is_measured_and_can_drop_a_sentence(story: Story) -> None:
    verifier = Verifier(story.articles, embedder=WordHashEmbedder())
    source = next(
        s for a in story.articles for s in re.split(r"(?<=\.)\s+", a.text) if "Qayyarah" in s
    )
    kept = verifier.check(source)
    assert kept.supported, kept.reasons
    assert kept.similarity is not None and kept.similarity > 0.9
    strict = Verifier(story.articles, embedder=WordHashEmbedder())
    strict.config = type(strict.config)(min_similarity=1.01)  # no span can reach it
    dropped = strict.check(source)
    assert not dropped.supported
    assert any("similarity" in reason for reason in dropped.reasons)


def test_an_unknown_embedder_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown embedder 'bert'"):
        embed.load_embedder("bert")


def test_without_the_extra_the_verifier_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    embed.load_embedder.cache_clear()
    monkeypatch.setitem(sys.modules, "model2vec", None)  # import model2vec -> ImportError
    monkeypatch.setenv("STORYLINE_CACHE", "/nonexistent-storyline-cache")
    monkeypatch.setattr(embed, "distilled_model_path", lambda: Path("/nonexistent"))
    try:
        assert embed.load_embedder("model2vec") is None
    finally:
        embed.load_embedder.cache_clear()


def test_a_cached_distilled_model_is_used_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = tmp_path / "minilm-l6-v2-model2vec-256"
    cached.mkdir()
    (cached / "config.json").write_text("{}")
    monkeypatch.setenv("STORYLINE_CACHE", str(tmp_path))
    monkeypatch.setitem(sys.modules, "model2vec", None)  # distilling again would fail loudly
    assert embed.distilled_model_path() == cached
