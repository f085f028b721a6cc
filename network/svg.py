"""The network map (netværkskort) drawn as SVG on the server.

A pure function with no model imports: the caller turns network members into ``MapMember``
and gets back an SVG string that the network page embeds inline, the map's own URL serves,
and the plan's print view and the closing letter's PDF embed. Plain SVG 1.1 without
CSS, scripts or ``<use>``, and deterministic: the same input gives the same bytes.

The child sits in the centre; three concentric circles show closeness (1 is closest); five
sectors show the parts of the child's life. Each member is a marker with the name beside it,
inside its own cell (sector × circle). Labels never overlap: each label box is kept wholly
inside its cell, so only labels of the same cell can collide, and they are placed one by one
on the free spot nearest to an evenly spread ideal position. When a cell is crowded its
labels get a smaller font, then wrap onto two lines, and as a last resort a member gets a
number beside its marker and its name in a legend under the map.

Accessibility: ``role="img"`` with ``<title>`` and a ``<desc>`` that lists the whole map in
words; every member has its own ``<title>``; each sector has its own colour (≥ 4.5:1 against
white) *and* marker shape, shown in the sector's label, so colour is never the only cue.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext, ngettext

# The same escaping and id check as the plan's scaling chart.
from plans.charts import _ID_PREFIX_RE
from plans.charts import _text as _xml

SIZE = 960
CENTRE = SIZE / 2
RINGS = (56.0, 190.0, 320.0, 452.0)  # the child's disc, then the outer edge of circles 1–3
SECTORS = ("family", "relatives", "friends", "school", "professionals")
SECTOR_SPAN = 360.0 / len(SECTORS)
START_ANGLE = -90.0  # the first sector starts at the top and they go clockwise

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Arial, sans-serif"
FONT_SIZES = (17.0, 15.0, 13.0)
SECTOR_FONT_SIZE = 17.0
MARKER_R = 8.0  # half the marker's size
GAP = 4.0  # between a marker and its text
PAD = 2.0  # kept free around every label box
EDGE = 3.0  # kept free inside a cell's lines
RADIUS_STEP = 5.0
ARC_STEP = 6.0
LEGEND_ROW = 22.0

TEXT_COLOUR = "#222222"
LINE_COLOUR = "#767676"  # 4.5:1 against white
CHILD_FILL = "#fff4d6"
# Colour and shape per sector; every colour has at least 4.5:1 contrast against white.
STYLE: dict[str, tuple[str, str]] = {
    "family": ("#1f5fa8", "circle"),
    "relatives": ("#8a4b00", "square"),
    "friends": ("#1c7a45", "triangle"),
    "school": ("#7b3fa0", "diamond"),
    "professionals": ("#a32020", "hexagon"),
}


@dataclass(frozen=True)
class MapMember:
    """One person on the map. ``key`` is stable (the member's id), used for order and ids."""

    key: int
    name: str
    sector: str
    circle: int
    relation: str = ""

    def __post_init__(self) -> None:
        if self.sector not in SECTORS:
            raise ValueError(f"unknown sector {self.sector!r}")
        if self.circle not in (1, 2, 3):
            raise ValueError(f"circle must be 1, 2 or 3, got {self.circle!r}")


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return not (
            self.x1 + PAD <= other.x0
            or other.x1 + PAD <= self.x0
            or self.y1 + PAD <= other.y0
            or other.y1 + PAD <= self.y0
        )

    @property
    def corners(self) -> tuple[tuple[float, float], ...]:
        return ((self.x0, self.y0), (self.x1, self.y0), (self.x0, self.y1), (self.x1, self.y1))


@dataclass(frozen=True)
class Placed:
    """A member as drawn: marker centre, text lines, font size, the box it all takes."""

    member: MapMember
    x: float
    y: float
    lines: tuple[str, ...]
    font_size: float
    anchor_right: bool  # text to the right of the marker (else to the left)
    box: Box
    number: int = 0  # > 0: only a number here, the name is in the legend


@dataclass
class Layout:
    placed: list[Placed] = field(default_factory=list)
    sector_labels: list[tuple[str, float, float, Box, tuple[str, ...]]] = field(
        default_factory=list
    )

    @property
    def legend(self) -> list[Placed]:
        return [p for p in self.placed if p.number]


# --- measuring text ---------------------------------------------------------------------------

_NARROW = set("ijlI.,;:!|'ftr()[] ")
_WIDE = set("mwMWÆæ@%")


def text_width(text: str, font_size: float) -> float:
    """An upper estimate of the rendered width of ``text`` in a sans-serif font."""
    units = 0.0
    for char in text:
        if char in _NARROW:
            units += 0.34
        elif char in _WIDE:
            units += 0.9
        elif char.isupper() or char.isdigit():
            units += 0.68
        else:
            units += 0.57
    return units * font_size * 1.04


def wrap_two(text: str) -> tuple[str, ...]:
    """``text`` on two lines, split at the space nearest its middle (one line if none)."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    if not spaces:
        return (text,)
    middle = len(text) / 2
    cut = min(spaces, key=lambda i: (abs(i - middle), i))
    return (text[:cut].strip(), text[cut + 1 :].strip())


def truncate(text: str, font_size: float, width: float) -> str:
    if text_width(text, font_size) <= width:
        return text
    while text and text_width(text + "…", font_size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# --- geometry ---------------------------------------------------------------------------------


def sector_angles(index: int) -> tuple[float, float]:
    start = START_ANGLE + index * SECTOR_SPAN
    return math.radians(start), math.radians(start + SECTOR_SPAN)


def point_at(radius: float, angle: float) -> tuple[float, float]:
    return CENTRE + radius * math.cos(angle), CENTRE + radius * math.sin(angle)


@dataclass(frozen=True)
class Cell:
    sector: int
    circle: int

    @property
    def r_in(self) -> float:
        return RINGS[self.circle - 1]

    @property
    def r_out(self) -> float:
        return RINGS[self.circle]

    @property
    def angles(self) -> tuple[float, float]:
        return sector_angles(self.sector)

    def contains(self, box: Box) -> bool:
        """The whole box lies inside the cell, ``EDGE`` away from its lines."""
        a0, a1 = self.angles
        u0 = (math.cos(a0), math.sin(a0))
        u1 = (math.cos(a1), math.sin(a1))
        for x, y in box.corners:
            qx, qy = x - CENTRE, y - CENTRE
            if math.hypot(qx, qy) > self.r_out - EDGE:
                return False
            # Signed distances from the sector's two boundary rays (the span is < 180°).
            if u0[0] * qy - u0[1] * qx < EDGE or qx * u1[1] - qy * u1[0] < EDGE:
                return False
        dx = max(box.x0 - CENTRE, 0.0, CENTRE - box.x1)
        dy = max(box.y0 - CENTRE, 0.0, CENTRE - box.y1)
        return math.hypot(dx, dy) >= self.r_in + EDGE

    def candidates(self) -> list[tuple[float, float, float, float]]:
        """Points in the cell as (x, y, radius fraction, angle fraction), in a fixed order."""
        a0, a1 = self.angles
        result = []
        radius = self.r_in + MARKER_R + EDGE
        while radius <= self.r_out - MARKER_R - EDGE:
            steps = max(int(radius * (a1 - a0) / ARC_STEP), 1)
            for step in range(steps + 1):
                t = step / steps
                x, y = point_at(radius, a0 + t * (a1 - a0))
                result.append((x, y, (radius - self.r_in) / (self.r_out - self.r_in), t))
            radius += RADIUS_STEP
        return result


def label_box(x: float, y: float, lines: Sequence[str], font_size: float, right: bool) -> Box:
    line_height = font_size * 1.2
    width = max((text_width(line, font_size) for line in lines), default=0.0)
    height = max(line_height * len(lines), 2 * MARKER_R)
    if right:
        x0, x1 = x - MARKER_R, x + MARKER_R + GAP + width
    else:
        x0, x1 = x - MARKER_R - GAP - width, x + MARKER_R
    return Box(x0, y - height / 2, x1, y + height / 2)


def _ideal(index: int, count: int) -> tuple[float, float]:
    """Where the ``index``-th of ``count`` labels in a cell would ideally go (fractions of the
    cell's depth and angle): spread along the arc, staggered in depth when there are many."""
    t = (index + 0.5) / count
    if count <= 2:
        depth = 0.5
    elif count <= 6:
        depth = (0.32, 0.68)[index % 2]
    else:
        depth = (0.2, 0.5, 0.8)[index % 3]
    return depth, t


def _within_map(box: Box) -> bool:
    """Inside the drawing, and clear of the child's disc."""
    if box.x0 < EDGE or box.y0 < EDGE or box.x1 > SIZE - EDGE or box.y1 > SIZE - EDGE:
        return False
    dx = max(box.x0 - CENTRE, 0.0, CENTRE - box.x1)
    dy = max(box.y0 - CENTRE, 0.0, CENTRE - box.y1)
    return math.hypot(dx, dy) >= RINGS[0] + EDGE


def _free(box: Box, taken: Sequence[Box]) -> bool:
    return not any(box.overlaps(other) for other in taken)


SLACK = 40.0  # px a label may move further from its ideal spot to stay wholly inside its cell


def _ordered(
    cell: Cell, spots: Sequence[tuple[float, float, float, float]], index: int, count: int
) -> list[tuple[float, float, float, float, float]]:
    """The cell's spots nearest first to the ``index``-th of ``count`` ideal positions, with
    their distance (px) from it."""
    depth_span = cell.r_out - cell.r_in
    arc_span = (cell.angles[1] - cell.angles[0]) * (cell.r_in + cell.r_out) / 2
    want_depth, want_t = _ideal(index, count)
    return sorted(
        (
            math.hypot((d - want_depth) * depth_span, (t - want_t) * arc_span),
            x,
            y,
            d,
            t,
        )
        for x, y, d, t in spots
    )


def _place_cell(
    cell: Cell,
    spots: Sequence[tuple[float, float, float, float]],
    members: Sequence[MapMember],
    taken: Sequence[Box],
    font_size: float,
    wrap: bool,
    partial: bool = False,
) -> list[Placed] | None:
    """Every member of the cell with its name at ``font_size``, or None if one does not fit.

    The marker is always inside the cell. The label preferably is too; it may reach over a
    line into a neighbouring cell (never over another label, marker or sector name) when
    that keeps it close to its ideal spot. ``partial``: leave out those that do not fit
    instead of giving up."""
    boxes: list[Box] = list(taken)
    placed: list[Placed] = []
    for index, member in enumerate(members):
        lines = wrap_two(member.name) if wrap else (member.name,)
        loose: tuple[float, Placed] | None = None
        chosen: Placed | None = None
        for distance, x, y, _d, _t in _ordered(cell, spots, index, len(members)):
            if loose is not None and distance > loose[0] + SLACK:
                break
            right = x >= CENTRE
            for side in (right, not right):
                box = label_box(x, y, lines, font_size, side)
                if not _within_map(box) or not _free(box, boxes):
                    continue
                spot = Placed(member, x, y, lines, font_size, side, box)
                if cell.contains(box):
                    chosen = spot
                    break
                if loose is None:
                    loose = (distance, spot)
            if chosen is not None:
                break
        if chosen is None and loose is not None:
            chosen = loose[1]
        if chosen is None:
            if not partial:
                return None
            continue
        boxes.append(chosen.box)
        placed.append(chosen)
    return placed


def _place_numbers(
    cell: Cell,
    spots: Sequence[tuple[float, float, float, float]],
    members: Sequence[MapMember],
    taken: Sequence[Box],
    first_number: int,
) -> list[Placed]:
    """The last resort for a crowded cell: markers with a number, names in the legend."""
    font_size = FONT_SIZES[-1]
    boxes: list[Box] = list(taken)
    placed: list[Placed] = []
    for index, member in enumerate(members):
        number = first_number + index
        lines = (str(number),)
        ordered = _ordered(cell, spots, index, len(members))
        chosen = None
        for _distance, x, y, _d, _t in ordered:
            box = label_box(x, y, lines, font_size, True)
            if _within_map(box) and _free(box, boxes):
                chosen = Placed(member, x, y, lines, font_size, True, box, number=number)
                break
        if chosen is None:  # not even a number fits: overlap rather than lose the person
            _distance, x, y, _d, _t = ordered[0]
            box = label_box(x, y, lines, font_size, True)
            chosen = Placed(member, x, y, lines, font_size, True, box, number=number)
        boxes.append(chosen.box)
        placed.append(chosen)
    return placed


def marker_spots(cell: Cell) -> list[tuple[float, float, float, float]]:
    """The cell's candidate points where a whole marker fits inside the cell."""
    return [
        spot
        for spot in cell.candidates()
        if cell.contains(
            Box(spot[0] - MARKER_R, spot[1] - MARKER_R, spot[0] + MARKER_R, spot[1] + MARKER_R)
        )
    ]


def _sector_label(index: int, label: str) -> tuple[float, float, Box, tuple[str, ...]]:
    """The sector's name (with its marker) near the outer edge of the sector's outer cell."""
    cell = Cell(index, 3)
    a0, a1 = cell.angles
    middle = (a0 + a1) / 2
    for lines in ((label,), wrap_two(label)):
        radius = cell.r_out - EDGE
        while radius > cell.r_in:
            x, y = point_at(radius, middle)
            box = _sector_label_box(x, y, lines)
            if cell.contains(box):
                return x, y, box, lines
            radius -= 2
    x, y = point_at((cell.r_in + cell.r_out) / 2, middle)
    return x, y, _sector_label_box(x, y, (label,)), (label,)


def _sector_label_box(x: float, y: float, lines: Sequence[str]) -> Box:
    width = 2 * MARKER_R + GAP + max(text_width(line, SECTOR_FONT_SIZE) for line in lines)
    height = max(SECTOR_FONT_SIZE * 1.25 * len(lines), 2 * MARKER_R)
    return Box(x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def circle_number_position(circle: int) -> tuple[float, float]:
    """The circle's number, just inside its ring beside the line between the last and the
    first sector (at the top)."""
    x, y = point_at(RINGS[circle] - 10, math.radians(START_ANGLE))
    return x - 6, y


def circle_number_box(circle: int) -> Box:
    x, y = circle_number_position(circle)
    return Box(x - 11, y - 9, x + 1, y + 9)


def layout(members: Sequence[MapMember], sector_labels: dict[str, str]) -> Layout:
    """Where everything goes. Deterministic: members are ordered by sector, circle, name, key."""
    result = Layout()
    reserved: dict[Cell, list[Box]] = {}
    for index, sector in enumerate(SECTORS):
        x, y, box, lines = _sector_label(index, sector_labels.get(sector, sector))
        result.sector_labels.append((sector, x, y, box, lines))
        reserved.setdefault(Cell(index, 3), []).append(box)
    for circle in (1, 2, 3):
        reserved.setdefault(Cell(len(SECTORS) - 1, circle), []).append(circle_number_box(circle))
    by_cell: dict[Cell, list[MapMember]] = {}
    for member in sorted(members, key=lambda m: (m.sector, m.circle, m.name.casefold(), m.key)):
        cell = Cell(SECTORS.index(member.sector), member.circle)
        by_cell.setdefault(cell, []).append(member)
    taken: list[Box] = [box for boxes in reserved.values() for box in boxes]
    number = 1
    for cell in sorted(by_cell, key=lambda c: (c.sector, c.circle)):
        cell_members = by_cell[cell]
        spots = marker_spots(cell)
        placed = None
        for font_size in FONT_SIZES:
            for wrap in (False, True):
                placed = _place_cell(cell, spots, cell_members, taken, font_size, wrap)
                if placed is not None:
                    break
            if placed is not None:
                break
        if placed is None:
            # Numbers are small: the whole cell gets them, the names go in the legend.
            placed = _place_numbers(cell, spots, cell_members, taken, number)
            number += len(cell_members)
        taken.extend(p.box for p in placed)
        result.placed.extend(placed)
    return result


# --- drawing ----------------------------------------------------------------------------------


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def marker(shape: str, x: float, y: float, colour: str, r: float = MARKER_R) -> str:
    stroke = f'fill="{colour}" stroke="#ffffff" stroke-width="1.5"'
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" {stroke}/>'
    if shape == "square":
        s = r * 0.9
        return (
            f'<rect x="{_n(x - s)}" y="{_n(y - s)}" width="{_n(2 * s)}" '
            f'height="{_n(2 * s)}" {stroke}/>'
        )
    if shape == "triangle":
        points = [(x, y - r), (x + r, y + r * 0.8), (x - r, y + r * 0.8)]
    elif shape == "diamond":
        points = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    else:  # hexagon
        points = [point_rel(x, y, r, 30 + 60 * i) for i in range(6)]
    coords = " ".join(f"{_n(px)},{_n(py)}" for px, py in points)
    return f'<polygon points="{coords}" {stroke}/>'


def point_rel(x: float, y: float, r: float, degrees: float) -> tuple[float, float]:
    angle = math.radians(degrees)
    return x + r * math.cos(angle), y + r * math.sin(angle)


def _text_lines(
    x: float, y: float, lines: Sequence[str], font_size: float, anchor: str, weight: str = ""
) -> str:
    line_height = font_size * 1.2
    top = y - line_height * (len(lines) - 1) / 2
    attrs = f'font-size="{_n(font_size)}" text-anchor="{anchor}" fill="{TEXT_COLOUR}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    if len(lines) == 1:
        return f'<text x="{_n(x)}" y="{_n(top)}" dy="0.35em" {attrs}>{_xml(lines[0])}</text>'
    spans = "".join(
        f'<tspan x="{_n(x)}" y="{_n(top + i * line_height)}" dy="0.35em">{_xml(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f"<text {attrs}>{spans}</text>"


def describe(
    child_name: str,
    members: Sequence[MapMember],
    sector_labels: dict[str, str],
    circle_labels: dict[int, str],
) -> str:
    """The whole map in words, sector by sector, closest first."""
    parts = [
        ngettext(
            "%(child)s i midten og %(count)d person på kortet.",
            "%(child)s i midten og %(count)d personer på kortet.",
            len(members),
        )
        % {"child": child_name, "count": len(members)}
    ]
    for sector in SECTORS:
        in_sector = [m for m in members if m.sector == sector]
        if not in_sector:
            parts.append(gettext("%(sector)s: ingen.") % {"sector": sector_labels[sector]})
            continue
        groups = []
        for circle in (1, 2, 3):
            names = sorted(
                (m for m in in_sector if m.circle == circle), key=lambda m: (m.name, m.key)
            )
            if names:
                who = ", ".join(f"{m.name} ({m.relation})" if m.relation else m.name for m in names)
                groups.append(f"{circle_labels[circle]}: {who}")
        parts.append(f"{sector_labels[sector]}: {'; '.join(groups)}.")
    return " ".join(parts)


def network_map_svg(
    *,
    child_name: str,
    members: Sequence[MapMember],
    title: str,
    sector_labels: dict[str, str],
    circle_labels: dict[int, str],
    id_prefix: str = "netvaerkskort",
) -> str:
    """A standalone SVG of the network map (see the module's docstring). The same input
    gives the same bytes, so drawings are kept in a small in-process cache."""
    if not _ID_PREFIX_RE.match(id_prefix):
        raise ValueError(f"id_prefix must be a valid XML id start, got {id_prefix!r}")
    return _cached_svg(
        get_language() or "",
        child_name,
        tuple(members),
        title,
        tuple(sorted(sector_labels.items())),
        tuple(sorted(circle_labels.items())),
        id_prefix,
    )


@functools.lru_cache(maxsize=128)
def _cached_svg(
    _language: str,
    child_name: str,
    members: tuple[MapMember, ...],
    title: str,
    sector_items: tuple[tuple[str, str], ...],
    circle_items: tuple[tuple[int, str], ...],
    id_prefix: str,
) -> str:
    sector_labels = dict(sector_items)
    circle_labels = dict(circle_items)
    plan = layout(members, sector_labels)
    legend = plan.legend
    height = SIZE + (math.ceil(len(legend) / 2) * LEGEND_ROW + 30 if legend else 0)
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{SIZE}" '
        f'height="{_n(height)}" viewBox="0 0 {SIZE} {_n(height)}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="{_xml(FONT_FAMILY)}" '
        f'class="network-map">',
        f'<title id="{title_id}">{_xml(title)}</title>',
        f'<desc id="{desc_id}">'
        f"{_xml(describe(child_name, members, sector_labels, circle_labels))}</desc>",
        f'<rect x="0" y="0" width="{SIZE}" height="{_n(height)}" fill="#ffffff"/>',
        '<g class="rings" fill="none" stroke-width="1.5">',
    ]
    for index, radius in enumerate(reversed(RINGS[1:])):
        fill = ("#f7f7f7", "#fbfbfb", "#ffffff")[index]
        out.append(
            f'<circle cx="{_n(CENTRE)}" cy="{_n(CENTRE)}" r="{_n(radius)}" '
            f'fill="{fill}" stroke="{LINE_COLOUR}"/>'
        )
    for index in range(len(SECTORS)):
        a0, _a1 = sector_angles(index)
        x0, y0 = point_at(RINGS[0], a0)
        x1, y1 = point_at(RINGS[-1], a0)
        out.append(
            f'<line x1="{_n(x0)}" y1="{_n(y0)}" x2="{_n(x1)}" y2="{_n(y1)}" '
            f'stroke="{LINE_COLOUR}" stroke-dasharray="6 4"/>'
        )
    out.append("</g>")
    # Circle numbers on the rings, just above where the first sector line crosses them.
    out.append(f'<g class="circle-numbers" font-size="14" fill="{TEXT_COLOUR}">')
    for circle in (1, 2, 3):
        x, y = circle_number_position(circle)
        out.append(f'<text x="{_n(x)}" y="{_n(y)}" dy="0.35em" text-anchor="end">{circle}</text>')
    out.append("</g>")
    out.append('<g class="sectors">')
    for sector, _x, y, box, lines in plan.sector_labels:
        colour, shape = STYLE[sector]
        mx = box.x0 + MARKER_R
        out.append(marker(shape, mx, y, colour))
        out.append(
            _text_lines(mx + MARKER_R + GAP, y, lines, SECTOR_FONT_SIZE, "start", weight="bold")
        )
    out.append("</g>")
    out.append('<g class="child">')
    out.append(
        f'<circle cx="{_n(CENTRE)}" cy="{_n(CENTRE)}" r="{_n(RINGS[0] - 4)}" '
        f'fill="{CHILD_FILL}" stroke="{TEXT_COLOUR}" stroke-width="2"/>'
    )
    child_lines = tuple(
        truncate(line, 16, 2 * RINGS[0] - 16)
        for line in (wrap_two(child_name) if text_width(child_name, 16) > 92 else (child_name,))
    )
    out.append(_text_lines(CENTRE, CENTRE, child_lines, 16, "middle", weight="bold"))
    out.append("</g>")
    out.append('<g class="members">')
    for spot in plan.placed:
        member = spot.member
        colour, shape = STYLE[member.sector]
        label = f"{member.name} ({member.relation})" if member.relation else member.name
        label += f" – {sector_labels[member.sector]}, {circle_labels[member.circle]}"
        out.append(
            f'<g class="member" id="{id_prefix}-m{member.key}" data-sector="{member.sector}" '
            f'data-circle="{member.circle}">'
        )
        out.append(f"<title>{_xml(label)}</title>")
        out.append(marker(shape, spot.x, spot.y, colour))
        if spot.anchor_right:
            tx, anchor = spot.x + MARKER_R + GAP, "start"
        else:
            tx, anchor = spot.x - MARKER_R - GAP, "end"
        out.append(_text_lines(tx, spot.y, spot.lines, spot.font_size, anchor))
        out.append("</g>")
    out.append("</g>")
    if legend:
        out.append(f'<g class="legend" font-size="16" fill="{TEXT_COLOUR}">')
        top = SIZE + 10
        out.append(
            f'<text x="24" y="{_n(top)}" dy="0.35em" font-weight="bold">'
            f"{_xml(gettext('Numre på kortet'))}</text>"
        )
        for index, spot in enumerate(legend):
            column, row = index % 2, index // 2
            x = 24 + column * SIZE / 2
            y = top + LEGEND_ROW * (row + 1)
            name = truncate(f"{spot.number}: {spot.member.name}", 16, SIZE / 2 - 40)
            out.append(f'<text x="{_n(x)}" y="{_n(y)}" dy="0.35em">{_xml(name)}</text>')
        out.append("</g>")
    if not members:
        out.append(
            f'<text x="{_n(CENTRE)}" y="{_n(CENTRE + RINGS[0] + 30)}" text-anchor="middle" '
            f'font-size="15" fill="{TEXT_COLOUR}">'
            f"{_xml(gettext('Ingen personer på kortet endnu.'))}</text>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
