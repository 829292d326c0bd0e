"""User-supplied outlet labels (region, owner, leaning, anything), shown in the coverage view.

storyline ships no ratings of its own: the labels are read from a CSV the user gives
(``--outlet-labels FILE``) whose header names an ``outlet`` column and any label columns::

    outlet,region,owner
    Press TV,Iran,state broadcaster
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

MAX_LABEL_CHARS = 200
MAX_ROWS = 100_000


class OutletLabelsError(ValueError):
    """The labels file cannot be used; the message names the file and the problem."""


@dataclass
class OutletLabels:
    names: list[str] = field(default_factory=list)  # the label columns, in file order
    by_outlet: dict[str, dict[str, str]] = field(default_factory=dict)  # key: casefolded outlet

    def for_outlet(self, outlet: str | None) -> list[tuple[str, str]]:
        """(label name, value) for every label column; "" where the file has none."""
        row = self.by_outlet.get(" ".join((outlet or "").split()).casefold(), {})
        return [(name, row.get(name, "")) for name in self.names]


def load_outlet_labels(path: str | Path) -> OutletLabels:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise OutletLabelsError(f"{path}: cannot be read as UTF-8 text ({error})") from None
    reader = csv.DictReader(text.splitlines())
    header = [(h or "").strip() for h in (reader.fieldnames or [])]
    lowered = [h.casefold() for h in header]
    if "outlet" not in lowered:
        raise OutletLabelsError(f"{path}: the header needs an 'outlet' column (got {header})")
    outlet_column = (reader.fieldnames or [])[lowered.index("outlet")]
    names = [h for h, low in zip(header, lowered, strict=True) if low != "outlet" and h]
    if not names:
        raise OutletLabelsError(f"{path}: no label column beside 'outlet'")
    labels = OutletLabels(names=names)
    for line, row in enumerate(reader, start=2):
        if line > MAX_ROWS:
            raise OutletLabelsError(f"{path}: more than {MAX_ROWS:,} rows")
        outlet = " ".join((row.get(outlet_column) or "").split())
        if not outlet:
            continue  # a blank row is no outlet
        values = {}
        for raw, name in zip(reader.fieldnames or [], header, strict=True):
            if name in names:
                values[name] = " ".join((row.get(raw) or "").split())[:MAX_LABEL_CHARS]
        labels.by_outlet[outlet.casefold()] = values
    return labels
