"""Non-trivial reads for the list pages: Mine sager, search, the CPR lookup, the family portal.

Everything here starts from ``permissions.visible_cases`` (or ``family_children``), so a list
can never show more than the user may see. Nothing here writes; the views log the reads.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext as _

from access import rules as permissions
from accounts.models import STAFF_ROLES, Team, User
from cases import services
from cases.models import Case, CaseStatus, Citizen, Deadline, DeadlineRule
from core.cpr import looks_like_cpr

SEARCH_LIMIT = 50
DUE_SOON = dt.timedelta(days=3)

# Lifecycle order, so "sort by status" follows the case's life rather than the alphabet.
STATUS_ORDER = [
    CaseStatus.NOTIFICATION,
    CaseStatus.ASSESSMENT,
    CaseStatus.MEASURE,
    CaseStatus.CLOSING,
    CaseStatus.CLOSED,
]

SORT_FIELDS: dict[str, tuple[Any, ...]] = {
    "deadline": (F("next_due").asc(nulls_last=True), "number"),
    "-deadline": (F("next_due").desc(nulls_last=True), "number"),
    "number": ("number",),
    "-number": ("-number",),
    "name": ("citizen__first_name", "citizen__last_name", "number"),
    "-name": ("-citizen__first_name", "-citizen__last_name", "number"),
    "status": ("status_position", F("next_due").asc(nulls_last=True), "number"),
    "-status": ("-status_position", F("next_due").asc(nulls_last=True), "number"),
}
DEFAULT_SORT = "deadline"


def _open_deadlines_of_outer_case() -> QuerySet[Deadline]:
    """The case's open deadlines, most urgent first: a deadline counted in hours (the 24-hour
    judgement of a notification, Barnets Lov § 19) before any other, then the earliest due.

    Issue 16: a new notification on a case with an overdue 4-month assessment deadline showed
    the older deadline in its row and the 24-hour judgement nowhere; a judgement not yet made is
    what must be done first, so it is the row's deadline while it is open.
    """
    # The partial index deadline_open_case_due answers this per case without touching met rows.
    return Deadline.objects.filter(
        case=OuterRef("pk"), met_at=None, handled_otherwise_at=None
    ).order_by(
        SqlCase(
            When(rule__unit=DeadlineRule.Unit.HOURS, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "due_at",
        "id",
    )


def with_next_deadline(cases: QuerySet[Case], *, now: dt.datetime | None = None) -> QuerySet[Case]:
    """Annotate each case with its most urgent open deadline (``next_due``,
    ``next_deadline_title``) and, given ``now``, how many of its open deadlines are overdue
    (``overdue_deadlines``), so a row can say that others are overdue besides the one shown.

    Correlated subqueries in the same SELECT: one SQL query however many cases and deadlines
    there are.
    """
    open_deadlines = _open_deadlines_of_outer_case()
    annotations: dict[str, Any] = {
        "next_due": Subquery(open_deadlines.values("due_at")[:1]),
        "next_deadline_title": Subquery(open_deadlines.values("rule__title")[:1]),
    }
    if now is not None:
        overdue = (
            Deadline.objects.filter(
                case=OuterRef("pk"), met_at=None, handled_otherwise_at=None, due_at__lt=now
            )
            .order_by()
            .values("case")
            .annotate(n=Count("id"))
            .values("n")
        )
        annotations["overdue_deadlines"] = Coalesce(
            Subquery(overdue, output_field=IntegerField()), Value(0)
        )
    return cases.annotate(**annotations)


def _matching_name_or_number(cases: QuerySet[Case], q: str) -> QuerySet[Case]:
    q = " ".join(q.split())
    return cases.annotate(
        citizen_full_name=Concat(
            "citizen__first_name", Value(" "), "citizen__last_name", output_field=CharField()
        )
    ).filter(
        Q(number__istartswith=q)
        | Q(citizen__first_name__icontains=q)
        | Q(citizen__last_name__icontains=q)
        | Q(citizen_full_name__icontains=q)
    )


def leads_a_team(user: User) -> bool:
    return user.memberships.filter(is_lead=True).exists()


# --- Mine sager ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseListFilters:
    status: str = "open"  # "open", "all" or a CaseStatus value
    q: str = ""
    sort: str = DEFAULT_SORT
    only_mine: bool = False


@dataclass(frozen=True)
class CaseListSummary:
    open_cases: int
    overdue_cases: int


def my_cases_scope(*, user: User, only_mine: bool) -> QuerySet[Case]:
    """The cases Mine sager lists from; the page builds it once for its summary and its list
    (``scope=``), since composing the visibility subqueries is most of building either."""
    cases = Case.objects.visible_to(user)
    if only_mine:
        cases = cases.filter(owner=user)
    return cases


def my_cases_list(
    *,
    user: User,
    filters: CaseListFilters,
    scope: QuerySet[Case] | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Case]:
    cases = scope if scope is not None else my_cases_scope(user=user, only_mine=filters.only_mine)
    if filters.status == "open":
        cases = cases.exclude(status=CaseStatus.CLOSED)
    elif filters.status != "all":
        cases = cases.filter(status=filters.status)
    if filters.q:
        cases = _matching_name_or_number(cases, filters.q)
    cases = with_next_deadline(cases, now=now).annotate(
        status_position=SqlCase(
            *(When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)),
            output_field=IntegerField(),
        )
    )
    order = SORT_FIELDS.get(filters.sort, SORT_FIELDS[DEFAULT_SORT])
    return cases.select_related("citizen", "owner", "team").order_by(*order)


def my_cases_summary(
    *, user: User, only_mine: bool, now: dt.datetime, scope: QuerySet[Case] | None = None
) -> CaseListSummary:
    """Open cases in the user's scope, and how many of them have an overdue deadline."""
    overdue = Deadline.objects.filter(
        case=OuterRef("pk"), met_at=None, handled_otherwise_at=None, due_at__lt=now
    )
    if scope is None:
        scope = my_cases_scope(user=user, only_mine=only_mine)
    counts = scope.exclude(status=CaseStatus.CLOSED).aggregate(
        open_cases=Count("id"),
        overdue_cases=Count("id", filter=Exists(overdue)),
    )
    return CaseListSummary(open_cases=counts["open_cases"], overdue_cases=counts["overdue_cases"])


