"""Hours used per month against the planned taper: the figures, the warning, and the SVG
(valid XML, accessible, the same figures as the table)."""

import datetime as dt
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest

from followups.charts_hours import (
    MonthRow,
    Step,
    format_hours,
    hours_chart_svg,
    hours_rows,
    taper_warning,
)

SVG = "{http://www.w3.org/2000/svg}"
D = Decimal


def figures(rows: list[MonthRow]) -> list[tuple[str, str, str]]:
    return [(f"{r.month:%Y-%m}", str(r.planned), str(r.used)) for r in rows]


def test_planned_hours_are_counted_by_the_day():
    rows = hours_rows(
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 31),
        steps=[Step(None, D(7))],
        used_minutes={dt.date(2026, 1, 1): 90},
    )
    assert figures(rows) == [
        ("2026-01", "31.0", "1.5"),
        ("2026-02", "28.0", "0.0"),
        ("2026-03", "31.0", "0.0"),
    ]


def test_the_taper_steps_follow_each_other_from_the_start_date():
    rows = hours_rows(
        start=dt.date(2026, 2, 1),
        end=dt.date(2026, 4, 30),
        steps=[Step(4, D(7)), Step(None, D("3.5"))],
        used_minutes={},
    )
    # February is the 4 weeks of 7 h; March and April are at 3.5 h a week (0.5 a day).
    assert figures(rows) == [
        ("2026-02", "28.0", "0.0"),
        ("2026-03", "15.5", "0.0"),
        ("2026-04", "15.0", "0.0"),
    ]


def test_a_month_starting_mid_way_and_the_current_month_get_their_share():
    rows = hours_rows(
        start=dt.date(2026, 1, 16),
        end=dt.date(2026, 2, 7),
        steps=[Step(None, D(7))],
        used_minutes={},
    )
    assert figures(rows) == [("2026-01", "16.0", "0.0"), ("2026-02", "7.0", "0.0")]


def test_nothing_is_planned_after_the_planned_end_or_after_the_last_finite_step():
    rows = hours_rows(
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 31),
        steps=[Step(None, D(7))],
        used_minutes={},
        planned_until=dt.date(2026, 2, 10),
    )
    assert [r.planned for r in rows] == [D("31.0"), D("10.0"), D("0.0")]
    finite = hours_rows(
        start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 28), steps=[Step(1, D(7))], used_minutes={}
    )
    assert [r.planned for r in finite] == [D("7.0"), D("0.0")]


def test_the_whole_taper_adds_up():
    steps = [Step(4, D(6)), Step(8, D(4)), Step(6, D(2))]
    rows = hours_rows(
        start=dt.date(2026, 1, 7), end=dt.date(2026, 8, 1), steps=steps, used_minutes={}
    )
    assert sum(r.planned for r in rows) == D(4 * 6 + 8 * 4 + 6 * 2)


def row(month: int, planned: str, used: str) -> MonthRow:
    return MonthRow(month=dt.date(2026, month, 1), planned=D(planned), used=D(used))


def test_the_warning_looks_at_the_last_full_month():
    rows = [row(1, "24", "24"), row(2, "16", "20.5"), row(3, "8", "30")]
    # 18 March: February is the last full month; 20.5 > 16 × 1.25 = 20.
    warning = taper_warning(rows, today=dt.date(2026, 3, 18))
    assert warning is not None
    assert warning.month == dt.date(2026, 2, 1)
    assert warning.percent_over == 28
    # Exactly 25 % over is still within the plan; March, not yet over, does not count.
    assert (
        taper_warning([row(2, "16", "20"), row(3, "8", "30")], today=dt.date(2026, 3, 18)) is None
    )
    # Before any month is over there is nothing to warn about.
    assert taper_warning([row(3, "8", "30")], today=dt.date(2026, 3, 31)) is None


