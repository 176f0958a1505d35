"""Bar charts as SVG geometry, drawn on the server.

A chart is readable without JavaScript and without the picture: the SVG has
a title and a description naming the largest value, and the page puts the
same figures in a table beside it. Suppressed values get no bar, only their
"< 5" label, so the drawing never hints at the hidden number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 230
BAR_HEIGHT = 22
GAP = 8
VALUE_SPACE = 70
COLUMN_HEIGHT = 180


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None
    text: str  # what is printed: the number, or "< 5"
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    text_x: float = 0
    text_y: float = 0
    label_x: float = 0
    label_y: float = 0


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    horizontal: bool
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    axis_y: float = 0


def _scale(values: list[int | None], room: float) -> float:
    top = max((v for v in values if v is not None), default=0)
    return room / top if top else 0.0


def horizontal_chart(chart_id: str, title: str, desc: str, items: list[tuple[str, int | None, str]]) -> Chart:
    """One bar per row, labels on the left: for categories and statuses (long names)."""
    room = WIDTH - LABEL_WIDTH - VALUE_SPACE
    scale = _scale([v for _, v, _ in items], room)
    bars = []
    for index, (label, value, text) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = (value or 0) * scale
        bars.append(
            Bar(
                label=label,
                value=value,
                text=text,
                x=LABEL_WIDTH,
                y=y,
                width=round(width, 1),
                height=BAR_HEIGHT,
                text_x=round(LABEL_WIDTH + width + 6, 1),
                text_y=y + BAR_HEIGHT * 0.7,
                label_x=LABEL_WIDTH - 8,
                label_y=y + BAR_HEIGHT * 0.7,
            )
        )
    height = GAP + len(items) * (BAR_HEIGHT + GAP)
    return Chart(chart_id, title, desc, True, WIDTH, height, bars)


def column_chart(chart_id: str, title: str, desc: str, items: list[tuple[str, int | None, str]]) -> Chart:
    """One column per period, labels underneath: for months."""
    slot = WIDTH / max(len(items), 1)
    top_space = 20
    scale = _scale([v for _, v, _ in items], COLUMN_HEIGHT)
    bars = []
    for index, (label, value, text) in enumerate(items):
        height = (value or 0) * scale
        x = index * slot + slot * 0.15
        bars.append(
            Bar(
                label=label,
                value=value,
                text=text,
                x=round(x, 1),
                y=round(top_space + COLUMN_HEIGHT - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                text_x=round(x + slot * 0.35, 1),
                text_y=round(top_space + COLUMN_HEIGHT - height - 5, 1),
                label_x=round(x + slot * 0.35, 1),
                label_y=top_space + COLUMN_HEIGHT + 16,
            )
        )
    return Chart(chart_id, title, desc, False, WIDTH, top_space + COLUMN_HEIGHT + 26, bars, top_space + COLUMN_HEIGHT)
