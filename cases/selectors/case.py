"""The reads behind the pages of one case. Each function is a fixed number of SQL queries,
however many notes, notifications or deadlines the case has."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from access.models import AccessLogEntry
from accounts.models import User
from cases.models import (
    Assessment,
    Case,
    Citizen,
    Deadline,
    Family,
    FamilyMember,
    FamilyRelation,
    HoursStep,
    JournalNote,
    Measure,
    Notification,
)
from cases.pages import TAB_LABELS
from cases.portal_rights import MemberRight, member_rights


def deadlines_of(case: Case, *, rule_code: str | None = None) -> list[Deadline]:
    """Open deadlines first (soonest first), then the met and handled ones (latest first)."""
    qs = Deadline.objects.filter(case=case).select_related("rule", "handled_by")
    if rule_code is not None:
        qs = qs.filter(rule__code=rule_code)
    rows = list(qs.order_by("due_at", "id"))
    return [d for d in rows if d.is_open] + [d for d in reversed(rows) if not d.is_open]


def notifications_of(case: Case) -> QuerySet[Notification]:
    return case.notifications.select_related(
        "registered_by", "acute_judged_by", "receipt_sent_by"
    ).prefetch_related(
        Prefetch("deadlines", queryset=Deadline.objects.select_related("rule").order_by("due_at"))
    )


def assessments_of(case: Case) -> QuerySet[Assessment]:
    return case.assessments.select_related("started_by").prefetch_related("areas")


def measures_of(case: Case) -> QuerySet[Measure]:
    return case.measures.select_related(
        "legal_basis", "provider_team", "decided_by", "closing_letter"
    ).prefetch_related("therapists", "hours_steps")


def notes_of(case: Case) -> QuerySet[JournalNote]:
    return case.notes.select_related(
        "author", "corrects", "corrects__author", "correction", "correction__author"
    )


def page_of_note(case: Case, note_id: Any, *, per_page: int) -> int:
    """The journal page (newest first) that shows the note, so links between a note and its
    correction land on the right page."""
    note = case.notes.filter(pk=note_id).only("created_at").first() if note_id else None
    if note is None:
        return 1
    newer = case.notes.filter(
        Q(created_at__gt=note.created_at) | Q(created_at=note.created_at, id__gt=note.pk)
    ).count()
    return newer // per_page + 1


def overview(case: Case) -> dict[str, Any]:
    """What the overview tab shows: its deadlines, the newest notification, the running
    assessment, the active measures with their therapists and hours, and the latest notes.

    Seven queries at most, however much the case holds: the deadlines (with their rule and
    who handled them), the newest notification, the running assessment, the active measures
    (with their legal basis) and, when there are any, their therapists and hours steps
    (``Prefetch(to_attr=…)``: ``therapist_list``, ``step_list``), and the three newest notes
    with their corrections (of a note's users and its correction only what the note shows).
    Whole rows elsewhere: ``only()``/``defer()`` on the small rows cost more Python than the
    columns they leave out (``make bench``)."""
    deadlines = deadlines_of(case)
    measures = list(
        case.measures.filter(ended_on=None)
        .select_related("legal_basis")
        .prefetch_related(
            Prefetch(
                "therapists",
                queryset=User.objects.order_by("pk"),
                to_attr="therapist_list",
            ),
            Prefetch("hours_steps", queryset=HoursStep.objects.all(), to_attr="step_list"),
        )
    )
    return {
        "deadlines": deadlines,
        "next_deadline": next((d for d in deadlines if d.is_open), None),
        "latest_notification": case.notifications.order_by("-received_at", "-id").first(),
        "running_assessment": case.assessments.filter(finished_on=None)
        .order_by("-started_on", "-id")
        .first(),
        "active_measures": measures,
        "latest_notes": list(
            notes_of(case).only(*_NOTE_COLUMNS).order_by("-created_at", "-id")[:3]
        ),
    }


# What a note on the overview shows (cases/case_journal.html#note): of its three users the
# name only, not every column of the user table.
_NOTE_COLUMNS = [
    "case_id",
    "author_id",
    "created_at",
    "text",
    "corrects_id",
    *(
        f"{note}__{field}"
        for note in ("corrects", "correction")
        for field in ("case_id", "author_id", "created_at", "corrects_id")
    ),
    *(
        f"{user}__{field}"
        for user in ("author", "corrects__author", "correction__author")
        for field in ("first_name", "last_name", "username")
    ),
]


# --- family ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    member: FamilyMember
    is_this_child: bool
    relation: str
    case: Case | None  # the member's own case, only when the user may see it
    right: MemberRight  # whether and why the member sees this case in the family portal


@dataclass(frozen=True)
class Household:
    family: Family
    members: list[MemberRow]


def households(case: Case, user: User) -> list[Household]:
    """The families the child belongs to, each member with their relation to this child."""
    citizen: Citizen = case.citizen
    families = list(
        Family.objects.filter(members__citizen=citizen)
        .distinct()
        .order_by("name", "id")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=FamilyMember.objects.select_related("citizen").prefetch_related(
                    Prefetch(
                        "relations",
                        queryset=FamilyRelation.objects.filter(child__citizen=citizen),
                        to_attr="relations_to_this_child",
                    )
                ),
            )
        )
    )
    other_citizens = {
        m.citizen_id
        for family in families
        for m in family.members.all()
        if m.citizen_id and m.citizen_id != citizen.pk
    }
    visible: dict[Any, Case] = {}
    # Newest first, and an open case before a closed one: the case a sibling link opens.
    for other in (
        Case.objects.visible_to(user).filter(citizen_id__in=other_citizens).order_by("-opened_at")
    ):
        current = visible.get(other.citizen_id)
        if current is None or (other.is_open and not current.is_open):
            visible[other.citizen_id] = other
    rights = member_rights(case, [m for family in families for m in family.members.all()])
    result = []
    for family in families:
        rows = []
        for m in family.members.all():
            relations = m.relations_to_this_child  # type: ignore[attr-defined]
            rows.append(
                MemberRow(
                    member=m,
                    is_this_child=m.citizen_id == citizen.pk,
                    relation=relations[0].get_kind_display() if relations else "",
                    case=visible.get(m.citizen_id) if m.citizen_id else None,
                    right=rights[m.pk],
                )
            )
        result.append(Household(family=family, members=rows))
    return result


# --- access log ------------------------------------------------------------------------------

# What an access-log target (a URL path) was, in words.
TARGET_LABELS: dict[str, Any] = {
    "case_detail": TAB_LABELS["overview"],
    "case_family": TAB_LABELS["family"],
    "case_notifications": TAB_LABELS["notifications"],
    "case_assessment": TAB_LABELS["assessment"],
    "case_measures": TAB_LABELS["measures"],
    "case_journal": TAB_LABELS["journal"],
    "case_access_log": TAB_LABELS["access_log"],
    "access_log_export": _("Udtræk af adgangslog"),
    "case_cpr": _("Fuldt CPR-nummer"),
    "notification_acute": _("Akut vurdering af underretning"),
    "notification_receipt": _("Kvittering til underretter"),
    "assessment_start": _("Start af undersøgelse"),
    "assessment_finish": _("Afslutning af undersøgelse"),
    "measure_order": _("Bestilling af indsats"),
    "measure_end": _("Afslutning af indsats"),
    "journal_note_correct": _("Rettelse af journalnotat"),
    "case_close": _("Lukning af sagen"),
    "case_reopen": _("Genåbning af sagen"),
    "deadline_handle_otherwise": _("Frist håndteret på anden vis"),
}


def access_log_of(case: Case) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(case=case).select_related("user").order_by("-at", "-id")


def describe_target(target: str) -> str:
    """The page a logged path points to ("Journal"), else the target as written."""
    if not target.startswith("/"):
        return target
    try:
        match = resolve(target)
    except Resolver404:
        return target
    label = TARGET_LABELS.get(match.url_name or "")
    return str(label) if label is not None else target
