"""Line charts drawn on the server as SVG coordinates, so a page needs no script to show them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

WIDTH = 640
HEIGHT = 240
LEFT = 64  # room for the value labels
RIGHT = 8
TOP = 12
BOTTOM = 28  # room for the date labels


@dataclass(frozen=True)
class Tick:
    y: str  # a coordinate, written here so no locale puts a decimal comma into the SVG
    value: float


@dataclass(frozen=True)
class LineChart:
    """One series as polylines (broken where a day has no figure), axes and their labels."""

    width: int
    height: int
    lines: list[str]  # each the `points` attribute of one <polyline>
    ticks: list[Tick]
    first: date | None
    last: date | None
    left: int = LEFT
    label_x: int = LEFT - 6
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM
    label_y: int = HEIGHT - 8

    @property
    def empty(self) -> bool:
        return not self.lines


def line_chart(points: Sequence[tuple[date, float | None]]) -> LineChart:
    """Scale dated values into the chart's box; a None breaks the line rather than bridging it."""
    known = [(day, value) for day, value in points if value is not None]
    if not known:
        return LineChart(WIDTH, HEIGHT, lines=[], ticks=[], first=None, last=None)
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)
    top_value = max(value for _, value in known) or 1
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + (day - first).days / span * plot_width

    def y(value: float) -> float:
        return TOP + plot_height - value / top_value * plot_height

    lines: list[str] = []
    current: list[str] = []
    for day, value in points:
        if value is None:
            if current:
                lines.append(" ".join(current))
            current = []
            continue
        current.append(f"{x(day):.1f},{y(value):.1f}")
    if current:
        lines.append(" ".join(current))
    ticks = [
        Tick(y=f"{y(top_value * part / 2):.1f}", value=top_value * part / 2) for part in (0, 1, 2)
    ]
    return LineChart(WIDTH, HEIGHT, lines=lines, ticks=ticks, first=first, last=last)
