"""Server-drawn SVG line chart of Signs of Safety scaling answers (0–10) over time.

Pure functions with no model imports: the caller turns rating rounds into ``Series`` of
``Point`` and gets back an SVG string that the plan page embeds inline and WeasyPrint embeds
in PDFs. That is why the drawing sticks to plain SVG 1.1 (no CSS, scripts, ``<use>``,
filters or ``foreignObject``) and why the output is deterministic: the same input gives the
same bytes, so a PDF rendered twice is identical.

Accessibility: colour is never the only cue (each series also has its own marker shape,
WCAG 1.4.1), every series colour has at least 3:1 contrast against white (WCAG 1.4.11), and
the ``<desc>`` states the development in words, so the chart stands alone for a screen reader.
``rating_table_rows`` gives the same figures for the table beside the chart.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple
from xml.sax.saxutils import escape

from django.utils.translation import gettext, ngettext

SCALE_MIN = 0
SCALE_MAX = 10  # 10 = good enough to close the case

FONT_FAMILY = "system-ui, sans-serif"
FONT_SIZE = 11
TITLE_FONT_SIZE = 14
TEXT_COLOUR = "#222222"
MUTED_TEXT_COLOUR = "#444444"
AXIS_COLOUR = "#767676"
GRID_COLOUR = "#e3e3e3"
GOOD_ENOUGH_COLOUR = "#444444"

# Okabe–Ito inspired, darkened where needed so each has ≥ 3:1 contrast against white.
SERIES_COLOURS: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#007F5F",  # bluish green
    "#A23B8F",  # reddish purple
    "#222222",  # near black
    "#8C6D00",  # ochre
    "#5E4FA2",  # indigo
    "#B8002E",  # crimson
)
MARKER_SHAPES: tuple[str, ...] = (
    "circle",
    "square",
    "triangle",
    "diamond",
    "triangle-down",
    "plus",
    "cross",
    "star",
)
MARKER_SIZE = 4.5  # "radius" of a marker in px; shapes are scaled to look alike in weight
MAX_NUDGE = 24.0  # widest spread in px of the series' sideways nudge at one round

_ID_PREFIX_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# Characters XML 1.0 forbids even when escaped; a label pasted from a document may hold them.
_XML_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Point:
    """One answer to the scaling question on one date."""

    on: datetime.date
    value: int

    def __post_init__(self) -> None:
        if not isinstance(self.on, datetime.date):
            raise TypeError(f"Point.on must be a date, not {type(self.on).__name__}")
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise ValueError(f"A scaling answer must be a whole number, got {self.value!r}")
        if not SCALE_MIN <= self.value <= SCALE_MAX:
            raise ValueError(
                f"A scaling answer must lie between {SCALE_MIN} and {SCALE_MAX}, got {self.value}"
            )


@dataclass(frozen=True)
class Series:
    """One participant's answers over time (e.g. "Mor", "Emma", "Familiebehandler")."""

    label: str
    points: Sequence[Point]

    def __post_init__(self) -> None:
        # Stored sorted and as a tuple so the frozen dataclass really is immutable.
        points = tuple(sorted(self.points, key=lambda p: p.on))
        for point in points:
            if not isinstance(point, Point):
                raise TypeError(f"Series.points must hold Point, not {type(point).__name__}")
        for earlier, later in pairwise(points):
            if earlier.on == later.on:
                raise ValueError(
                    f"{self.label!r} has two answers on {_format_date(later.on)}; "
                    "a series holds at most one answer per date"
                )
        object.__setattr__(self, "points", points)


class RatingRow(NamedTuple):
    """One series as a table row: its label and one value (or None) per date column."""

    label: str
    values: list[int | None]


def rating_table_rows(
    series: Sequence[Series],
) -> tuple[list[datetime.date], list[RatingRow]]:
    """The chart's figures as a table: the sorted dates of all rounds, and per series a row
    with the answer on each date or None where that participant was not asked."""
    dates = _all_dates(series)
    rows = []
    for one in series:
        by_date = {p.on: p.value for p in one.points}
        rows.append(RatingRow(one.label, [by_date.get(on) for on in dates]))
    return dates, rows


