"""Status over time as a static SVG (and PNG for Word): pure Python, no browser, no network.

Drawn from `talks.selectors.status_over_time` (the one status rule), like the briefing map:
one lane per country, a rectangle per status segment in the status colours, event marks, a
legend that names every colour, and year ticks. Also the small strip on each country page.
"""

import datetime
from xml.sax.saxutils import escape, quoteattr

from talks.rules.statuses import COLOURS, label
from talks.selectors.status_over_time import Lane, Segment, StatusOverTime

FONT = "Arial, Liberation Sans, DejaVu Sans, sans-serif"
INK, GRID, MUTED = "#0B0C0C", "#B1B4B6", "#505A5F"


class _Scale:
    def __init__(self, start: datetime.date, end: datetime.date, left: float, right: float):
        self.start, self.days = start, max((end - start).days, 1)
        self.left, self.width = left, right - left

    def __call__(self, day: datetime.date) -> float:
        return self.left + self.width * (day - self.start).days / self.days


def _year_ticks(scale: _Scale, start: datetime.date, end: datetime.date, top, bottom) -> list[str]:
    out = []
    for year in range(start.year, end.year + 1):
        x = scale(datetime.date(year, 1, 1))
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}"/>'
            f'<text x="{x:.1f}" y="{bottom + 18}" font-size="14" text-anchor="middle" '
            f'fill="{MUTED}">{year}</text>'
        )
    return out


# The narrowest stretch a chart draws (in its units; about 0.6 mm printed): each shows the status
# in effect at its end, as a picture at that resolution would.
STEP = 3


def _drawn(lane: Lane, scale: _Scale) -> list[tuple[float, float, Segment]]:
    """The segments as they can be seen at this scale: each step of width shows the status in
    effect at its end, and runs of one status join. However many statuses a lane holds, it draws
    at most one rectangle per step."""
    owners: dict[int, Segment] = {}
    for segment in lane.segments:
        step = int(scale(segment.start)) // STEP * STEP
        owners[step] = segment  # the last to start in a step shows
    columns = sorted(owners)
    runs: list[tuple[float, float, Segment]] = []
    for index, column in enumerate(columns):
        segment = owners[column]
        x0 = float(column) if runs else scale(segment.start)
        x1 = scale(segment.end)
        if index + 1 < len(columns):
            x1 = min(x1, float(columns[index + 1]))
        if runs and runs[-1][2].status == segment.status and runs[-1][1] >= x0:
            runs[-1] = (runs[-1][0], x1, runs[-1][2])
        else:
            runs.append((x0, x1, segment))
    return runs


def _lane(lane: Lane, scale: _Scale, y: float, height: float, marks: bool) -> list[str]:
    out = []
    for x0, x1, segment in _drawn(lane, scale):
        out.append(
            f'<rect x="{x0:.1f}" y="{y:.1f}" width="{max(x1 - x0, 1.5):.1f}" '
            f'height="{height:.1f}" fill="{COLOURS[segment.status]}" stroke="{INK}" '
            f'stroke-width="0.5"><title>{escape(lane.country_name)}: {escape(segment.label)} '
            f"from {escape(segment.since_label)}</title></rect>"
        )
    if marks:
        middle = y + height / 2
        for mark in lane.marks:
            x = scale(mark.day)
            out.append(
                f'<path d="M{x:.1f} {middle - 6:.1f} L{x + 6:.1f} {middle:.1f} '
                f'L{x:.1f} {middle + 6:.1f} L{x - 6:.1f} {middle:.1f} Z" fill="#FFFFFF" '
                f'stroke="{INK}" stroke-width="1.5"><title>{escape(mark.hover_text)}</title></path>'
            )
    return out


def _legend(statuses: list[str], top: float, width: float, marks: bool) -> tuple[list[str], int]:
    entries = [(COLOURS[s], label(s)) for s in statuses]
    columns, out = 4, []
    for index, (fill, text) in enumerate(entries + ([("mark", "Event")] if marks else [])):
        x = 10 + (index % columns) * (width / columns)
        y = top + (index // columns) * 28
        if fill == "mark":
            out.append(
                f'<path d="M{x + 10} {y + 2} L{x + 18} {y + 10} L{x + 10} {y + 18} L{x + 2} '
                f'{y + 10} Z" fill="#FFFFFF" stroke="{INK}" stroke-width="1.5"/>'
            )
        else:
            out.append(
                f'<rect x="{x}" y="{y}" width="20" height="20" fill="{fill}" stroke="{INK}"/>'
            )
        out.append(
            f'<text x="{x + 28}" y="{y + 16}" font-size="16" fill="{INK}">{escape(text)}</text>'
        )
    rows = -(-(len(entries) + (1 if marks else 0)) // columns)
    return out, rows * 28


def render_status_over_time(chart: StatusOverTime, *, width: int = 1200) -> str:
    """The scheme's lanes as an SVG document (for the PDF inline, for Word via PNG)."""
    label_width, lane_height, gap, top = 230, 30, 12, 10
    body_height = len(chart.lanes) * (lane_height + gap)
    scale = _Scale(chart.start, chart.end, label_width + 10, width - 20)
    parts = _year_ticks(scale, chart.start, chart.end, top, top + body_height)
    for index, lane in enumerate(chart.lanes):
        y = top + index * (lane_height + gap)
        parts.append(
            f'<text x="{label_width - 10}" y="{y + lane_height / 2 + 5:.1f}" font-size="16" '
            f'text-anchor="end" fill="{INK}">{escape(lane.country_name)}</text>'
        )
        if not lane.segments:
            parts.append(
                f'<text x="{label_width}" y="{y + lane_height / 2 + 5:.1f}" font-size="14" '
                f'fill="{MUTED}">No status recorded</text>'
            )
        parts += _lane(lane, scale, y, lane_height, marks=True)
    legend, legend_height = _legend(chart.statuses, top + body_height + 34, width, True)
    height = top + body_height + 34 + legend_height + 8
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="{FONT}" role="img">',
            f"<title>{escape(chart.title)}</title>",
            f'<rect width="{width}" height="{height}" fill="#FFFFFF"/>',
            *parts,
            *legend,
            "</svg>",
        ]
    )


def render_status_strip(
    lane: Lane, *, start: datetime.date, end: datetime.date, title: str, width: int = 600
) -> str:
    """A small strip of one country's status in one scheme (inline SVG on the country page)."""
    height, top = 44, 4
    scale = _Scale(start, end, 0, width)
    parts = _lane(lane, scale, top, 20, marks=False)
    ticks = []
    for year in range(start.year + 1, end.year + 1):
        x = scale(datetime.date(year, 1, 1))
        ticks.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + 24}" stroke="{INK}" '
            f'stroke-width="0.5"/><text x="{x:.1f}" y="{top + 38}" font-size="12" '
            f'text-anchor="middle" fill="{MUTED}">{year}</text>'
        )
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="app-status-strip" '
            f'viewBox="0 0 {width} {height}" font-family="{FONT}" role="img" '
            f"aria-label={quoteattr(title)}>",
            f"<title>{escape(title)}</title>",
            f'<rect x="0" y="{top}" width="{width}" height="20" fill="#F3F2F1"/>',
            *parts,
            *ticks,
            "</svg>",
        ]
    )
