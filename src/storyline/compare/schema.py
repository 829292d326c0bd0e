"""The comparison's data model lives in :mod:`storyline.model` (one typed model end to end);
these names are re-exported here for code that imports them from the comparison stage."""

from storyline.model import (
    Comparison,
    Conflict,
    ConflictValue,
    EntityInfo,
    Evidence,
    Fact,
    Framing,
    Quote,
    QuoteVariant,
    Term,
    TimelineEvent,
    ValuePair,
)

__all__ = [
    "Comparison",
    "Conflict",
    "ConflictValue",
    "EntityInfo",
    "Evidence",
    "Fact",
    "Framing",
    "Quote",
    "QuoteVariant",
    "Term",
    "TimelineEvent",
    "ValuePair",
]