# --- the acute strip: 24-hour judgements not yet made -----------------------------------------

ACUTE_RULE = "acute_judgement"
ACUTE_LIMIT = 10


@dataclass(frozen=True)
class AcuteJudgement:
    """One 24-hour judgement of a notification not yet made (met_at null), as the strip at
    the top of Mine sager and the team overview shows it."""

    deadline_id: int
    case_id: Any
    citizen_id: Any  # for the access log of the page that shows it
    case_number: str
    child_name: str
    owner_id: int
    owner_name: str
    notification_id: int | None
    due_at: dt.datetime


def acute_judgements(
    *, user: User, leads_team: bool, limit: int = ACUTE_LIMIT
) -> list[AcuteJudgement]:
    """The open 24-hour judgements on the user's own cases and, for a team lead
    (``leads_team``), on the cases of the teams it leads; overdue first, then soonest.
    At most ``limit`` + 1 rows (the caller says "more" when there are), one query.

    Always within ``Case.objects.visible_to(user)``: a caseworker's own cases are visible to it
    (``access.rules.case_visibility``), and a lead's team cases go through that condition.
    """
    if not leads_team and permissions.role_of(user) in STAFF_ROLES:
        scope = Q(case__owner_id=user.pk)
    else:
        led_teams = Team.objects.filter(
            memberships__user_id=user.pk, memberships__is_lead=True
        ).values("pk")
        cases = Case.objects.visible_to(user).filter(Q(owner_id=user.pk) | Q(team_id__in=led_teams))
        scope = Q(case_id__in=cases.values("id"))
    values = (
        Deadline.objects.filter(
            scope, rule__code=ACUTE_RULE, met_at=None, handled_otherwise_at=None
        )
        .exclude(case__status=CaseStatus.CLOSED)
        .order_by("due_at", "id")
        .values_list(
            "id",
            "case_id",
            "case__citizen_id",
            "case__number",
            "case__citizen__first_name",
            "case__citizen__last_name",
            "case__owner_id",
            "case__owner__first_name",
            "case__owner__last_name",
            "case__owner__username",
            "notification_id",
            "due_at",
        )[: limit + 1]
    )
    return [
        AcuteJudgement(
            deadline_id=pk,
            case_id=case_id,
            citizen_id=citizen_id,
            case_number=number,
            child_name=f"{first} {last}".strip(),
            owner_id=owner_id,
            owner_name=f"{owner_first} {owner_last}".strip() or owner_username,
            notification_id=notification_id,
            due_at=due_at,
        )
        for (
            pk,
            case_id,
            citizen_id,
            number,
            first,
            last,
            owner_id,
            owner_first,
            owner_last,
            owner_username,
            notification_id,
            due_at,
        ) in values
    ]


