from __future__ import annotations

from datetime import datetime

import pytest

from storyline.compare.dates import resolve

MONDAY = datetime(2016, 7, 11)
WEDNESDAY = datetime(2016, 7, 13)
DECEMBER = datetime(2016, 12, 15)


@pytest.mark.parametrize(
    ("text", "published", "iso"),
    [
        ("Monday", WEDNESDAY, "2016-07-11"),
        ("on Monday", MONDAY, "2016-07-11"),
        ("Saturday", MONDAY, "2016-07-09"),
        ("July 9, 2016", None, "2016-07-09"),
        ("three months ago", MONDAY, "2016-04"),
        ("June 2014", None, "2014-06"),
        ("the end of 2011", None, "2011"),
        ("December", MONDAY, "2015-12"),
        ("20 January", DECEMBER, "2017-01-20"),
        ("earlier in this month", DECEMBER, "2016-12"),
        ("yesterday", MONDAY, "2016-07-10"),
    ],
)
def test_resolve(text: str, published: datetime | None, iso: str) -> None:
    resolved = resolve(text, published)
    assert resolved is not None
    assert resolved.iso == iso


@pytest.mark.parametrize("text", ["Five years", "two years", "recent months", "three quarters"])
def test_durations_are_not_dates(text: str) -> None:
    assert resolve(text, MONDAY) is None


def test_weekday_needs_publication_date() -> None:
    assert resolve("Monday", None) is None
