"""Reads for the reminder list, the deadline list and the team overview.

Everything a list shows starts from ``Case.objects.visible_to`` (the deadline list) or
from the teams the user leads (the team overview), so no page shows more than the user may
see. The lists are one SQL query each, however many cases and deadlines there are: the
deadline list is a UNION of open deadlines and open follow-ups, sorted and paged in SQL; the
team overview's figures are ``Count(filter=Q(...))`` aggregates grouped by team and owner.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access import rules as permissions
from accounts.models import STAFF_ROLES, Role, Team, TeamMembership, User
from cases.models import Case, CaseStatus, Deadline, DeadlineRule
from core.locale import data_label
from followups.models import FollowUp, Reminder

# --- reminders -------------------------------------------------------------------------------


def reminders_for(*, user: User, unread_only: bool = False) -> QuerySet[Reminder]:
    """The user's own reminders, newest first (the index ``reminder_recipient`` serves it)."""
    reminders = Reminder.objects.filter(recipient=user)
    if unread_only:
        reminders = reminders.filter(read_at=None)
    return reminders.select_related("case", "case__citizen").order_by("-created_at", "-id")


def unread_reminder_count(*, user: User) -> int:
    """One COUNT, on every staff page (the header's badge): its condition is that of the
    partial index ``reminder_unread`` (recipient, read_at IS NULL), which answers it."""
    return Reminder.objects.filter(recipient_id=user.pk, read_at=None).count()


# --- the deadline list -----------------------------------------------------------------------

# A follow-up after the first has no statutory deadline row; it is still § 95's follow-up.
LATER_FOLLOWUP = "followup"
FOLLOWUP_REFERENCE = "Barnets Lov § 95"
LATER_FOLLOWUP_REFERENCE = "Barnets Lov § 95, stk. 3"

COMING_WEEK = dt.timedelta(days=7)
COMPLIANCE_MONTHS = 12

# The states of the list. The first three are about what is open now; the last four are the
# outcomes the team overview counts over the last 12 months (deadlines due in that window).
STATE_OPEN = "open"
STATE_OVERDUE = "overdue"
STATE_WEEK = "week"
STATE_ON_TIME = "on_time"
STATE_LATE = "late"
STATE_HANDLED = "handled"
STATE_MISSED = "missed"
OPEN_STATES = (STATE_OPEN, STATE_OVERDUE, STATE_WEEK)
OUTCOME_STATES = (STATE_ON_TIME, STATE_LATE, STATE_HANDLED, STATE_MISSED)
STATE_CHOICES = [
    (STATE_OPEN, _("Alle åbne")),
    (STATE_OVERDUE, _("Overskredne")),
    (STATE_WEEK, _("Forfalder inden for 7 dage")),
    (STATE_ON_TIME, _("Overholdt (seneste 12 måneder)")),
    (STATE_LATE, _("Overholdt for sent (seneste 12 måneder)")),
    (STATE_HANDLED, _("Håndteret på anden vis (seneste 12 måneder)")),
    (STATE_MISSED, _("Ikke overholdt, stadig åben (seneste 12 måneder)")),
]

# How a deadline due in the window turned out; the team overview counts with the same Qs.
OUTCOMES: dict[str, Q] = {
    STATE_ON_TIME: Q(met_at__lte=F("due_at")),
    STATE_LATE: Q(met_at__gt=F("due_at")),
    STATE_HANDLED: Q(met_at=None, handled_otherwise_at__isnull=False),
    STATE_MISSED: Q(met_at=None, handled_otherwise_at=None),
}

# The deadlines whose compliance the team overview measures, in the order shown.
COMPLIANCE_RULES = ["acute_judgement", "receipt", "assessment", "first_followup"]


@dataclass(frozen=True)
class DeadlineFilters:
    state: str = STATE_OPEN
    rule: str = ""  # a DeadlineRule code, LATER_FOLLOWUP or "" for all
    only_mine: bool = False
    worker_id: int | None = None  # team leads: the owner of the cases
    team_id: int | None = None  # team leads: one of the teams they lead