def time_left(due_at: dt.datetime, now: dt.datetime) -> tuple[bool, str]:
    """(overdue, text): "12 t 40 min tilbage", "25 min tilbage", "Overskredet med 3 t",
    "Overskredet med 40 min". Whole minutes, rounded down, so it never promises more time."""
    seconds = int((due_at - now).total_seconds())
    overdue = seconds < 0
    hours, minutes = divmod(abs(seconds) // 60, 60)
    if overdue:
        if hours:
            return True, _("Overskredet med %(hours)d t") % {"hours": hours}
        return True, _("Overskredet med %(minutes)d min") % {"minutes": max(minutes, 1)}
    if hours:
        return False, _("%(hours)d t %(minutes)d min tilbage") % {
            "hours": hours,
            "minutes": minutes,
        }
    return False, _("%(minutes)d min tilbage") % {"minutes": minutes}


def _is_closed() -> SqlCase:
    """1 for a closed case, else 0: ordering by it puts open cases first."""
    return SqlCase(
        When(status=CaseStatus.CLOSED, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


# --- search ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    cases: Sequence[Case]
    truncated: bool
    by_cpr: bool


def case_search(*, user: User, q: str) -> SearchResult:
    """Cases the user may see, by CPR number (exact match only) or by case number or name."""
    visible = Case.objects.visible_to(user).select_related("citizen", "owner", "team")
    by_cpr = looks_like_cpr(q)
    cases: QuerySet[Case]
    if by_cpr:
        citizen = services.citizen_find_by_cpr(cpr=q)
        cases = visible.filter(citizen=citizen) if citizen is not None else visible.none()
    else:
        cases = _matching_name_or_number(visible, q)
    ordered = cases.annotate(is_closed=_is_closed()).order_by(
        "is_closed", "citizen__last_name", "citizen__first_name", "-opened_at"
    )
    found = list(ordered[: SEARCH_LIMIT + 1])
    return SearchResult(
        cases=found[:SEARCH_LIMIT], truncated=len(found) > SEARCH_LIMIT, by_cpr=by_cpr
    )


# --- the CPR lookup on the notification form -------------------------------------------------


@dataclass(frozen=True)
class CitizenLookup:
    citizen: Citizen | None
    # The case a new notification lands on: the open one, else the latest (it is reopened).
    case: Case | None
    visible: bool

    @property
    def known(self) -> bool:
        return self.citizen is not None


def citizen_lookup(*, user: User, cpr: str) -> CitizenLookup:
    citizen = services.citizen_find_by_cpr(cpr=cpr)
    if citizen is None:
        return CitizenLookup(citizen=None, case=None, visible=False)
    case = (
        citizen.cases.select_related("citizen")
        .annotate(is_closed=_is_closed())
        .order_by("is_closed", "-opened_at")
        .first()
    )
    visible = case is not None and Case.objects.visible_to(user).filter(pk=case.pk).exists()
    return CitizenLookup(citizen=citizen, case=case, visible=visible)


def acute_judgement_due(*, case: Case, notification_id: int) -> dt.datetime | None:
    deadline = (
        Deadline.objects.filter(
            case=case, notification_id=notification_id, rule__code="acute_judgement"
        )
        .only("due_at")
        .first()
    )
    return deadline.due_at if deadline is not None else None
