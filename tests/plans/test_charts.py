"""The scaling chart (plans/charts.py): a pure, accessible, deterministic SVG."""

import datetime as dt
import math
import re
import xml.etree.ElementTree as ET

import pytest

from plans.charts import (
    SERIES_COLOURS,
    Point,
    RatingRow,
    Series,
    rating_chart_svg,
    rating_table_rows,
)

SVG = "{http://www.w3.org/2000/svg}"
XMLNS_DECLARATION = 'xmlns="http://www.w3.org/2000/svg"'
D = dt.date
FIRST_ROUND = D(2026, 1, 5)
FOUR_DATES = [D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 12), D(2026, 5, 1)]


def series_of(label, values, dates=FOUR_DATES):
    return Series(label, [Point(on, v) for on, v in zip(dates, values, strict=False)])


def family():
    return [
        series_of("Mor", [3, 4, 6, 7]),
        series_of("Far", [2, 4, 4, 6]),
        series_of("Emma", [2, 5, 3, 6]),
    ]


def twenty_rounds(start=FIRST_ROUND, steps=None):
    steps = steps or [7] * 8 + [14] * 6 + [30] * 5
    dates = [start]
    for days in steps:
        dates.append(dates[-1] + dt.timedelta(days=days))
    assert len(dates) == 20
    return dates


def chart(series, **kwargs):
    kwargs.setdefault("title", "Hvor godt går det derhjemme?")
    svg = rating_chart_svg(series=series, **kwargs)
    return svg, ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def by_class(root, name):
    return [el for el in root.iter() if name in el.get("class", "").split()]


def polyline_points(polyline):
    return [tuple(map(float, pair.split(","))) for pair in polyline.get("points").split()]


def gridline_ys(root):
    return sorted(float(line.get("y1")) for line in by_class(root, "grid-line"))


def marker_signature(marker):
    """The marker's shape, independent of where it is drawn."""
    tag = marker.tag.removeprefix(SVG)
    if tag == "circle":
        return ("circle",)
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", marker.get("d"))]
    xs, ys = numbers[0::2], numbers[1::2]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    return (tag, *((round(x - cx, 1), round(y - cy, 1)) for x, y in zip(xs, ys, strict=True)))


def marker_centre_x(marker):
    if marker.get("cx"):
        return float(marker.get("cx"))
    xs = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", marker.get("d"))][0::2]
    return round(sum(xs) / len(xs), 1)  # every shape is symmetric left to right


def contrast_against_white(colour):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


# --- structure and accessibility -----------------------------------------------------------


def test_output_is_valid_svg_with_title_and_desc_referenced_by_aria():
    _, root = chart(family(), id_prefix="scaling-7")

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "scaling-7-title scaling-7-desc"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.get("id") == "scaling-7-title"
    assert title.text == "Hvor godt går det derhjemme?"
    assert desc.get("id") == "scaling-7-desc"
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids)) == 2
    assert root.get("font-family") == "system-ui, sans-serif"


def test_two_charts_on_one_page_get_different_ids():
    _, first = chart(family(), id_prefix="chart-mor")
    _, second = chart(family(), id_prefix="chart-emma")
    first_ids = {el.get("id") for el in first.iter() if el.get("id")}
    second_ids = {el.get("id") for el in second.iter() if el.get("id")}
    assert first_ids.isdisjoint(second_ids)


@pytest.mark.parametrize("prefix", ["", "1chart", 'x" onload="alert(1)', "a b"])
def test_unsafe_id_prefix_is_refused(prefix):
    with pytest.raises(ValueError):
        rating_chart_svg(title="t", series=family(), id_prefix=prefix)


