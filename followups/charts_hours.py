"""Hours used per month against a measure's planned taper, as figures and a server-drawn SVG.

Pure functions with no model imports, like plans/charts.py: the caller passes the measure's
start, its hours steps (weeks + hours per week, the last one possibly open-ended) and the
logged minutes per month; ``hours_rows`` gives the table, ``taper_warning`` says when the
effort is not coming down as planned, and ``hours_chart_svg`` draws the same figures.

The SVG is plain SVG 1.1 (no CSS, scripts or ``<use>``), deterministic, with ``role="img"``,
a ``<title>`` and a ``<desc>`` that states the figures in words. Planned hours are a dashed
line with diamond markers, used hours are bars: shape and line style, not colour alone, tell
them apart (WCAG 1.4.1); both colours have at least 3:1 contrast against white (1.4.11).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from django.utils.dates import MONTHS, MONTHS_3
from django.utils.translation import gettext

OVER_PLAN_LIMIT = Decimal("1.25")  # used > planned by more than 25 %: not coming down as planned
WEEK_DAYS = 7

FONT_FAMILY = "system-ui, sans-serif"
FONT_SIZE = 11
TITLE_FONT_SIZE = 14
TEXT_COLOUR = "#222222"
MUTED_TEXT_COLOUR = "#444444"
AXIS_COLOUR = "#767676"
GRID_COLOUR = "#e3e3e3"
USED_COLOUR = "#0072B2"  # 5.1:1 on white
PLANNED_COLOUR = "#D55E00"  # 3.6:1 on white

_ID_PREFIX_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_XML_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Step:
    """One step of the taper: ``hours_per_week`` for ``weeks`` weeks (None: until the end)."""

    weeks: int | None
    hours_per_week: Decimal


@dataclass(frozen=True)
class MonthRow:
    month: dt.date  # the first day of the month
    planned: Decimal
    used: Decimal
    # The current month, counted only to today (this day): its planned hours are the share of
    # the days so far, and it is labelled "hidtil" so the taper line does not seem to plunge.
    # A label, not a figure: rows with the same figures are equal.
    so_far: dt.date | None = field(default=None, compare=False)

    @property
    def difference(self) -> Decimal:
        return self.used - self.planned

    @property
    def over_plan(self) -> bool:
        return _over_plan(self.planned, self.used)

    @property
    def label(self) -> str:
        return month_name(self.month)

    @property
    def so_far_note(self) -> str:
        """The current month's "hidtil i december (til og med 7.)", else ""."""
        if self.so_far is None:
            return ""
        return gettext("hidtil i %(month)s (til og med %(day)s.)") % {
            "month": MONTHS[self.month.month],
            "day": self.so_far.day,
        }


@dataclass(frozen=True)
class TaperWarning:
    month: dt.date
    planned: Decimal
    used: Decimal

    @property
    def percent_over(self) -> int | None:
        if not self.planned:
            return None
        return int(
            ((self.used - self.planned) / self.planned * 100).to_integral_value(ROUND_HALF_UP)
        )

    @property
    def label(self) -> str:
        return month_name(self.month)


def _over_plan(planned: Decimal, used: Decimal) -> bool:
    return used > planned * OVER_PLAN_LIMIT


def month_name(month: dt.date) -> str:
    return f"{MONTHS[month.month]} {month.year}"


def _short_month(month: dt.date) -> str:
    return f"{MONTHS_3[month.month]} {month.year % 100:02d}"


