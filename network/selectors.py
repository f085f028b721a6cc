"""Reads for the network pages: the map (drawn and as a list), versions, meetings.

Each function starts from a case the view has already loaded through ``cases.pages.case_page``
(or ``portal.pages.family_case_page``), and reads in a fixed number of queries however many
people and meetings there are.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import Case
from network import services, svg
from network.models import Circle, MapSnapshot, Meeting, MeetingInvitee, NetworkMember, Sector


def sector_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Sector.choices}


def circle_labels() -> dict[int, str]:
    return {value: f"{value} – {label}".lower() for value, label in Circle.choices}


def active_members(case: Case) -> QuerySet[NetworkMember]:
    return services.active_members(case).select_related("user")


def as_map_members(members: Iterable[NetworkMember | dict[str, Any]]) -> list[svg.MapMember]:
    """Members from the database or from a version's JSON, ready to draw."""
    result = []
    for m in members:
        if isinstance(m, NetworkMember):
            result.append(svg.MapMember(m.pk, m.name, m.sector, m.circle, m.relation))
        else:
            result.append(
                svg.MapMember(m["id"], m["name"], m["sector"], m["circle"], m.get("relation", ""))
            )
    return result


def draw_map(
    *,
    case: Case,
    members: Iterable[NetworkMember | dict[str, Any]],
    id_prefix: str = "netvaerkskort",
    title: str = "",
) -> SafeString:
    """The map as SVG markup (safe: every text in it is escaped by ``network.svg``)."""
    child = case.citizen.first_name
    drawing = svg.network_map_svg(
        child_name=child,
        members=as_map_members(members),
        title=title or _("Netværkskort for %(name)s") % {"name": child},
        sector_labels=sector_labels(),
        circle_labels=circle_labels(),
        id_prefix=id_prefix,
    )
    return mark_safe(drawing)


@dataclass(frozen=True)
class SectorGroup:
    """The list beside the map: one group per sector, closest first."""

    value: str
    label: str
    icon: SafeString  # the sector's marker, as on the map (decorative: the label says it)
    members: list[Any]


def by_sector(members: Sequence[Any]) -> list[SectorGroup]:
    """``members`` (model objects or JSON dicts) grouped by sector in the map's order."""
    labels = sector_labels()
    groups = []
    for value in svg.SECTORS:
        in_sector = [m for m in members if _get(m, "sector") == value]
        in_sector.sort(key=lambda m: (_get(m, "circle"), _get(m, "name").casefold()))
        groups.append(SectorGroup(value, labels[value], sector_icon(value), in_sector))
    return groups


def sector_icon(sector: str) -> SafeString:
    colour, shape = svg.STYLE[sector]
    return mark_safe(
        '<svg class="sector-icon" width="16" height="16" viewBox="0 0 16 16" '
        'aria-hidden="true" focusable="false">'
        f"{svg.marker(shape, 8, 8, colour, r=7)}</svg>"
    )


def _get(member: Any, field: str) -> Any:
    return member[field] if isinstance(member, dict) else getattr(member, field)


def staff_for(case: Case) -> list[User]:
    """Staff who may be linked to a professional on the map: the caseworker and the staff
    assigned to the case's measures. One query."""
    return list(
        User.objects.filter(
            Q(pk=case.owner_id) | Q(measure_assignments__measure__case=case), is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "id")
    )


def snapshots(case: Case) -> list[MapSnapshot]:
    return list(
        MapSnapshot.objects.filter(case=case).select_related("taken_by").order_by("taken_at", "id")
    )


def upcoming_meetings(case: Case) -> list[Meeting]:
    return list(
        Meeting.objects.filter(
            case=case, status=Meeting.Status.PLANNED, starts_at__gte=timezone.now()
        ).order_by("starts_at", "id")
    )


def meetings(case: Case) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming, earlier) meetings of the case, with invitees; three queries."""
    all_meetings = list(
        Meeting.objects.filter(case=case)
        .prefetch_related(
            Prefetch(
                "invitees",
                queryset=MeetingInvitee.objects.select_related("member").order_by(
                    "member__name", "id"
                ),
            ),
            "decisions",
        )
        .order_by("starts_at", "id")
    )
    upcoming: list[Meeting] = []
    earlier: list[Meeting] = []
    for meeting in all_meetings:
        (upcoming if meeting.is_upcoming else earlier).append(meeting)
    return upcoming, earlier[::-1]


@dataclass(frozen=True)
class FamilyRow:
    """A member as the family sees them: contact details only of people the family named."""

    name: str
    relation: str
    sector: str
    circle: int
    role: str
    phone: str
    email: str
    address: str


def for_family(members: Iterable[NetworkMember]) -> list[FamilyRow]:
    return [
        FamilyRow(
            name=m.name,
            relation=m.relation,
            sector=m.sector,
            circle=m.circle,
            role=m.role,
            phone=m.phone if m.given_by_family else "",
            email=m.email if m.given_by_family else "",
            address=m.address if m.given_by_family else "",
        )
        for m in members
    ]