def test_desc_summarises_the_development_in_danish():
    series = [
        Series("Mor", [Point(D(2026, 2, 1), 3), Point(D(2026, 5, 1), 7)]),
        series_of("Emma", [2, 8, 5, 6]),
        Series("Far", [Point(D(2026, 3, 1), 4)]),
        Series("Mormor", []),
    ]
    _, root = chart(series, description="Skaleringer fra netværksmøderne.")
    desc = root.find(f"{SVG}desc").text

    assert desc.startswith("Skaleringer fra netværksmøderne. ")
    assert "10 er godt nok til at afslutte" in desc
    assert "Mor: fra 3 den 01.02.2026 til 7 den 01.05.2026 (2 skaleringer)." in desc
    assert (
        "Emma: fra 2 den 01.02.2026 til 6 den 01.05.2026 (4 skaleringer, "
        "højest 8 den 01.03.2026)." in desc
    )
    assert "Far: 4 den 01.03.2026." in desc
    assert "Mormor: ingen skaleringer." in desc


# --- drawing -------------------------------------------------------------------------------


def test_one_polyline_per_series_with_one_vertex_per_answer():
    series = [*family(), Series("Lærer", [Point(D(2026, 3, 1), 5), Point(D(2026, 5, 1), 6)])]
    _, root = chart(series)

    groups = by_class(root, "series")
    assert len(groups) == 4
    for group, one in zip(groups, series, strict=True):
        (polyline,) = group.findall(f"{SVG}polyline")
        assert len(polyline_points(polyline)) == len(one.points)
        assert len(by_class(group, "marker")) == len(one.points)


def test_y_axis_maps_0_to_the_bottom_and_10_to_the_top():
    series = [series_of("Mor", [0, 5, 10, 3])]
    _, root = chart(series)

    grid = gridline_ys(root)
    assert len(grid) == 11  # a gridline at every integer 0–10
    top, bottom = grid[0], grid[-1]
    ys = [y for _, y in polyline_points(by_class(root, "line")[0])]
    assert ys[0] == bottom
    assert ys[2] == top
    assert ys[1] == pytest.approx((top + bottom) / 2, abs=0.1)
    assert ys[3] == pytest.approx(bottom - 0.3 * (bottom - top), abs=0.1)
    good_enough = by_class(root, "good-enough")[0]
    assert float(good_enough.get("y1")) == top
    assert good_enough.get("stroke-dasharray")
    assert by_class(root, "good-enough-label")[0].text == "Godt nok"
    y_labels = [t.text for t in by_class(root, "y-labels")[0]]
    assert y_labels == ["0", "2", "4", "6", "8", "10"]


def test_time_runs_proportionally_left_to_right():
    _, root = chart([series_of("Mor", [3, 4, 6, 7])])
    xs = [x for x, _ in polyline_points(by_class(root, "line")[0])]
    assert xs == sorted(xs)
    # 1 Feb → 1 Mar is 28 days, 1 Mar → 12 Apr is 42 days.
    assert (xs[2] - xs[1]) / (xs[1] - xs[0]) == pytest.approx(42 / 28, rel=0.02)


def test_each_series_has_its_own_marker_shape_and_colour():
    series = [series_of(f"Deltager {n}", [n % 11, 5, 6, 7]) for n in range(8)]
    _, root = chart(series)

    groups = by_class(root, "series")
    shapes = [marker_signature(by_class(g, "marker")[0]) for g in groups]
    colours = [g.get("fill") for g in groups]
    assert len(set(shapes)) == 8
    assert len(set(colours)) == 8
    for group in groups:
        # Within a series every marker has the same shape.
        assert len({marker_signature(m) for m in by_class(group, "marker")}) == 1


def test_beyond_the_palette_colour_and_shape_pairs_stay_unique():
    series = [series_of(f"Deltager {n}", [5, 5, 5, 5]) for n in range(12)]
    _, root = chart(series)
    pairs = {
        (g.get("fill"), marker_signature(by_class(g, "marker")[0]))
        for g in by_class(root, "series")
    }
    assert len(pairs) == 12


def test_series_colours_have_at_least_3_to_1_contrast_against_white():
    for colour in SERIES_COLOURS:
        assert contrast_against_white(colour) >= 3, colour


def test_legend_lists_each_series_with_its_marker():
    series = family()
    _, root = chart(series)
    legend = by_class(root, "legend")[0]
    assert [t.text for t in by_class(legend, "legend-label")] == ["Mor", "Far", "Emma"]
    legend_shapes = [marker_signature(m) for m in by_class(legend, "marker")]
    line_shapes = [marker_signature(by_class(g, "marker")[0]) for g in by_class(root, "series")]
    assert legend_shapes == line_shapes