@dataclass(frozen=True)
class DeadlineRow:
    """One line of the deadline list: an open deadline or a follow-up not yet held."""

    kind: str  # "deadline" or "followup"
    item_id: int
    case_id: Any
    case_number: str
    child_name: str
    owner_id: int
    owner_name: str
    team_id: int
    rule_code: str
    rule_title: str
    legal_reference: str
    followup_number: int | None
    due_at: dt.datetime | None  # deadlines
    due_on: dt.date  # both (the day a deadline falls due, in local time)
    met_at: dt.datetime | None
    handled_otherwise_at: dt.datetime | None
    is_overdue: bool
    can_work: bool = False  # the owner or a lead of the case's team (can_work_case)
    citizen_id: Any = None  # the case's child, for the access log of the page that shows it

    @property
    def title(self) -> str:
        if self.kind == "followup" and self.followup_number and self.followup_number > 1:
            return str(_("%(number)s. opfølgning på indsatsen") % {"number": self.followup_number})
        return data_label(self.rule_title)

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.handled_otherwise_at is None

    @property
    def was_late(self) -> bool:
        return self.met_at is not None and self.due_at is not None and self.met_at > self.due_at


def rule_choices() -> list[tuple[str, str]]:
    rules = DeadlineRule.objects.filter(active=True).values_list("code", "title")
    choices = [(code, data_label(title)) for code, title in rules]
    return [*choices, (LATER_FOLLOWUP, str(_("Senere opfølgninger")))]


