"""Facts: the quantities sources state, parsed from text (:mod:`.quantities`) and found in
parsed documents (:mod:`.mentions`). The names other modules use are re-exported here."""

from storyline.compare.mentions import Mention, extract_mentions, sentence_of
from storyline.compare.quantities import (
    Quantity,
    magnitude_close,
    parse_number,
    periods,
    qualifier_before,
    qualifier_words,
)
from storyline.text.lexicon import CURRENCIES, SCALES, WORD_NUMBERS

__all__ = [
    "CURRENCIES",
    "SCALES",
    "WORD_NUMBERS",
    "Mention",
    "Quantity",
    "extract_mentions",
    "magnitude_close",
    "parse_number",
    "periods",
    "qualifier_before",
    "qualifier_words",
    "sentence_of",
]