def test_a_single_round_still_shows_every_answer():
    one_round = [Series(name, [Point(D(2026, 2, 1), 3)]) for name in ("Mor", "Far", "Emma")]
    _, root = chart(one_round)

    markers = [m for g in by_class(root, "series") for m in by_class(g, "marker")]
    assert len(markers) == 3
    # Equal answers on the same date are nudged apart so none hides the other.
    assert len({marker_centre_x(m) for m in markers}) == 3
    assert [t.text for t in by_class(root, "date-label")] == ["01.02.2026"]


@pytest.mark.parametrize("series", [[], [Series("Mor", []), Series("Far", [])]])
def test_no_answers_gives_a_readable_text_instead_of_an_empty_chart(series):
    svg, root = chart(series)
    assert [t.text for t in by_class(root, "empty")] == ["Ingen skaleringer endnu"]
    assert not by_class(root, "series")
    assert "<polyline" not in svg
    assert root.find(f"{SVG}desc").text.startswith("Ingen skaleringer endnu")


@pytest.mark.parametrize("value", [11, -1, 7.5, True, "5"])
def test_answers_outside_the_scale_are_refused(value):
    with pytest.raises(ValueError):
        rating_chart_svg(title="t", series=[Series("Mor", [Point(D(2026, 2, 1), value)])])


def test_two_answers_from_one_person_on_one_date_are_refused():
    with pytest.raises(ValueError, match=r"01\.02\.2026"):
        Series("Mor", [Point(D(2026, 2, 1), 3), Point(D(2026, 2, 1), 4)])


def test_hostile_labels_are_escaped():
    hostile = '<Mor & "far">'
    title = "</title><script>alert(1)</script>"
    series = [series_of(hostile, [3, 4, 5, 6]), series_of("Emma\x00\x0b", [1, 2, 3, 4])]
    svg, root = chart(series, title=title, description="<b>&amp;</b>")

    assert "<script" not in svg
    assert root.find(f"{SVG}title").text == title
    assert [t.text for t in by_class(root, "legend-label")] == [hostile, "Emma"]
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("<b>&amp;</b> ")
    assert f"{hostile}: fra 3" in desc


def test_output_is_deterministic():
    first = rating_chart_svg(title="t", series=family(), id_prefix="c")
    # Fresh objects, points handed over newest first: still the same bytes.
    shuffled = [Series(s.label, list(reversed(s.points))) for s in family()]
    assert rating_chart_svg(title="t", series=shuffled, id_prefix="c") == first
    many = [
        series_of(f"P{n}", [(n + i) % 11 for i in range(20)], twenty_rounds()) for n in range(5)
    ]
    assert rating_chart_svg(title="t", series=many) == rating_chart_svg(title="t", series=many)


def test_coordinates_are_rounded_to_one_decimal():
    many = [
        series_of(f"P{n}", [(n + i) % 11 for i in range(20)], twenty_rounds()) for n in range(5)
    ]
    _, root = chart(many)
    numbers = []
    for el in root.iter():
        for attr in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "points", "d"):
            if el.get(attr):
                numbers += re.findall(r"-?[\d.]+", el.get(attr))
    assert numbers
    assert all(re.fullmatch(r"-?\d+(\.\d)?", n) for n in numbers)


def test_nothing_external_nothing_executable():
    svg, _ = chart(family())
    # A standalone SVG must name its namespace; that identifier is never fetched.
    assert svg.count("http") == 1 and XMLNS_DECLARATION in svg
    lowered = svg.replace(XMLNS_DECLARATION, "", 1).lower()
    for forbidden in ("http", "href", "<script", "url(", "@import", "foreignobject", "filter"):
        assert forbidden not in lowered, forbidden
    assert "<style" not in lowered and "var(" not in lowered


# --- date labels ---------------------------------------------------------------------------