def test_used_hours_with_nothing_planned_is_a_warning_without_a_percentage():
    warning = taper_warning([row(2, "0", "3")], today=dt.date(2026, 3, 1))
    assert warning is not None and warning.percent_over is None


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def test_the_svg_is_valid_xml_with_title_desc_and_the_figures():
    rows = [row(1, "24", "26"), row(2, "16", "12.5"), row(3, "8", "0")]
    svg = hours_chart_svg(title="Timer pr. måned: § 32 & <stk. 1>", rows=rows, id_prefix="t-1")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "t-1-title t-1-desc"
    assert root.find(f"{SVG}title").get("id") == "t-1-title"
    assert root.find(f"{SVG}title").text == "Timer pr. måned: § 32 & <stk. 1>"
    desc = root.find(f"{SVG}desc").text
    assert "planlagt i alt 48 timer, brugt i alt 38,5 timer" in desc
    assert "februar 2026: planlagt 16, brugt 12,5." in desc
    bars = root.findall(f".//{SVG}g[@class='used']/{SVG}rect")
    assert len(bars) == 3
    assert [b.find(f"{SVG}title").text for b in bars][1] == (
        "februar 2026: brugt 12,5 timer (planlagt 16)"
    )
    markers = root.findall(f".//{SVG}g[@class='planned']/{SVG}path")
    assert len(markers) == 3
    # Heights: the tallest bar (26 h) is taller than the 12.5 h one; 0 h has no height.
    heights = [float(b.get("height")) for b in bars]
    assert heights[0] > heights[1] > heights[2] == 0
    assert "<script" not in svg and "style=" not in svg


def test_the_svg_is_deterministic_and_has_a_narrow_variant():
    rows = [row(m, "10", str(m)) for m in range(1, 13)]
    assert hours_chart_svg(title="T", rows=rows) == hours_chart_svg(title="T", rows=rows)
    narrow = parse(hours_chart_svg(title="T", rows=rows, width=330, height=280))
    assert narrow.get("width") == "330"
    labels = narrow.findall(f".//{SVG}text[@class='month-label']")
    assert 1 < len(labels) < 12  # some labels left out where they would overlap


def test_an_empty_chart_says_so():
    root = parse(hours_chart_svg(title="Ingen", rows=[]))
    assert "Ingen måneder at vise endnu" in ET.tostring(root, encoding="unicode")


def test_a_bad_id_prefix_is_refused():
    with pytest.raises(ValueError):
        hours_chart_svg(title="T", rows=[], id_prefix="1 bad")


@pytest.mark.parametrize(
    ("value", "text"),
    [(D("12.0"), "12"), (D("12.5"), "12,5"), (D("0.04"), "0"), (D("3.25"), "3,3")],
)
def test_hours_are_written_the_danish_way(value, text):
    assert format_hours(value) == text


def test_the_current_month_counted_to_today_is_labelled_so_far():
    """The current month is compared with the plan's share of the days so far, and says so
    in the table's figures, the chart (an "hidtil" under its name) and the chart's words."""
    today = dt.date(2026, 12, 7)
    rows = hours_rows(
        start=dt.date(2026, 10, 1),
        end=today,
        steps=[Step(None, D(7))],
        used_minutes={},
        today=today,
    )
    assert [r.so_far for r in rows] == [None, None, today]
    assert rows[-1].planned == D("7.0")  # seven days of an hour a day, not December's 31
    assert rows[-1].so_far_note == "hidtil i december (til og med 7.)"
    svg = hours_chart_svg(title="Timer", rows=rows)
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "so-far-label"]
    assert labels == ["hidtil"]
    desc = root.find(f"{SVG}desc").text
    assert "december 2026 hidtil (til og med 7.): planlagt 7, brugt 0." in desc
    narrow = hours_chart_svg(title="Timer", rows=rows, width=330, height=280, id_prefix="n")
    assert "so-far-label" in narrow


def test_a_month_that_is_over_or_an_ended_measure_is_not_so_far():
    last_day = dt.date(2026, 11, 30)
    rows = hours_rows(
        start=dt.date(2026, 11, 1), end=last_day, steps=[], used_minutes={}, today=last_day
    )
    assert rows[-1].so_far is None
    ended = hours_rows(
        start=dt.date(2026, 11, 1),
        end=dt.date(2026, 12, 3),
        steps=[],
        used_minutes={},
        today=dt.date(2026, 12, 7),
    )
    assert ended[-1].so_far is None
    assert hours_rows(start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 7), steps=[],
                      used_minutes={})[-1].so_far is None  # fmt: skip


def test_the_y_axis_reaches_above_the_highest_figure():
    rows = [MonthRow(month=dt.date(2026, 11, 1), planned=D("12.9"), used=D("12"))]
    root = ET.fromstring(hours_chart_svg(title="Timer", rows=rows))  # noqa: S314 - our own output
    ticks = [t.text for g in root.iter(f"{SVG}g") if g.get("class") == "y-labels" for t in g]
    assert ticks[-1] == "15"  # not 10, with the planned line drawn above the chart