def compliance_window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Deadlines due in the last 12 months, up to now."""
    return now - relativedelta(months=COMPLIANCE_MONTHS), now


def _scope(*, user: User, filters: DeadlineFilters) -> Q:
    """The condition on an item's case: one the user may see, narrowed by the filters.

    Built once per list and applied to both of its parts. A member of staff sees every case
    they own (``access.rules.case_visibility``), so their own cases ("mine", a caseworker's
    "Næste frister") need no visibility subquery: building and compiling it was most of
    the Python time the panel cost (``make bench``)."""
    owner_id = filters.worker_id
    if owner_id is None and filters.only_mine:
        owner_id = user.pk
    if owner_id == user.pk and permissions.role_of(user) in STAFF_ROLES:
        scope = Q(case__owner_id=user.pk)
    else:
        scope = Q(case_id__in=Case.objects.visible_to(user).values("id"))
        if owner_id is not None:
            scope &= Q(case__owner_id=owner_id)
    if filters.team_id is not None:
        scope &= Q(case__team_id=filters.team_id)
    return scope


_COLUMNS = (
    "kind",
    "item_id",
    "case_id",
    "case_number",
    "citizen_id",
    "first_name",
    "last_name",
    "owner_id",
    "owner_first",
    "owner_last",
    "owner_username",
    "team_id",
    "rule_code",
    "rule_title",
    "legal_reference",
    "followup_number",
    "due_at",
    "due_on",
    "met_at",
    "handled_otherwise_at",
)


def _case_columns(*, owner_names: bool) -> dict[str, Any]:
    """The case's columns of a row. Without ``owner_names`` the owner's name is left empty
    and the query joins no user table (a panel that names no owner: one join fewer for
    PostgreSQL to plan in each part of the UNION)."""
    no_name = Value("", output_field=CharField())
    return {
        "case_number": F("case__number"),
        "citizen_id": F("case__citizen_id"),
        "first_name": F("case__citizen__first_name"),
        "last_name": F("case__citizen__last_name"),
        "owner_id": F("case__owner_id"),
        "owner_first": F("case__owner__first_name") if owner_names else no_name,
        "owner_last": F("case__owner__last_name") if owner_names else no_name,
        "owner_username": F("case__owner__username") if owner_names else no_name,
        "team_id": F("case__team_id"),
    }


def _deadline_values(qs: QuerySet[Deadline], *, owner_names: bool = True) -> QuerySet[Any]:
    return qs.annotate(
        kind=Value("deadline", output_field=CharField()),
        item_id=F("pk"),
        **_case_columns(owner_names=owner_names),
        rule_code=F("rule__code"),
        rule_title=F("rule__title"),
        legal_reference=F("rule__legal_reference"),
        followup_number=Value(None, output_field=IntegerField()),
        due_on=TruncDate("due_at", tzinfo=timezone.get_current_timezone()),
    ).values(*_COLUMNS)


def _followup_values(qs: QuerySet[FollowUp], *, owner_names: bool = True) -> QuerySet[Any]:
    return qs.annotate(
        kind=Value("followup", output_field=CharField()),
        item_id=F("pk"),
        **_case_columns(owner_names=owner_names),
        rule_code=Coalesce(F("deadline__rule__code"), Value(LATER_FOLLOWUP)),
        rule_title=Coalesce(F("deadline__rule__title"), Value("")),
        legal_reference=Coalesce(
            F("deadline__rule__legal_reference"), Value(LATER_FOLLOWUP_REFERENCE)
        ),
        followup_number=F("number"),
        due_at=F("deadline__due_at"),
        met_at=Value(None, output_field=DateTimeField()),
        handled_otherwise_at=Value(None, output_field=DateTimeField()),
    ).values(*_COLUMNS)


def _open_deadlines() -> QuerySet[Deadline]:
    # A first follow-up's deadline is listed as its follow-up (as the sweep reminds it), not twice.
    return (
        Deadline.objects.filter(met_at=None, handled_otherwise_at=None, followup__isnull=True)
        .exclude(case__status=CaseStatus.CLOSED)
        .order_by()
    )


def _open_followups() -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(held_on=None, measure__ended_on=None)
        .exclude(case__status=CaseStatus.CLOSED)
        # A first follow-up whose deadline was deliberately handled otherwise is not chased.
        .filter(Q(deadline=None) | Q(deadline__handled_otherwise_at=None, deadline__met_at=None))
        .order_by()
    )


def deadline_rows(
    *,
    user: User,
    filters: DeadlineFilters,
    now: dt.datetime | None = None,
    owner_names: bool = True,
) -> QuerySet[Any]:
    """The list's rows as one SQL query (dicts; ``as_rows`` turns a page into DeadlineRows).

    Open states: open deadlines UNION follow-ups not yet held, earliest (so overdue) first.
    Outcome states: deadlines due in the last 12 months, by how they were met.
    ``owner_names=False``: rows with an empty ``owner_name`` (see ``_case_columns``).
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    order = ("due_on", F("due_at").asc(nulls_last=True), "case_number", "item_id")
    if filters.state in OUTCOME_STATES:
        start, end = compliance_window(now)
        deadlines = Deadline.objects.filter(due_at__gt=start, due_at__lte=end).order_by()
        deadlines = deadlines.filter(OUTCOMES[filters.state])
        if filters.rule:
            deadlines = deadlines.filter(rule__code=filters.rule)
        return _deadline_values(
            deadlines.filter(_scope(user=user, filters=filters)), owner_names=owner_names
        ).order_by(*order)

    deadlines = _open_deadlines()
    followups = _open_followups()
    if filters.state == STATE_OVERDUE:
        deadlines = deadlines.filter(due_at__lt=now)
        followups = followups.filter(due_on__lt=today)
    elif filters.state == STATE_WEEK:
        deadlines = deadlines.filter(due_at__gte=now, due_at__lte=now + COMING_WEEK)
        followups = followups.filter(
            due_on__gte=today, due_on__lte=timezone.localtime(now + COMING_WEEK).date()
        )
    if filters.rule == LATER_FOLLOWUP:
        deadlines = deadlines.none()
        followups = followups.filter(deadline=None)
    elif filters.rule == "first_followup":
        deadlines = deadlines.none()
        followups = followups.filter(deadline__rule__code=filters.rule)
    elif filters.rule:
        deadlines = deadlines.filter(rule__code=filters.rule)
        followups = followups.none()
    scope = _scope(user=user, filters=filters)
    deadline_part = _deadline_values(deadlines.filter(scope), owner_names=owner_names)
    followup_part = _followup_values(followups.filter(scope), owner_names=owner_names)
    return deadline_part.union(followup_part, all=True).order_by(*order)


