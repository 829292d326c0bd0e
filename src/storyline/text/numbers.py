"""The figures a text states, normalised so that the same figure written two ways compares equal."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers(text: str) -> set[str]:
    """Figures in ``text``: "4,600" and "4600" are one figure, and so are "2.50" and "2.5"."""
    found = set()
    for match in _NUMBER.findall(text):
        value = match.replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        found.add(value)
    return found