def rating_chart_svg(
    *,
    title: str,
    series: Sequence[Series],
    width: int = 640,
    height: int = 320,
    description: str = "",
    id_prefix: str = "chart",
) -> str:
    """A standalone SVG line chart of 0–10 scaling answers, one line per series.

    ``height`` is a minimum: when many legend rows or rotated date labels would leave the
    plot too flat, the SVG grows taller rather than squeezing the scale.
    """
    if not _ID_PREFIX_RE.match(id_prefix):
        raise ValueError(f"id_prefix must be a valid XML id start, got {id_prefix!r}")
    if width < 320 or height < 200:
        raise ValueError("The chart needs at least 320 × 200 px")
    for one in series:
        if not isinstance(one, Series):
            raise TypeError(f"series must hold Series, not {type(one).__name__}")

    title_id = f"{id_prefix}-title"
    desc_id = f"{id_prefix}-desc"
    summary = _summary(series)
    desc_text = f"{description.strip()} {summary}" if description.strip() else summary

    drawn = [(index, one) for index, one in enumerate(series) if one.points]
    if drawn:
        height, body = _draw_chart(title=title, drawn=drawn, width=width, height=height)
    else:
        body = _draw_empty(title=title, width=width, height=height)

    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="{FONT_FAMILY}" '
        f'font-size="{FONT_SIZE}">',
        f'<title id="{title_id}">{_text(title)}</title>',
        f'<desc id="{desc_id}">{_text(desc_text)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    return "\n".join([*head, *body, "</svg>"]) + "\n"


# --- drawing -------------------------------------------------------------------------------