def _first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _round(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def step_periods(
    *, start: dt.date, steps: Sequence[Step], planned_until: dt.date | None = None
) -> list[tuple[dt.date, dt.date, Decimal]]:
    """Each step as (first day, day after the last, hours per week). An open-ended step
    runs to ``planned_until`` (inclusive), or indefinitely (``date.max``)."""
    periods = []
    begin = start
    for step in steps:
        if step.weeks is None:
            end = planned_until + dt.timedelta(days=1) if planned_until else dt.date.max
        else:
            end = begin + dt.timedelta(days=step.weeks * WEEK_DAYS)
        if planned_until is not None:
            end = min(end, planned_until + dt.timedelta(days=1))
        if end > begin:
            periods.append((begin, end, step.hours_per_week))
        if step.weeks is None or end == dt.date.max:
            break
        begin = end
    return periods


def hours_rows(
    *,
    start: dt.date,
    end: dt.date,
    steps: Sequence[Step],
    used_minutes: Mapping[dt.date, int],
    planned_until: dt.date | None = None,
    today: dt.date | None = None,
) -> list[MonthRow]:
    """Planned and used hours for every calendar month from ``start`` to ``end`` (inclusive).

    Planned hours are counted by the day (hours per week ÷ 7 for each day of a step that falls
    in the month and between ``start`` and ``end``), so a first month that starts mid-month, or
    the current month, is compared with its share of the plan. Given ``today``, the current
    month when it is counted only to today gets ``so_far`` (today), to be labelled as such.
    """
    if end < start:
        end = start
    periods = step_periods(start=start, steps=steps, planned_until=planned_until)
    rows = []
    month = _first_of(start)
    while month <= end:
        month_end = _next_month(month)  # exclusive
        lo, hi = max(month, start), min(month_end, end + dt.timedelta(days=1))
        planned = Decimal(0)
        for begin, stop, per_week in periods:
            days = (min(hi, stop) - max(lo, begin)).days
            if days > 0:
                planned += per_week * days / WEEK_DAYS
        used = Decimal(used_minutes.get(month, 0)) / 60
        so_far = None
        if today is not None and end == today and month <= today < month_end - dt.timedelta(1):
            so_far = today  # the current month, not yet over, counted to today
        rows.append(
            MonthRow(month=month, planned=_round(planned), used=_round(used), so_far=so_far)
        )
        month = month_end
    return rows


def taper_warning(rows: Sequence[MonthRow], *, today: dt.date) -> TaperWarning | None:
    """The last full month's used hours exceed the planned by more than 25 %?"""
    full = [row for row in rows if _next_month(row.month) <= today]
    if not full:
        return None
    last = full[-1]
    if _over_plan(last.planned, last.used):
        return TaperWarning(month=last.month, planned=last.planned, used=last.used)
    return None


# --- the chart -----------------------------------------------------------------------------


def hours_chart_svg(
    *,
    title: str,
    rows: Sequence[MonthRow],
    width: int = 640,
    height: int = 300,
    id_prefix: str = "hours-chart",
    description: str = "",
) -> str:
    """Bars of used hours and a dashed line of planned hours, one band per month."""
    if not _ID_PREFIX_RE.match(id_prefix):
        raise ValueError(f"id_prefix must be a valid XML id start, got {id_prefix!r}")
    if width < 300 or height < 200:
        raise ValueError("The chart needs at least 300 × 200 px")
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    summary = hours_summary(rows)
    desc = f"{description.strip()} {summary}" if description.strip() else summary
    body = (
        _draw(title=title, rows=rows, width=width, height=height)
        if rows
        else _draw_empty(title=title, width=width, height=height)
    )
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="{FONT_FAMILY}" '
        f'font-size="{FONT_SIZE}">',
        f'<title id="{title_id}">{_text(title)}</title>',
        f'<desc id="{desc_id}">{_text(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    return "\n".join([*head, *body, "</svg>"]) + "\n"


def hours_summary(rows: Sequence[MonthRow]) -> str:
    if not rows:
        return gettext("Ingen måneder at vise endnu.")
    planned = sum((r.planned for r in rows), Decimal(0))
    used = sum((r.used for r in rows), Decimal(0))
    parts = [
        gettext(
            "Timer pr. måned fra %(first)s til %(last)s: planlagt i alt %(planned)s timer, "
            "brugt i alt %(used)s timer."
        )
        % {
            "first": rows[0].label,
            "last": rows[-1].label,
            "planned": format_hours(planned),
            "used": format_hours(used),
        }
    ]
    for row in rows:
        month = row.label
        if row.so_far is not None:
            month = gettext("%(month)s hidtil (til og med %(day)s.)") % {
                "month": month,
                "day": row.so_far.day,
            }
        parts.append(
            gettext("%(month)s: planlagt %(planned)s, brugt %(used)s.")
            % {
                "month": month,
                "planned": format_hours(row.planned),
                "used": format_hours(row.used),
            }
        )
    return " ".join(parts)


def format_hours(value: Decimal) -> str:
    """12.5 as "12,5", 12.0 as "12" (Danish decimal comma)."""
    text = f"{_round(value):f}"
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",")