def test_date_labels_use_the_danish_format():
    series = [Series("Mor", [Point(D(2026, 11, 22), 4), Point(D(2027, 1, 3), 6)])]
    _, root = chart(series)
    assert [t.text for t in by_class(root, "date-label")] == ["22.11.2026", "03.01.2027"]


def estimated_label_width(text, font_size):
    # Generous: 0.62 em per digit, 0.35 em per dot.
    return sum(0.35 if c == "." else 0.62 for c in text) * font_size


@pytest.mark.parametrize("width", [640, 360])
@pytest.mark.parametrize(
    "steps",
    [
        None,  # weekly, then fortnightly, then monthly
        [14] * 19,  # evenly spread
        [1] * 17 + [120, 150],  # a cluster of daily rounds and two late ones
    ],
    ids=["sparser-over-time", "even", "clustered"],
)
def test_twenty_rounds_of_date_labels_never_overlap(width, steps):
    dates = twenty_rounds(steps=steps)
    series = [series_of(f"P{n}", [(n + i) % 11 for i in range(20)], dates) for n in range(5)]
    _, root = chart(series, width=width)
    font_size = float(root.get("font-size"))

    labels = by_class(root, "date-label")
    texts = [t.text for t in labels]
    assert texts[0] == "05.01.2026"
    assert texts[-1] == f"{dates[-1]:%d.%m.%Y}"
    assert len(labels) >= 3
    if steps == [14] * 19 and width == 640:
        assert len(labels) == 20  # evenly spread rounds all keep their label
    xs = [float(t.get("x")) for t in labels]
    assert xs == sorted(xs)
    angles = {
        float(m.group(1)) if (m := re.match(r"rotate\((-?[\d.]+)", t.get("transform", ""))) else 0
        for t in labels
    }
    assert len(angles) == 1
    angle = math.radians(abs(angles.pop()))
    for i in range(len(labels) - 1):
        x0, x1, text0, text1 = xs[i], xs[i + 1], texts[i], texts[i + 1]
        if angle == 0:
            # Centred labels: half of each one's width lies between the ticks.
            half_widths = (
                estimated_label_width(text0, font_size) + estimated_label_width(text1, font_size)
            ) / 2
            assert x1 - x0 >= half_widths, (text0, x0, x1)
        else:
            # Parallel slanted labels: their perpendicular distance must exceed a line's height.
            assert (x1 - x0) * math.sin(angle) >= font_size * 1.2, (text0, x0, x1)
    for x, text in zip(xs, texts, strict=True):
        reach = estimated_label_width(text, font_size) * (math.cos(angle) if angle else 0.5)
        assert x - reach >= 0, text
        assert x + (0 if angle else reach) <= width, text


def test_every_round_keeps_a_tick_even_when_its_label_is_thinned():
    dates = twenty_rounds(steps=[1] * 17 + [120, 150])
    _, root = chart([series_of("Mor", [5] * 20, dates)])
    assert len(by_class(root, "tick")) == 20
    assert len(by_class(root, "date-label")) < 20


def test_many_legend_rows_grow_the_chart_rather_than_squeeze_the_scale():
    series = [series_of(f"Netværksperson nummer {n}", [5, 6, 7, 8]) for n in range(10)]
    _, root = chart(series, width=360, height=240)
    grid = gridline_ys(root)
    assert grid[-1] - grid[0] >= 120
    assert float(root.get("height")) > 240
    assert root.get("viewBox") == f"0 0 360 {root.get('height')}"


# --- the table beside the chart ------------------------------------------------------------


def test_table_rows_hold_the_same_figures_with_gaps_as_none():
    series = [
        Series("Mor", [Point(D(2026, 3, 1), 4), Point(D(2026, 2, 1), 3)]),
        Series("Emma", [Point(D(2026, 4, 12), 6)]),
        Series("Far", []),
    ]
    dates, rows = rating_table_rows(series)

    assert dates == [D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 12)]
    assert rows == [
        RatingRow("Mor", [3, 4, None]),
        RatingRow("Emma", [None, None, 6]),
        RatingRow("Far", [None, None, None]),
    ]
    assert rows[0].label == "Mor" and rows[0].values == [3, 4, None]
    assert rating_table_rows([]) == ([], [])
