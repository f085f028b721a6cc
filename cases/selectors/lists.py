"""Non-trivial reads for the list pages: Mine sager, search, the CPR lookup, the family portal.

Everything here starts from ``permissions.visible_cases`` (or ``family_children``), so a list
can never show more than the user may see. Nothing here writes; the views log the reads.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils import timezone

from familievaerft import permissions
from familievaerft.models import User
from followups.models import Deadline
from network.models import Meeting, NetworkMember

from . import services
from .cpr import looks_like_cpr
from .models import Case, CaseStatus, Citizen, ClosingLetter, FamilyMember, Measure

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
    cases = permissions.visible_cases(user)
    if only_mine:
        cases = cases.filter(owner=user)
    return cases


def my_cases_list(*, user: User, filters: CaseListFilters) -> QuerySet[Case]:
    cases = my_cases_scope(user=user, only_mine=filters.only_mine)
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


def my_cases_summary(*, user: User, only_mine: bool, now: dt.datetime) -> CaseListSummary:
    """Open cases in the user's scope, and how many of them have an overdue deadline."""
    overdue = Deadline.objects.filter(
        case=OuterRef("pk"), met_at=None, handled_otherwise_at=None, due_at__lt=now
    )
    counts = (
        my_cases_scope(user=user, only_mine=only_mine)
        .exclude(status=CaseStatus.CLOSED)
        .aggregate(
            open_cases=Count("id"),
            overdue_cases=Count("id", filter=Exists(overdue)),
        )
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
    visible = permissions.visible_cases(user).select_related("citizen", "owner", "team")
    by_cpr = looks_like_cpr(q)
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
    visible = case is not None and permissions.can_see_case(user, case)
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


# --- family portal ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FamilyChild:
    member: FamilyMember
    case: Case | None
    measures: list[Measure]
    # Network meetings still to come, and whether the child has a network map.
    meetings: list[Any] = field(default_factory=list)
    has_network: bool = False
    # Closing letters: those the user is asked to read (in review, being revised after their
    # comments, or approved and being sent) and those sent to the family.
    letters_to_review: list[ClosingLetter] = field(default_factory=list)
    letters_received: list[ClosingLetter] = field(default_factory=list)


# A letter stays on the reviewer's list from the first time it is sent for review until it is
# sent: while the therapist revises it after their comments and while the PDF is made.
REVIEW_STATUSES = (
    ClosingLetter.Status.IN_REVIEW,
    ClosingLetter.Status.DRAFT,
    ClosingLetter.Status.APPROVED,
)


def family_overview(*, user: User) -> list[FamilyChild]:
    """The user's own children, each with its case (the open one, else the latest), its
    measures, its coming network meetings and its closing letters. A fixed number of
    queries, however many children, meetings and letters there are."""

    children = list(
        permissions.family_children(user).distinct().order_by("citizen__birth_date", "id")
    )
    citizen_ids = [c.citizen_id for c in children if c.citizen_id is not None]
    cases = (
        Case.objects.filter(citizen_id__in=citizen_ids)
        .select_related("owner")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.filter(ended_on=None)
                .select_related("legal_basis")
                .order_by("start_date", "id"),
            ),
            Prefetch(
                "network_meetings",
                queryset=Meeting.objects.filter(
                    status=Meeting.Status.PLANNED, starts_at__gte=timezone.now()
                ).order_by("starts_at", "id"),
                to_attr="upcoming_meetings",
            ),
            Prefetch(
                "closing_letters",
                queryset=ClosingLetter.objects.filter(
                    status__in=REVIEW_STATUSES, reviewers__user=user
                )
                .select_related("measure__legal_basis")
                .distinct()
                .order_by("review_due_on", "id"),
                to_attr="letters_to_review",
            ),
            Prefetch(
                "closing_letters",
                queryset=ClosingLetter.objects.filter(status=ClosingLetter.Status.SENT)
                .select_related("measure__legal_basis")
                .order_by("-sent_at", "-id"),
                to_attr="letters_received",
            ),
        )
        .annotate(
            has_network=Exists(NetworkMember.objects.filter(case=OuterRef("pk"), removed_at=None))
        )
        .order_by("opened_at")
    )
    case_by_citizen: dict[Any, Case] = {}
    for case in cases:  # later cases replace earlier ones; an open case beats a closed one
        current = case_by_citizen.get(case.citizen_id)
        if current is None or case.is_open or not current.is_open:
            case_by_citizen[case.citizen_id] = case
    result = []
    for member in children:
        child_case = case_by_citizen.get(member.citizen_id)
        if child_case is not None and not permissions.family_may_see_case(child_case):
            child_case = None
        measures = list(child_case.measures.all()) if child_case is not None else []
        result.append(
            FamilyChild(
                member=member,
                case=child_case,
                measures=measures,
                meetings=list(getattr(child_case, "upcoming_meetings", [])),
                has_network=bool(getattr(child_case, "has_network", False)),
                letters_to_review=list(getattr(child_case, "letters_to_review", [])),
                letters_received=list(getattr(child_case, "letters_received", [])),
            )
        )
    return result
