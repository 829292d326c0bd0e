"""The timeline chart of a story's page: where each dated event goes on an SVG time axis."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from storyline.report.sources import SourceIndex

if TYPE_CHECKING:
    from storyline.compare.schema import Comparison
    from storyline.model import Story

MAX_TIMELINE = 40
SVG_WIDTH, SVG_MARGIN, LANE_HEIGHT, DOT_GAP = 760, 36, 26, 22
FOCUS_DAYS = 200  # the axis shows this long before the first article at month scale
BACKGROUND, BREAK_GAP = 0.3, 14  # share of the axis for the years before, and the break


def _day(iso: str) -> date | None:
    """A timeline date as a day on the axis: a year or a month at its first day, so that the
    axis order is the list's (ISO) order."""
    try:
        parts = [int(p) for p in iso.split("-")]
    except ValueError:
        return None
    if iso.startswith("-") or not parts or not 1 <= parts[0] <= 9999:
        return None
    try:
        if len(parts) == 1:
            return date(parts[0], 1, 1)
        if len(parts) == 2:
            return date(parts[0], parts[1], 1)
        return date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


@dataclass
class Timeline:
    events: list[dict[str, Any]] = field(default_factory=list)
    unplaced: list[dict[str, Any]] = field(default_factory=list)
    ticks: list[dict[str, Any]] = field(default_factory=list)
    width: int = SVG_WIDTH
    height: int = 0
    axis_y: int = 0
    break_x: float | None = None


def timeline(story: Story, comparison: Comparison) -> Timeline:
    """Events on a time axis, a dot per event (bigger when more outlets report it), stacked in
    lanes so that dots never overlap; the numbered list under the chart carries the text."""
    lookup = SourceIndex(story)
    chart = Timeline()
    events = sorted(comparison.timeline, key=lambda e: (e.date.startswith("-"), e.date))
    for number, event in enumerate(events[:MAX_TIMELINE], start=1):
        item = {
            "n": number,
            "date": event.date,
            "said": event.date_text,
            "text": event.text,
            "numbers": lookup.original_numbers(event.article_ids),
            "outlets": len(event.article_ids),
        }
        day = _day(event.date)
        if day is None:
            chart.unplaced.append(item)
        else:
            item["day"] = day
            chart.events.append(item)
    if not chart.events:
        return chart
    published = [a.published.date() for a in story.articles if a.published]
    axis = _Axis(chart.events[0]["day"], chart.events[-1]["day"], published)
    lanes: list[float] = []
    for item in chart.events:
        x = axis.x(item["day"])
        lane = next((i for i, right in enumerate(lanes) if x - right >= DOT_GAP), len(lanes))
        if lane == len(lanes):
            lanes.append(x)
        lanes[lane] = x
        item["x"], item["lane"] = round(x, 1), lane
        item["r"] = 7 + min(item["outlets"] - 1, 4) * 1.5
    chart.axis_y = 20 + LANE_HEIGHT * len(lanes)
    for item in chart.events:
        item["y"] = chart.axis_y - 14 - LANE_HEIGHT * item["lane"]
    chart.height = chart.axis_y + 34
    chart.ticks = axis.ticks()
    chart.break_x = axis.break_x
    return chart


def _month_starts(first: date, last: date) -> list[date]:
    months, month = [], date(first.year, first.month, 1)
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


class _Axis:
    """A time axis. When the events reach back years before the articles were written (the
    background of a story), the axis breaks: the years before take the left part, months
    around the articles' dates the rest, so that the story's own weeks do not collapse."""

    def __init__(self, first: date, last: date, published: list[date]) -> None:
        inner = SVG_WIDTH - 2 * SVG_MARGIN
        self.focus = min(published) - timedelta(days=FOCUS_DAYS) if published else None
        last = max([last, *published])
        self.split = bool(self.focus and (self.focus - first).days > 365 and last > self.focus)
        if self.split and self.focus:
            self.parts = [
                (date(first.year, 1, 1), self.focus, SVG_MARGIN, SVG_MARGIN + BACKGROUND * inner),
                (
                    self.focus,
                    last + timedelta(days=20),
                    SVG_MARGIN + BACKGROUND * inner + BREAK_GAP,
                    SVG_WIDTH - SVG_MARGIN,
                ),
            ]
            self.break_x: float | None = round(SVG_MARGIN + BACKGROUND * inner + BREAK_GAP / 2, 1)
        else:
            long = (last - first).days > 400
            start = date(first.year, 1, 1) if long else first - timedelta(days=15)
            end = date(last.year + 1, 1, 1) if long else last + timedelta(days=15)
            self.parts = [(start, end, SVG_MARGIN, SVG_WIDTH - SVG_MARGIN)]
            self.break_x = None

    def x(self, day: date) -> float:
        for start, end, left, right in self.parts:
            if day <= end or (start, end, left, right) == self.parts[-1]:
                day = max(day, start)
                return left + (right - left) * (day - start).days / max((end - start).days, 1)
        return self.parts[-1][3]  # pragma: no cover - the loop always returns

    def ticks(self) -> list[dict[str, Any]]:
        ticks: list[dict[str, Any]] = []
        for start, end, left, right in self.parts:
            width = right - left
            if (end - start).days > 800:  # years
                years = list(range(start.year + (start.month > 1), end.year + 1))
                step = max(1, -(-len(years) * 60 // max(int(width), 1)))
                marks = [(date(y, 1, 1), str(y)) for y in years[::step]]
            else:  # months, thinned to fit
                months = _month_starts(start, end)
                step = max(1, -(-len(months) * 52 // max(int(width), 1)))
                marks = [(m, m.strftime("%b")) for m in months[::step]]
            shown = 0
            for day, label in marks:
                x = left + width * (day - start).days / max((end - start).days, 1)
                if left - 0.5 <= x <= right + 0.5:
                    if len(label) == 3 and (shown == 0 or day.month == 1):
                        label = f"{label} {day.year}"  # the year at the first month and each Jan
                    ticks.append({"x": round(x, 1), "label": label})
                    shown += 1
        return ticks
