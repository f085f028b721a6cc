"""The network map drawing: valid XML, everyone on it, one element per person, no overlaps."""

import random
from xml.etree import ElementTree as ET

import pytest

from network import svg

SVG_NS = "{http://www.w3.org/2000/svg}"
LABELS = {
    "family": "Familie",
    "relatives": "Slægt",
    "friends": "Venner og fritid",
    "school": "Skole, dagtilbud og arbejde",
    "professionals": "Fagpersoner",
}
CIRCLES = {1: "tættest på", 2: "tæt på", 3: "længere væk"}
NAMES = [
    "Mor",
    "Far",
    "Mormor Inge",
    "Farfar Bent",
    "Lillebror Noah",
    "Faster Birgitte Holm",
    "Kusine Laura",
    "Bedste ven Oliver",
    "Fodboldtræner Ali",
    "Naboen Grethe",
    "Klasselærer Hanne Sørensen",
    "Pædagog Kim",
    "AKT-lærer Lars",
    "Sundhedsplejerske Mette",
    "Psykolog Anne Marie Kristensen",
    "Sagsbehandler Peter",
    "Familiebehandler Sara",
]


def members_random(count: int, seed: int) -> list[svg.MapMember]:
    rng = random.Random(seed)
    return [
        svg.MapMember(
            key=i + 1,
            name=f"{rng.choice(NAMES)} {i}",
            sector=rng.choice(svg.SECTORS),
            circle=rng.choice([1, 2, 2, 3, 3]),
        )
        for i in range(count)
    ]


def draw(members, child='Emma <&> "Jensen"', prefix="kort"):
    return svg.network_map_svg(
        child_name=child,
        members=members,
        title="Netværkskort for Emma",
        sector_labels=LABELS,
        circle_labels=CIRCLES,
        id_prefix=prefix,
    )


def test_valid_xml_with_title_desc_and_role():
    members = members_random(12, 1)
    root = ET.fromstring(draw(members))  # noqa: S314 - our own output
    assert root.get("role") == "img"
    assert root.find(f"{SVG_NS}title").text == "Netværkskort for Emma"
    desc = root.find(f"{SVG_NS}desc").text
    for member in members:
        assert member.name in desc


@pytest.mark.parametrize("count", [0, 1, 8, 25, 40])
def test_every_member_once_with_name(count):
    members = members_random(count, count)
    root = ET.fromstring(draw(members))  # noqa: S314 - our own output
    groups = [g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "member"]
    assert len(groups) == count
    for member in members:
        (group,) = [g for g in groups if g.get("id") == f"kort-m{member.key}"]
        text = "".join(group.itertext())
        assert member.name in text  # in its <title>, and on the map itself
        assert group.get("data-sector") == member.sector


@pytest.mark.parametrize("seed", range(6))
def test_forty_members_no_overlapping_labels_and_markers_in_their_cell(seed):
    members = members_random(40, seed)
    plan = svg.layout(members, LABELS)
    assert len(plan.placed) == 40
    boxes = [p.box for p in plan.placed] + [label[3] for label in plan.sector_labels]
    for i, a in enumerate(boxes):
        for b in boxes[:i]:
            assert not a.overlaps(b), (a, b)
    for spot in plan.placed:
        cell = svg.Cell(svg.SECTORS.index(spot.member.sector), spot.member.circle)
        r = svg.MARKER_R
        assert cell.contains(svg.Box(spot.x - r, spot.y - r, spot.x + r, spot.y + r))
        assert spot.number == 0, "40 spread members all get their name on the map"


def test_a_crowded_cell_uses_numbers_and_a_legend_without_overlaps():
    members = [svg.MapMember(i, f"{NAMES[i % len(NAMES)]} {i}", "family", 1) for i in range(15)]
    plan = svg.layout(members, LABELS)
    boxes = [p.box for p in plan.placed]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[:i])
    out = draw(members)
    for member in members:
        assert member.name in out


def test_deterministic():
    members = members_random(30, 7)
    assert draw(members) == draw(list(reversed(members)))


def test_colours_have_contrast_and_distinct_shapes():
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    shapes = set()
    for colour, shape in svg.STYLE.values():
        assert (1.05) / (luminance(colour) + 0.05) >= 3
        shapes.add(shape)
    assert len(shapes) == len(svg.SECTORS)


def test_forbidden_xml_characters_are_dropped():
    out = draw([svg.MapMember(1, "Bo\x0bBo", "family", 1)])
    ET.fromstring(out)  # noqa: S314 - our own output
    assert "BoBo" in out
