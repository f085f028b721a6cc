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
from django.db.models.functions import Concat

from accounts.models import User
from cases import services
from cases.models import Case, CaseStatus, Citizen, Deadline
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
    # The partial index deadline_open_case_due answers this per case without touching met rows.
    return Deadline.objects.filter(
        case=OuterRef("pk"), met_at=None, handled_otherwise_at=None
    ).order_by("due_at", "id")


def with_next_deadline(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate each case with its next open deadline (``next_due``, ``next_deadline_title``).

    Two correlated subqueries in the same SELECT: one SQL query however many cases and
    deadlines there are.
    """
    open_deadlines = _open_deadlines_of_outer_case()
    return cases.annotate(
        next_due=Subquery(open_deadlines.values("due_at")[:1]),
        next_deadline_title=Subquery(open_deadlines.values("rule__title")[:1]),
    )


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
    *, user: User, filters: CaseListFilters, scope: QuerySet[Case] | None = None
) -> QuerySet[Case]:
    cases = scope if scope is not None else my_cases_scope(user=user, only_mine=filters.only_mine)
    if filters.status == "open":
        cases = cases.exclude(status=CaseStatus.CLOSED)
    elif filters.status != "all":
        cases = cases.filter(status=filters.status)
    if filters.q:
        cases = _matching_name_or_number(cases, filters.q)
    cases = with_next_deadline(cases).annotate(
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