def _draw_chart(
    *, title: str, drawn: list[tuple[int, Series]], width: int, height: int
) -> tuple[int, list[str]]:
    dates = _all_dates(s for _, s in drawn)
    good_enough = gettext("Godt nok")

    y_label_width = _text_width("10", FONT_SIZE)
    left = max(8 + y_label_width + 8, 44.0)
    right = width - (12 + _text_width(good_enough, FONT_SIZE) + 8)
    # Keeps the first and last round's markers, nudged sideways (see below), off the edges.
    inset = MAX_NUDGE / 2 + MARKER_SIZE + 8
    x_of = _x_scale(dates, left + inset, right - inset)
    xs = [x_of(on) for on in dates]

    labels, rotated = _date_labels(dates, xs)
    date_width = max(_text_width(_format_date(on), FONT_SIZE) for on in dates)
    if rotated:
        # Text at -45°: its vertical extent is (length + height) × sin 45°.
        tick_label_height = (date_width + FONT_SIZE) * math.sin(math.radians(45)) + 14
        # A rotated label hangs down-left from its tick; keep the first one inside the SVG.
        left = max(left, (date_width * math.cos(math.radians(45))) - inset + 8)
        x_of = _x_scale(dates, left + inset, right - inset)
        xs = [x_of(on) for on in dates]
        labels, rotated = _date_labels(dates, xs, force_rotate=True)
    else:
        tick_label_height = FONT_SIZE + 14

    legend_items = [(index, one.label) for index, one in drawn]
    legend_rows = _legend_rows(legend_items, width)
    legend_height = len(legend_rows) * 20

    top = 40.0
    min_plot_height = 120.0
    bottom_space = tick_label_height + 10 + legend_height + 6
    height = max(height, math.ceil(top + min_plot_height + bottom_space))
    bottom = height - bottom_space

    def y_of(value: int) -> float:
        return bottom - (value - SCALE_MIN) * (bottom - top) / (SCALE_MAX - SCALE_MIN)

    out: list[str] = []
    out.append(
        f'<text x="8" y="22" font-size="{TITLE_FONT_SIZE}" '
        f'font-weight="bold" fill="{TEXT_COLOUR}">'
        f"{_text(_truncate(title, width - 16, TITLE_FONT_SIZE, bold=True))}</text>"
    )

    out.append(f'<g class="grid" stroke="{GRID_COLOUR}" stroke-width="1">')
    for value in range(SCALE_MIN, SCALE_MAX + 1):
        gy = _n(y_of(value))
        out.append(
            f'<line class="grid-line" x1="{_n(left)}" y1="{gy}" x2="{_n(right)}" y2="{gy}"/>'
        )
    out.append("</g>")

    out.append(f'<g class="y-labels" fill="{MUTED_TEXT_COLOUR}" text-anchor="end">')
    for value in range(SCALE_MIN, SCALE_MAX + 1, 2):
        out.append(
            f'<text x="{_n(left - 8)}" y="{_n(y_of(value) + FONT_SIZE * 0.35)}">{value}</text>'
        )
    out.append("</g>")

    y_top = _n(y_of(SCALE_MAX))
    out.append(
        f'<line class="good-enough" x1="{_n(left)}" y1="{y_top}" x2="{_n(right)}" y2="{y_top}" '
        f'stroke="{GOOD_ENOUGH_COLOUR}" stroke-width="1.5" stroke-dasharray="6 4"/>'
    )
    out.append(
        f'<text class="good-enough-label" x="{_n(right + 6)}" '
        f'y="{_n(y_of(SCALE_MAX) + FONT_SIZE * 0.35)}" fill="{TEXT_COLOUR}">'
        f"{_text(good_enough)}</text>"
    )

    axis_y = _n(bottom)
    out.append(
        f'<g class="axes" stroke="{AXIS_COLOUR}" stroke-width="1">'
        f'<line x1="{_n(left)}" y1="{_n(top)}" x2="{_n(left)}" y2="{axis_y}"/>'
        f'<line x1="{_n(left)}" y1="{axis_y}" x2="{_n(right)}" y2="{axis_y}"/>'
    )
    for x in xs:
        out.append(
            f'<line class="tick" x1="{_n(x)}" y1="{axis_y}" x2="{_n(x)}" y2="{_n(bottom + 5)}"/>'
        )
    out.append("</g>")

    out.append(f'<g class="x-labels" fill="{MUTED_TEXT_COLOUR}">')
    for index in labels:
        x = xs[index]
        text = _text(_format_date(dates[index]))
        if rotated:
            ly = bottom + 14
            out.append(
                f'<text class="date-label" x="{_n(x + 3)}" y="{_n(ly)}" text-anchor="end" '
                f'transform="rotate(-45 {_n(x + 3)} {_n(ly)})">{text}</text>'
            )
        else:
            out.append(
                f'<text class="date-label" x="{_n(x)}" y="{_n(bottom + 5 + FONT_SIZE + 2)}" '
                f'text-anchor="middle">{text}</text>'
            )
    out.append("</g>")

    # Answers are whole numbers, so participants often give the same answer at the same
    # round; nudging each series a few pixels sideways keeps every marker visible.
    gaps = [b - a for a, b in pairwise(xs)]
    spread = min([MAX_NUDGE, *(gap * 0.5 for gap in gaps)])
    step = min(MARKER_SIZE * 2 + 1, spread / (len(drawn) - 1)) if len(drawn) > 1 else 0.0
    for position, (index, one) in enumerate(drawn):
        dx = (position - (len(drawn) - 1) / 2) * step
        colour, shape = _style(index)
        coords = [(x_of(p.on) + dx, y_of(p.value)) for p in one.points]
        out.append(f'<g class="series" fill="{colour}">')
        points_attr = " ".join(f"{_n(x)},{_n(y)}" for x, y in coords)
        out.append(
            f'<polyline class="line" points="{points_attr}" fill="none" stroke="{colour}" '
            f'stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>'
        )
        for (x, y), point in zip(coords, one.points, strict=True):
            tooltip = f"{one.label}, {_format_date(point.on)}: {point.value}"
            out.append(_marker(shape, x, y, tooltip))
        out.append("</g>")

    legend_top = bottom + tick_label_height + 10
    out.append(f'<g class="legend" fill="{TEXT_COLOUR}">')
    for row_number, row in enumerate(legend_rows):
        cy = legend_top + row_number * 20 + 8
        for x, index, label in row:
            colour, shape = _style(index)
            out.append(
                f'<line x1="{_n(x)}" y1="{_n(cy)}" x2="{_n(x + 24)}" y2="{_n(cy)}" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
            out.append(f'<g fill="{colour}">{_marker(shape, x + 12, cy)}</g>')
            out.append(
                f'<text class="legend-label" x="{_n(x + 30)}" '
                f'y="{_n(cy + FONT_SIZE * 0.35)}">{_text(label)}</text>'
            )
    out.append("</g>")
    return height, out


def _draw_empty(*, title: str, width: int, height: int) -> list[str]:
    return [
        f'<text x="8" y="22" font-size="{TITLE_FONT_SIZE}" font-weight="bold" '
        f'fill="{TEXT_COLOUR}">{_text(_truncate(title, width - 16, TITLE_FONT_SIZE, bold=True))}'
        "</text>",
        f'<rect x="8.5" y="36.5" width="{width - 17}" height="{height - 45}" fill="#f7f7f7" '
        f'stroke="{GRID_COLOUR}"/>',
        f'<text class="empty" x="{_n(width / 2)}" y="{_n(36 + (height - 45) / 2 + 5)}" '
        f'text-anchor="middle" font-size="14" fill="{TEXT_COLOUR}">'
        f"{_text(gettext('Ingen skaleringer endnu'))}</text>",
    ]


def _x_scale(dates: list[datetime.date], x0: float, x1: float) -> Callable[[datetime.date], float]:
    """Time runs proportionally: meetings are frequent at first and sparser later, and the
    chart should show that rather than space rounds evenly."""
    first, last = dates[0].toordinal(), dates[-1].toordinal()
    if first == last:
        middle = (x0 + x1) / 2
        return lambda on: middle
    return lambda on: x0 + (on.toordinal() - first) * (x1 - x0) / (last - first)


def _date_labels(
    dates: list[datetime.date], xs: list[float], *, force_rotate: bool = False
) -> tuple[list[int], bool]:
    """Which dates get a visible label, and whether labels are rotated.

    Horizontal labels need a label's width between ticks; rotated by 45° they only need
    their line height divided by sin 45°. Rounds closer than that lose their label (the tick,
    the markers, the desc and the table still show them), keeping the first and latest.
    """
    label_width = max(_text_width(_format_date(on), FONT_SIZE) for on in dates)
    gaps = [b - a for a, b in pairwise(xs)]
    if not force_rotate and all(gap >= label_width + 8 for gap in gaps):
        return list(range(len(dates))), False
    min_gap = _rotated_label_min_gap(FONT_SIZE)
    kept = [0]
    for index in range(1, len(xs)):
        if xs[index] - xs[kept[-1]] >= min_gap:
            kept.append(index)
    last = len(xs) - 1
    if kept[-1] != last:
        while kept and xs[last] - xs[kept[-1]] < min_gap:
            kept.pop()
        kept.append(last)
    return kept, True


def _rotated_label_min_gap(font_size: float) -> float:
    """Horizontal distance two parallel labels rotated by 45° need so their lines don't touch."""
    return (font_size * 1.3 + 2) / math.sin(math.radians(45))


def _legend_rows(items: list[tuple[int, str]], width: int) -> list[list[tuple[float, int, str]]]:
    rows: list[list[tuple[float, int, str]]] = [[]]
    x = 12.0
    max_label = width - 24 - 30
    for index, label in items:
        shown = _truncate(label, max_label, FONT_SIZE)
        item_width = 30 + _text_width(shown, FONT_SIZE)
        if rows[-1] and x + item_width > width - 12:
            rows.append([])
            x = 12.0
        rows[-1].append((x, index, shown))
        x += item_width + 20
    return rows


def _style(index: int) -> tuple[str, str]:
    colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
    # Past the palette's length, shift the shape so colour + shape stays a unique pair.
    shape = MARKER_SHAPES[(index + index // len(SERIES_COLOURS)) % len(MARKER_SHAPES)]
    return colour, shape


def _marker(shape: str, x: float, y: float, tooltip: str | None = None) -> str:
    r = MARKER_SIZE
    attrs = f'class="marker marker-{shape}" stroke="#ffffff" stroke-width="1"'
    if shape == "circle":
        element = f'<circle {attrs} cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}"'
    else:
        element = f'<path {attrs} d="{_polygon_path(_shape_points(shape, r), x, y)}"'
    if tooltip is None:
        return element + "/>"
    return f"{element}><title>{_text(tooltip)}</title></{element.split()[0][1:]}>"


def _shape_points(shape: str, r: float) -> list[tuple[float, float]]:
    if shape == "square":
        s = r * 0.9
        return [(-s, -s), (s, -s), (s, s), (-s, s)]
    if shape == "triangle":
        s = r * 1.25
        return [(0, -s), (s * 0.95, s * 0.7), (-s * 0.95, s * 0.7)]
    if shape == "triangle-down":
        s = r * 1.25
        return [(0, s), (s * 0.95, -s * 0.7), (-s * 0.95, -s * 0.7)]
    if shape == "diamond":
        s = r * 1.3
        return [(0, -s), (s, 0), (0, s), (-s, 0)]
    if shape == "plus":
        a, b = r * 1.2, r * 0.4
        return [
            (-b, -a), (b, -a), (b, -b), (a, -b), (a, b), (b, b),
            (b, a), (-b, a), (-b, b), (-a, b), (-a, -b), (-b, -b),
        ]  # fmt: skip
    if shape == "cross":
        plus = _shape_points("plus", r)
        c = math.cos(math.radians(45))
        return [(px * c - py * c, px * c + py * c) for px, py in plus]
    if shape == "star":
        points = []
        for k in range(10):
            radius = r * 1.35 if k % 2 == 0 else r * 0.6
            angle = math.radians(-90 + k * 36)
            points.append((radius * math.cos(angle), radius * math.sin(angle)))
        return points
    raise ValueError(f"Unknown marker shape {shape!r}")


def _polygon_path(points: list[tuple[float, float]], x: float, y: float) -> str:
    # Rounding centre and offsets separately keeps every copy of a shape exactly alike.
    x, y = round(x, 1), round(y, 1)
    return (
        "M"
        + " L".join(f"{_n(x + round(px, 1))},{_n(y + round(py, 1))}" for px, py in points)
        + " Z"
    )


# --- text ----------------------------------------------------------------------------------


def _summary(series: Sequence[Series]) -> str:
    if not any(one.points for one in series):
        return gettext("Ingen skaleringer endnu.")
    parts = [gettext("Skaleringsspørgsmål fra 0 til 10, hvor 10 er godt nok til at afslutte.")]
    for one in series:
        parts.append(_series_summary(one))
    return " ".join(parts)


def _series_summary(one: Series) -> str:
    points = one.points
    if not points:
        return gettext("%(label)s: ingen skaleringer.") % {"label": one.label}
    first, last = points[0], points[-1]
    if len(points) == 1:
        return gettext("%(label)s: %(value)s den %(on)s.") % {
            "label": one.label,
            "value": first.value,
            "on": _format_date(first.on),
        }
    text = gettext("%(label)s: fra %(first)s den %(first_on)s til %(last)s den %(last_on)s") % {
        "label": one.label,
        "first": first.value,
        "first_on": _format_date(first.on),
        "last": last.value,
        "last_on": _format_date(last.on),
    }
    extras = [
        ngettext("%(count)d skalering", "%(count)d skaleringer", len(points))
        % {"count": len(points)}
    ]
    # The endpoints can hide a dip or a peak in between; say so.
    highest = max(points, key=lambda p: p.value)
    lowest = min(points, key=lambda p: p.value)
    if highest.value > max(first.value, last.value):
        extras.append(
            gettext("højest %(value)s den %(on)s")
            % {"value": highest.value, "on": _format_date(highest.on)}
        )
    if lowest.value < min(first.value, last.value):
        extras.append(
            gettext("lavest %(value)s den %(on)s")
            % {"value": lowest.value, "on": _format_date(lowest.on)}
        )
    return f"{text} ({', '.join(extras)})."


def _format_date(on: datetime.date) -> str:
    return f"{on.day:02d}.{on.month:02d}.{on.year:04d}"


def _all_dates(series: Iterable[Series]) -> list[datetime.date]:
    return sorted({p.on for one in series for p in one.points})


def _text(value: str) -> str:
    return escape(_XML_FORBIDDEN_RE.sub("", value), {'"': "&quot;"})


def _n(value: float) -> str:
    """A coordinate rounded to one decimal, without a trailing ".0" or a "-0"."""
    rounded = round(value, 1) + 0.0
    text = f"{rounded:.1f}"
    if text == "-0.0":
        text = "0.0"
    return text[:-2] if text.endswith(".0") else text


# Rough advance widths in em for a sans-serif face; only used to keep labels apart, so they
# err on the wide side.
_NARROW = set("iIljtf.,:;!|' ")
_WIDE = set("mwMWÆæŒœ@%")


def _text_width(text: str, font_size: float, *, bold: bool = False) -> float:
    em = 0.0
    for char in text:
        if char in _NARROW:
            em += 0.32
        elif char in _WIDE:
            em += 0.9
        elif char.isupper():
            em += 0.7
        elif char.isdigit():
            em += 0.6
        else:
            em += 0.6
    return em * font_size * (1.15 if bold else 1.0)


def _truncate(text: str, max_width: float, font_size: float, *, bold: bool = False) -> str:
    if _text_width(text, font_size, bold=bold) <= max_width:
        return text
    while text and _text_width(text + "…", font_size, bold=bold) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"
