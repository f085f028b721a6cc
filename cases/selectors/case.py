"""The reads behind the pages of one case. Each function is a fixed number of SQL queries,
however many notes, notifications or deadlines the case has."""

import functools
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from access import rules as permissions
from access.models import AccessLogEntry
from accounts.models import User
from cases.models import (
    Assessment,
    Case,
    Citizen,
    Deadline,
    DeadlineRule,
    Family,
    FamilyMember,
    FamilyRelation,
    HoursStep,
    JournalNote,
    LegalBasis,
    Measure,
    Notification,
)
from cases.views.case_common import TAB_LABELS
from core import json_rows


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
    return case.assessments.select_related("started_by")


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

    On PostgreSQL in one hand-written query (``_OVERVIEW_SQL``); elsewhere (SQLite for
    ``make run``) through the ORM. Both give the same model instances, each measure with its
    ``therapist_list`` and ``step_list``."""
    if connection.vendor == "postgresql":
        return _overview_postgresql(case)
    deadlines = deadlines_of(case)
    measures = list(
        case.measures.filter(ended_on=None)
        .select_related("legal_basis")
        .prefetch_related("therapists", "hours_steps")
    )
    for measure in measures:
        measure.therapist_list = sorted(  # type: ignore[attr-defined]
            measure.therapists.all(), key=lambda user: user.pk
        )
        measure.step_list = list(measure.hours_steps.all())  # type: ignore[attr-defined]
    return {
        "deadlines": deadlines,
        "next_deadline": next((d for d in deadlines if d.is_open), None),
        "latest_notification": case.notifications.order_by("-received_at", "-id").first(),
        "running_assessment": case.assessments.filter(finished_on=None).first(),
        "active_measures": measures,
        "latest_notes": list(
            notes_of(case).only(*_NOTE_COLUMNS).order_by("-created_at", "-id")[:3]
        ),
    }


# Orders as the ORM querysets in ``overview`` do for SQLite: deadlines by due time (open ones
# first, split in Python), the newest notification and running assessment, measures newest
# first (Measure.Meta), therapists as assigned, hours steps by position, the three newest notes.
# Of a user only what ``User.__str__`` shows; of a note's correction and of the note it
# corrects only what the note partial shows.
_OVERVIEW_SQL = """
SELECT
  (SELECT json_agg(json_build_object(
            'd', row_to_json(d), 'r', row_to_json(r),
            'h', (SELECT json_build_object('id', u.id, 'username', u.username,
                                           'first_name', u.first_name, 'last_name', u.last_name)
                    FROM accounts_user u WHERE u.id = d.handled_by_id))
          ORDER BY d.due_at, d.id)
     FROM cases_deadline d JOIN cases_deadlinerule r ON r.id = d.rule_id
    WHERE d.case_id = %(case)s),
  (SELECT row_to_json(n) FROM cases_notification n WHERE n.case_id = %(case)s
    ORDER BY n.received_at DESC, n.id DESC LIMIT 1),
  (SELECT row_to_json(a) FROM cases_assessment a
    WHERE a.case_id = %(case)s AND a.finished_on IS NULL
    ORDER BY a.started_on DESC, a.id DESC LIMIT 1),
  (SELECT json_agg(json_build_object(
            'm', row_to_json(m), 'lb', row_to_json(lb),
            't', (SELECT json_agg(json_build_object('id', u.id, 'username', u.username,
                                                    'first_name', u.first_name,
                                                    'last_name', u.last_name) ORDER BY u.id)
                    FROM cases_measureassignment ma JOIN accounts_user u ON u.id = ma.user_id
                   WHERE ma.measure_id = m.id),
            's', (SELECT json_agg(row_to_json(s) ORDER BY s.position)
                    FROM cases_hoursstep s WHERE s.measure_id = m.id))
          ORDER BY m.start_date DESC, m.id DESC)
     FROM cases_measure m JOIN cases_legalbasis lb ON lb.id = m.legal_basis_id
    WHERE m.case_id = %(case)s AND m.ended_on IS NULL),
  (SELECT json_agg(json_build_object(
            'n', row_to_json(n),
            'a', (SELECT json_build_object('id', u.id, 'username', u.username,
                                           'first_name', u.first_name, 'last_name', u.last_name)
                    FROM accounts_user u WHERE u.id = n.author_id),
            'cs', (SELECT json_build_object('id', r.id, 'case_id', r.case_id,
                                            'author_id', r.author_id, 'created_at', r.created_at,
                                            'corrects_id', r.corrects_id)
                     FROM cases_journalnote r WHERE r.id = n.corrects_id),
            'cn', (SELECT json_build_object(
                            'n', json_build_object('id', r.id, 'case_id', r.case_id,
                                                   'author_id', r.author_id,
                                                   'created_at', r.created_at,
                                                   'corrects_id', r.corrects_id),
                            'a', json_build_object('id', u.id, 'username', u.username,
                                                   'first_name', u.first_name,
                                                   'last_name', u.last_name))
                     FROM cases_journalnote r JOIN accounts_user u ON u.id = r.author_id
                    WHERE r.corrects_id = n.id))
          ORDER BY n.created_at DESC, n.id DESC)
     FROM (SELECT * FROM cases_journalnote WHERE case_id = %(case)s
           ORDER BY created_at DESC, id DESC LIMIT 3) n)
"""


def _overview_postgresql(case: Case) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(_OVERVIEW_SQL, {"case": case.pk})
        deadline_rows, notification, assessment, measure_rows, note_rows = cursor.fetchone()

    user = functools.partial(json_rows.instance, User)  # None for no user
    rows = [
        json_rows.instance(
            Deadline,
            row["d"],
            case=case,
            rule=json_rows.instance(DeadlineRule, row["r"]),
            handled_by=row["h"] and user(row["h"]),
        )
        for row in deadline_rows or ()
    ]
    deadlines = [d for d in rows if d.is_open] + [d for d in reversed(rows) if not d.is_open]

    measures = []
    for row in measure_rows or ():
        measure = json_rows.instance(
            Measure, row["m"], case=case, legal_basis=json_rows.instance(LegalBasis, row["lb"])
        )
        measure.therapist_list = json_rows.instances(User, row["t"])  # type: ignore[attr-defined]
        measure.step_list = json_rows.instances(HoursStep, row["s"])  # type: ignore[attr-defined]
        measures.append(measure)

    notes = [
        json_rows.instance(
            JournalNote,
            row["n"],
            case=case,
            author=user(row["a"]),
            corrects=row["cs"] and json_rows.instance(JournalNote, row["cs"]),
            correction=row["cn"]
            and json_rows.instance(JournalNote, row["cn"]["n"], author=user(row["cn"]["a"])),
        )
        for row in note_rows or ()
    ]

    return {
        "deadlines": deadlines,
        "next_deadline": next((d for d in deadlines if d.is_open), None),
        "latest_notification": notification and json_rows.instance(Notification, notification),
        "running_assessment": assessment and json_rows.instance(Assessment, assessment),
        "active_measures": measures,
        "latest_notes": notes,
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
        permissions.visible_cases(user).filter(citizen_id__in=other_citizens).order_by("-opened_at")
    ):
        current = visible.get(other.citizen_id)
        if current is None or (other.is_open and not current.is_open):
            visible[other.citizen_id] = other
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