def as_rows(
    values: Iterable[dict[str, Any]],
    *,
    now: dt.datetime,
    user: User,
    led_team_ids: set[int],
) -> list[DeadlineRow]:
    """A page of ``deadline_rows`` as rows; ``can_work`` from what the row already holds."""
    today = timezone.localtime(now).date()
    rows = []
    for v in values:
        due_on = v["due_on"]
        open_ = v["met_at"] is None and v["handled_otherwise_at"] is None
        overdue = due_on < today if v["kind"] == "followup" else open_ and v["due_at"] < now
        owner_name = f"{v['owner_first']} {v['owner_last']}".strip() or v["owner_username"]
        rows.append(
            DeadlineRow(
                kind=v["kind"],
                item_id=v["item_id"],
                case_id=v["case_id"],
                case_number=v["case_number"],
                child_name=f"{v['first_name']} {v['last_name']}".strip(),
                owner_id=v["owner_id"],
                owner_name=owner_name,
                team_id=v["team_id"],
                rule_code=v["rule_code"],
                rule_title=v["rule_title"],
                legal_reference=v["legal_reference"],
                followup_number=v["followup_number"],
                due_at=v["due_at"] if v["kind"] == "deadline" else None,
                due_on=due_on,
                met_at=v["met_at"],
                handled_otherwise_at=v["handled_otherwise_at"],
                is_overdue=overdue,
                can_work=v["owner_id"] == user.pk or v["team_id"] in led_team_ids,
                citizen_id=v["citizen_id"],
            )
        )
    return rows


# --- teams the user leads --------------------------------------------------------------------


@dataclass(frozen=True)
class LedTeams:
    """The teams a user leads and their members, from one query."""

    teams: list[Team]
    members: dict[int, list[User]]  # team id -> members, lead included

    @property
    def team_ids(self) -> set[int]:
        return {t.pk for t in self.teams}

    @property
    def member_ids(self) -> set[int]:
        return {u.pk for users in self.members.values() for u in users}

    def workers(self) -> list[User]:
        seen: dict[int, User] = {}
        for users in self.members.values():
            for u in users:
                seen.setdefault(u.pk, u)
        return sorted(seen.values(), key=_user_sort_key)

    def __bool__(self) -> bool:
        return bool(self.teams)


def _user_sort_key(user: User) -> tuple[str, str, str]:
    return (user.first_name.lower(), user.last_name.lower(), user.username)


def next_deadlines(user: User, now: dt.datetime, limit: int) -> list[DeadlineRow]:
    """Mine sager's panel "Næste frister" (registered in ``cases.start_page``): the top of
    the user's deadline list (its default filter, only their own cases for a caseworker),
    one query. The panel names no case owner, so the query does not fetch their names."""
    filters = DeadlineFilters(only_mine=user.role == Role.CASEWORKER)
    rows = deadline_rows(user=user, filters=filters, now=now, owner_names=False)
    return as_rows(rows[:limit], now=now, user=user, led_team_ids=set())


def led_teams(*, user: User) -> LedTeams:
    if permissions.role_of(user) not in (Role.TEAM_LEAD, Role.CASEWORKER, Role.ADMIN):
        return LedTeams(teams=[], members={})
    memberships = (
        TeamMembership.objects.filter(
            team__memberships__user_id=user.pk, team__memberships__is_lead=True
        )
        .select_related("team", "user")
        .order_by("team__name", "user__first_name", "user__last_name", "user__username")
    )
    teams: dict[int, Team] = {}
    members: dict[int, list[User]] = defaultdict(list)
    for m in memberships:
        teams.setdefault(m.team_id, m.team)
        if m.user.is_active:
            members[m.team_id].append(m.user)
    return LedTeams(teams=list(teams.values()), members=dict(members))


# --- the team overview -----------------------------------------------------------------------