def _nice_step(top: Decimal) -> Decimal:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500):
        if top / step <= 6:
            return Decimal(step)
    return Decimal(1000)


def _draw(*, title: str, rows: Sequence[MonthRow], width: int, height: int) -> list[str]:
    top_value = max([Decimal(1), *(r.planned for r in rows), *(r.used for r in rows)])
    step = _nice_step(top_value)
    # Rounded up to a whole step (Decimal's // truncates towards zero, so not -(-a // b)).
    y_max = step * (top_value / step).to_integral_value(rounding=ROUND_CEILING)

    left = 8 + _text_width(format_hours(y_max), FONT_SIZE) + 10
    left = max(left, 40.0)
    right = width - 12.0
    top = 40.0
    legend_height = 22.0
    so_far_line = FONT_SIZE + 3 if any(r.so_far for r in rows) else 0
    bottom = height - (FONT_SIZE + 14) - so_far_line - legend_height - 8

    def y_of(value: Decimal) -> float:
        return bottom - float(value / y_max) * (bottom - top)

    band = (right - left) / len(rows)
    bar_width = min(36.0, band * 0.6)

    def x_mid(index: int) -> float:
        return left + band * (index + 0.5)

    out = [
        f'<text x="8" y="22" font-size="{TITLE_FONT_SIZE}" font-weight="bold" '
        f'fill="{TEXT_COLOUR}">{_text(_truncate(title, width - 16, TITLE_FONT_SIZE))}</text>'
    ]
    # Grid and y labels (hours).
    out.append(f'<g class="grid" stroke="{GRID_COLOUR}" stroke-width="1">')
    ticks = []
    value = Decimal(0)
    while value <= y_max:
        ticks.append(value)
        value += step
    for tick in ticks:
        gy = _n(y_of(tick))
        out.append(f'<line x1="{_n(left)}" y1="{gy}" x2="{_n(right)}" y2="{gy}"/>')
    out.append("</g>")
    out.append(f'<g class="y-labels" fill="{MUTED_TEXT_COLOUR}" text-anchor="end">')
    for tick in ticks:
        out.append(
            f'<text x="{_n(left - 6)}" y="{_n(y_of(tick) + FONT_SIZE * 0.35)}">'
            f"{format_hours(tick)}</text>"
        )
    out.append("</g>")
    out.append(
        f'<text class="y-unit" x="{_n(left)}" y="{_n(top - 6)}" fill="{MUTED_TEXT_COLOUR}">'
        f"{_text(gettext('timer'))}</text>"
    )

    # Used hours: bars.
    out.append(f'<g class="used" fill="{USED_COLOUR}">')
    for index, row in enumerate(rows):
        y = y_of(row.used)
        tooltip = gettext("%(month)s: brugt %(used)s timer (planlagt %(planned)s)") % {
            "month": row.label,
            "used": format_hours(row.used),
            "planned": format_hours(row.planned),
        }
        out.append(
            f'<rect class="bar" x="{_n(x_mid(index) - bar_width / 2)}" y="{_n(y)}" '
            f'width="{_n(bar_width)}" height="{_n(bottom - y)}"><title>{_text(tooltip)}</title>'
            "</rect>"
        )
    out.append("</g>")

    # Planned hours: a dashed line with diamonds.
    points = [(x_mid(i), y_of(r.planned)) for i, r in enumerate(rows)]
    out.append(f'<g class="planned" fill="{PLANNED_COLOUR}">')
    if len(points) > 1:
        out.append(
            f'<polyline class="line" points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in points)}" '
            f'fill="none" stroke="{PLANNED_COLOUR}" stroke-width="2.5" stroke-dasharray="7 4"/>'
        )
    for (x, y), row in zip(points, rows, strict=True):
        tooltip = gettext("%(month)s: planlagt %(planned)s timer") % {
            "month": row.label,
            "planned": format_hours(row.planned),
        }
        out.append(
            f'<path class="marker" d="{_diamond(x, y)}" stroke="#ffffff" stroke-width="1">'
            f"<title>{_text(tooltip)}</title></path>"
        )
    out.append("</g>")

    # Axes and month labels.
    out.append(
        f'<g class="axes" stroke="{AXIS_COLOUR}" stroke-width="1">'
        f'<line x1="{_n(left)}" y1="{_n(top)}" x2="{_n(left)}" y2="{_n(bottom)}"/>'
        f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(right)}" y2="{_n(bottom)}"/></g>'
    )
    label_width = max(_text_width(_short_month(r.month), FONT_SIZE) for r in rows) + 6
    every = max(1, int(-(-label_width // band)))
    out.append(f'<g class="x-labels" fill="{MUTED_TEXT_COLOUR}" text-anchor="middle">')
    shown = {index for index in range(len(rows)) if index % every == 0}
    if rows[-1].so_far is not None:  # the current month is always named: make room for it
        shown = {index for index in shown if index <= len(rows) - 1 - every} | {len(rows) - 1}
    for index, row in enumerate(rows):
        if index in shown:
            out.append(
                f'<text class="month-label" x="{_n(x_mid(index))}" '
                f'y="{_n(bottom + FONT_SIZE + 6)}">{_text(_short_month(row.month))}</text>'
            )
        if row.so_far is not None:
            # The current month, counted to today: "hidtil" under its name.
            out.append(
                f'<text class="so-far-label" x="{_n(x_mid(index))}" '
                f'y="{_n(bottom + 2 * FONT_SIZE + 9)}" font-style="italic">'
                f"{_text(gettext('hidtil'))}</text>"
            )
    out.append("</g>")

    # Legend.
    ly = height - legend_height / 2 - 4
    used_label = gettext("Brugte timer")
    planned_label = gettext("Planlagte timer")
    x = left
    out.append(f'<g class="legend" fill="{TEXT_COLOUR}">')
    out.append(f'<rect x="{_n(x)}" y="{_n(ly - 6)}" width="14" height="12" fill="{USED_COLOUR}"/>')
    out.append(f'<text x="{_n(x + 20)}" y="{_n(ly + 4)}">{_text(used_label)}</text>')
    x += 20 + _text_width(used_label, FONT_SIZE) + 24
    out.append(
        f'<line x1="{_n(x)}" y1="{_n(ly)}" x2="{_n(x + 28)}" y2="{_n(ly)}" '
        f'stroke="{PLANNED_COLOUR}" stroke-width="2.5" stroke-dasharray="7 4"/>'
    )
    out.append(f'<path d="{_diamond(x + 14, ly)}" fill="{PLANNED_COLOUR}"/>')
    out.append(f'<text x="{_n(x + 34)}" y="{_n(ly + 4)}">{_text(planned_label)}</text>')
    out.append("</g>")
    return out


def _draw_empty(*, title: str, width: int, height: int) -> list[str]:
    return [
        f'<text x="8" y="22" font-size="{TITLE_FONT_SIZE}" font-weight="bold" '
        f'fill="{TEXT_COLOUR}">{_text(_truncate(title, width - 16, TITLE_FONT_SIZE))}</text>',
        f'<rect x="8.5" y="36.5" width="{width - 17}" height="{height - 45}" fill="#f7f7f7" '
        f'stroke="{GRID_COLOUR}"/>',
        f'<text class="empty" x="{_n(width / 2)}" y="{_n(36 + (height - 45) / 2 + 5)}" '
        f'text-anchor="middle" font-size="14" fill="{TEXT_COLOUR}">'
        f"{_text(gettext('Ingen måneder at vise endnu'))}</text>",
    ]


def _diamond(x: float, y: float, r: float = 5.5) -> str:
    return f"M{_n(x)},{_n(y - r)} L{_n(x + r)},{_n(y)} L{_n(x)},{_n(y + r)} L{_n(x - r)},{_n(y)} Z"


def _text(value: str) -> str:
    return escape(_XML_FORBIDDEN_RE.sub("", str(value)), {'"': "&quot;"})


def _n(value: float) -> str:
    rounded = round(value, 1) + 0.0
    text = f"{rounded:.1f}"
    if text == "-0.0":
        text = "0.0"
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str, font_size: float) -> float:
    return sum(0.32 if c in "iIljtf.,:;!|' " else 0.7 if c.isupper() else 0.6 for c in text) * (
        font_size
    )


def _truncate(text: str, max_width: float, font_size: float) -> str:
    if _text_width(text, font_size * 1.15) <= max_width:
        return text
    while text and _text_width(text + "…", font_size * 1.15) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"
