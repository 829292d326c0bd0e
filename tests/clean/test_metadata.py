from __future__ import annotations

from datetime import datetime

import pytest

from storyline.clean.metadata import date_only_line, parse_byline, parse_date, split_dateline_prefix


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("July 13, 2016", datetime(2016, 7, 13)),
        ("11 July, 2016", datetime(2016, 7, 11)),
        ("Updated on: November 19, 2019 / 10:07 AM", datetime(2019, 11, 19)),
        ("2019-11-18T10:00", datetime(2019, 11, 18)),
        ("no date here", None),
    ],
)
def test_parse_date(text: str, expected: datetime | None) -> None:
    assert parse_date(text) == expected


def test_date_only_line_rejects_sentences() -> None:
    assert date_only_line("11 July, 2016") == datetime(2016, 7, 11)
    assert date_only_line("Published 2 June 2022, 09:15 BST") == datetime(2022, 6, 2)
    assert date_only_line("On 11 July, 2016 the troops arrived.") is None


def test_dateline_prefix() -> None:
    dateline, rest = split_dateline_prefix("(Newswire.net — July 13, 2016) —During his visit")
    assert dateline is not None
    assert dateline.outlet == "Newswire.net"
    assert dateline.published == datetime(2016, 7, 13)
    assert rest == "During his visit"
    # A wire credit without a date is part of the lede.
    assert split_dateline_prefix("(Reuters) — The company said")[0] is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Smith", ("Jane Smith", None)),
        ("By Press TV", (None, "Press TV")),
        ("by Carlos Mendez", ("Carlos Mendez", None)),
        ("By JANE SMITH | Reuters", ("JANE SMITH", "Reuters")),
        ("By the time the troops arrived, the city had fallen.", None),
        # NBC News pages scrape their "Published / Updated" stamp without its dates.
        (
            "/ Updated By Robert Windrem and Courtney Kube",
            ("Robert Windrem and Courtney Kube", None),
        ),
        ("Updated by the hour as results come in.", None),
    ],
)
def test_parse_byline(line: str, expected: tuple[str | None, str | None] | None) -> None:
    assert parse_byline(line) == expected