@dataclass
class Compliance:
    """How one group of deadlines of one rule due in the window were met."""

    on_time: int = 0
    late: int = 0
    handled: int = 0  # deliberately handled otherwise: counted apart, not in the share
    missed: int = 0  # still open past the deadline

    @property
    def counted(self) -> int:
        return self.on_time + self.late + self.missed

    @property
    def share(self) -> int | None:
        """Whole per cent met on time, or None when nothing fell due."""
        if not self.counted:
            return None
        return round(100 * self.on_time / self.counted)

    def add(self, other: "Compliance") -> None:
        self.on_time += other.on_time
        self.late += other.late
        self.handled += other.handled
        self.missed += other.missed


@dataclass
class WorkerFigures:
    caseload: int = 0
    overdue_deadlines: int = 0
    overdue_followups: int = 0
    compliance: dict[str, Compliance] = field(
        default_factory=lambda: {code: Compliance() for code in COMPLIANCE_RULES}
    )

    @property
    def overdue(self) -> int:
        return self.overdue_deadlines + self.overdue_followups

    def add(self, other: "WorkerFigures") -> None:
        self.caseload += other.caseload
        self.overdue_deadlines += other.overdue_deadlines
        self.overdue_followups += other.overdue_followups
        for code, figure in other.compliance.items():
            self.compliance[code].add(figure)


@dataclass
class TeamFigures:
    team: Team
    members: list[tuple[User, WorkerFigures]]
    total: WorkerFigures


def team_overview(
    *, teams: LedTeams, now: dt.datetime | None = None
) -> tuple[list[TeamFigures], list[tuple[str, str]]]:
    """Per team and member: caseload, overdue items and compliance; four grouped queries.

    A case counts for its team and its owner. The team's total is every case of the team,
    also those owned by someone no longer on it.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    team_ids = teams.team_ids
    per: dict[tuple[int, int], WorkerFigures] = defaultdict(WorkerFigures)

    caseload = (
        Case.objects.filter(team_id__in=team_ids)
        .exclude(status=CaseStatus.CLOSED)
        .values("team_id", "owner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in caseload:
        per[r["team_id"], r["owner_id"]].caseload = r["n"]

    overdue_deadlines = (
        _open_deadlines()
        .filter(case__team_id__in=team_ids, due_at__lt=now)
        .values("case__team_id", "case__owner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for d in overdue_deadlines:
        per[d["case__team_id"], d["case__owner_id"]].overdue_deadlines = d["n"]

    overdue_followups = (
        _open_followups()
        .filter(case__team_id__in=team_ids, due_on__lt=today)
        .values("case__team_id", "case__owner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for fu in overdue_followups:
        per[fu["case__team_id"], fu["case__owner_id"]].overdue_followups = fu["n"]

    start, end = compliance_window(now)
    outcomes = (
        Deadline.objects.filter(
            case__team_id__in=team_ids,
            rule__code__in=COMPLIANCE_RULES,
            due_at__gt=start,
            due_at__lte=end,
        )
        .values("case__team_id", "case__owner_id", "rule__code")
        .annotate(
            on_time=Count("id", filter=OUTCOMES[STATE_ON_TIME]),
            late=Count("id", filter=OUTCOMES[STATE_LATE]),
            handled=Count("id", filter=OUTCOMES[STATE_HANDLED]),
            missed=Count("id", filter=OUTCOMES[STATE_MISSED]),
        )
        .order_by()
    )
    for o in outcomes:
        per[o["case__team_id"], o["case__owner_id"]].compliance[o["rule__code"]] = Compliance(
            on_time=o["on_time"], late=o["late"], handled=o["handled"], missed=o["missed"]
        )

    result = []
    for team in teams.teams:
        total = WorkerFigures()
        for (team_id, _owner_id), figures in per.items():
            if team_id == team.pk:
                total.add(figures)
        members = [
            (u, per.get((team.pk, u.pk), WorkerFigures())) for u in teams.members.get(team.pk, [])
        ]
        result.append(TeamFigures(team=team, members=members, total=total))
    titles = dict(
        DeadlineRule.objects.filter(code__in=COMPLIANCE_RULES).values_list("code", "title")
    )
    rules = [(code, data_label(titles.get(code, code))) for code in COMPLIANCE_RULES]
    return result, rules
