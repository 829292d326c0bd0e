"""Units of measure and their conversion to one base unit per dimension.

pint is not a dependency, and news copy uses a few dozen units at most, so a small table is
enough. Values are converted to the base unit (metre, kilogram, ...) so that "40 miles" and
"60 kilometers" can be compared; currencies are kept apart because exchange rates move.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    dimension: str
    factor: float  # multiply by this to get the base unit
    symbol: str  # how the base unit is displayed
    offset: float = 0.0  # only temperatures need one


_LENGTH = {
    "kilometer": 1000.0,
    "kilometre": 1000.0,
    "km": 1000.0,
    "mile": 1609.344,
    "mi": 1609.344,
    "meter": 1.0,
    "metre": 1.0,
    "m": 1.0,
    "foot": 0.3048,
    "feet": 0.3048,
    "ft": 0.3048,
    "yard": 0.9144,
    "yd": 0.9144,
    "inch": 0.0254,
    "inches": 0.0254,
    "in": 0.0254,
    "centimeter": 0.01,
    "centimetre": 0.01,
    "cm": 0.01,
    "nautical mile": 1852.0,
}
_MASS = {
    "kilogram": 1.0,
    "kilo": 1.0,
    "kg": 1.0,
    "gram": 0.001,
    "g": 0.001,
    "tonne": 1000.0,
    "metric ton": 1000.0,
    "ton": 907.18474,  # US short ton: the usual meaning in US copy
    "pound": 0.45359237,
    "lb": 0.45359237,
    "lbs": 0.45359237,
    "ounce": 0.0283495,
    "oz": 0.0283495,
}
_AREA = {
    "square kilometer": 1e6,
    "square kilometre": 1e6,
    "sq km": 1e6,
    "km2": 1e6,
    "square mile": 2_589_988.11,
    "sq mile": 2_589_988.11,
    "hectare": 10_000.0,
    "ha": 10_000.0,
    "acre": 4046.8564,
    "square meter": 1.0,
    "square metre": 1.0,
    "square foot": 0.092903,
    "square feet": 0.092903,
}
_VOLUME = {
    "liter": 1.0,
    "litre": 1.0,
    "l": 1.0,
    "gallon": 3.785411784,
    "barrel": 158.987295,
    "cubic meter": 1000.0,
    "cubic metre": 1000.0,
}
_SPEED = {
    "mph": 0.44704,
    "miles per hour": 0.44704,
    "km/h": 1 / 3.6,
    "kph": 1 / 3.6,
    "kilometers per hour": 1 / 3.6,
    "kilometres per hour": 1 / 3.6,
    "knot": 0.514444,
}

UNITS: dict[str, Unit] = {}
for _table, _dim, _symbol in (
    (_LENGTH, "length", "m"),
    (_MASS, "mass", "kg"),
    (_AREA, "area", "m²"),
    (_VOLUME, "volume", "l"),
    (_SPEED, "speed", "m/s"),
):
    for _name, _factor in _table.items():
        UNITS[_name] = Unit(_dim, _factor, _symbol)
UNITS["degrees celsius"] = UNITS["celsius"] = UNITS["°c"] = Unit("temperature", 1.0, "°C")
UNITS["degrees fahrenheit"] = UNITS["fahrenheit"] = UNITS["°f"] = Unit(
    "temperature", 5 / 9, "°C", offset=-32.0
)

# Short symbols are ambiguous as words ("in", "m", "g", "l"): accept them only glued to a number
# or right after one, never as free-standing words elsewhere.
_AMBIGUOUS = frozenset({"in", "m", "g", "l", "mi", "ha"})


def _singular(word: str) -> str:
    if word in UNITS:
        return word
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and word[: -len(suffix)] + repl in UNITS:
            return word[: -len(suffix)] + repl
    return word


def lookup(text: str) -> tuple[str, Unit] | None:
    """The unit named at the start of ``text`` ("miles south of ..." -> mile), if any."""
    words = re.findall(r"[a-z°/²0-9]+", text.lower())[:3]
    for size in (3, 2, 1):
        if len(words) < size:
            continue
        phrase = " ".join(_singular(w) if i == size - 1 else w for i, w in enumerate(words[:size]))
        if phrase in UNITS and not (size == 1 and phrase in _AMBIGUOUS):
            return phrase, UNITS[phrase]
    return None


def lookup_symbol(symbol: str) -> tuple[str, Unit] | None:
    """A unit glued to a number ("60km", "5kg"): short symbols are safe in that position."""
    key = _singular(symbol.lower())
    return (key, UNITS[key]) if key in UNITS else None


def to_base(value: float, unit: Unit) -> float:
    return (value + unit.offset) * unit.factor
