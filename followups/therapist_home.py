"""The therapist's start page, "Min forside" (``followups.views.therapist_home``): what a
family therapist or psychologist (a provider, ``access.rules.PROVIDER``) works on, read in a
fixed number of queries however many measures it has, and the panels the apps above
followups add to it (``register_panel``).

Only the therapist's own things: the measures it is assigned to (``cases.MeasureAssignment``)
and what hangs on them — its sessions, the follow-ups and, through the registry, the closing
letters. Nothing from the authority's file (notifications, assessments, the journal), and
none of the caseworker's deadlines or reminders.

* **Sessions** are logged after they took place (``followups.sessions``: a session cannot be
  logged before its date, and a draft starts with today's date), so there is no calendar of
  sessions ahead. The page shows the week so far, the therapist's drafts not yet logged (their
  hours do not count until they are), its latest logged sessions and the measures that have
  had no logged session for ``QUIET_DAYS`` days or more.
* **Hours** per measure are the rows of the session-hours page (``followups:session_hours``),
  computed by ``charts_hours.hours_rows`` from the same two queries
  (``sessions.used_minutes_by_month``, ``sessions.hours_steps_by_measure``) with the same
  arguments as ``followups.views.sessions.measure_hours``; this month and the total so far
  are read off those rows.
* **Follow-up meetings** record who took part only once held, as free text
  (``FollowUp.participants``), so the meetings ahead a therapist takes part in are the
  follow-ups not yet held of the measures it works on (the deadline list's
  ``selectors._open_followups``).

**Panels.** An app above followups (letters: closing letters waiting for the family) adds a
section with ``register_panel`` from its ``AppConfig.ready()``, as with
``followups.reminders.register_item_source``. A source is called with the user and today and
returns one ``Panel`` in a fixed number of queries (one), of the user's own things only;
every item carries its case and citizen, so the page writes every case it names to the access
log in its one INSERT.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.template.defaultfilters import floatformat
from django.utils.translation import ngettext

from accounts.models import User
from cases.models import CaseStatus, HoursStep, Measure
from followups import charts_hours
from followups import sessions as session_services
from followups.models import FollowUp, Session
from followups.selectors import FOLLOWUP_REFERENCE, LATER_FOLLOWUP_REFERENCE, _open_followups

QUIET_DAYS = 14  # a measure without a logged session this long is named on the page
LATEST_SESSIONS = 5
DRAFTS_SHOWN = 10
FOLLOWUPS_SHOWN = 10


# --- the registry of panels --------------------------------------------------------------------


@dataclass(frozen=True)
class PanelItem:
    """One entry of a panel: a heading (the child's name), facts as (label, value) already
    formatted (dates as 22.11.2026), an optional warning in words, and one link."""

    case_id: Any
    citizen_id: Any  # for the access log of the page that shows it
    heading: str
    url: str
    link_text: str
    facts: tuple[tuple[str, str], ...] = ()
    alert: str = ""


@dataclass(frozen=True)
class Panel:
    key: str  # the section's id on the page (a fragment link): letters, say
    title: str
    empty_text: str
    items: list[PanelItem] = field(default_factory=list)


# (user, today) → the panel, of the user's own things only, in a fixed number of queries.
PanelSource = Callable[[User, dt.date], Panel]
PANEL_SOURCES: list[PanelSource] = []


def register_panel(source: PanelSource) -> None:
    """Add ``source``'s panel to every therapist's start page, after the page's own sections.

    For apps above followups, from their AppConfig.ready(); registering the same source again
    changes nothing.
    """
    if source not in PANEL_SOURCES:
        PANEL_SOURCES.append(source)


def extra_panels(user: User, today: dt.date) -> list[Panel]:
    return [source(user, today) for source in PANEL_SOURCES]


# --- what the page reads ------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureHours:
    """Used against planned hours: this month until today, and since the measure started."""

    month: charts_hours.MonthRow | None
    used: Decimal
    planned: Decimal
    has_plan: bool
    warning: charts_hours.TaperWarning | None


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure  # with its legal basis and the child's name (never the CPR number)
    last_session_on: dt.date | None
    days_quiet: int | None  # days since the last session, or since the start; None: not begun
    hours: MeasureHours

    @property
    def child_name(self) -> str:
        return self.measure.case.citizen.full_name

    @property
    def started(self) -> bool:
        return self.days_quiet is not None

    @property
    def is_quiet(self) -> bool:
        return self.days_quiet is not None and self.days_quiet >= QUIET_DAYS


@dataclass(frozen=True)
class FollowUpRow:
    followup: FollowUp
    is_overdue: bool

    @property
    def legal_reference(self) -> str:
        return FOLLOWUP_REFERENCE if self.followup.number == 1 else LATER_FOLLOWUP_REFERENCE


@dataclass(frozen=True)
class Week:
    """The therapist's logged sessions of the current week (Monday to today)."""

    monday: dt.date
    today_count: int
    count: int
    minutes: int

    @property
    def hours(self) -> Decimal:
        return Decimal(self.minutes) / 60

    @property
    def hours_text(self) -> str:
        """The week's hours in words: "1 time", "4,5 timer" (as the language writes numbers)."""
        hours = self.hours
        return ngettext("%(hours)s time", "%(hours)s timer", 1 if hours == 1 else 2) % {
            "hours": floatformat(hours, "-1")
        }


@dataclass(frozen=True)
class TherapistHome:
    today: dt.date
    measures: list[MeasureRow]
    drafts: list[Session]
    latest_sessions: list[Session]
    week: Week
    followups: list[FollowUpRow]
    panels: list[Panel]

    @property
    def quiet_measures(self) -> list[MeasureRow]:
        return [row for row in self.measures if row.is_quiet]

    def cases_shown(self) -> Iterator[tuple[Any, Any]]:
        """(case id, citizen id) of everything the page names, in the page's order."""
        for session in [*self.drafts, *self.latest_sessions]:
            yield session.case_id, session.case.citizen_id
        for row in self.measures:
            yield row.measure.case_id, row.measure.case.citizen_id
        for fu in self.followups:
            yield fu.followup.case_id, fu.followup.case.citizen_id
        for panel in self.panels:
            for item in panel.items:
                yield item.case_id, item.citizen_id


# The case as far as the page names it: the child's name, never the CPR number.
_CASE_FIELDS = ("case", "case__citizen", "case__citizen__first_name", "case__citizen__last_name")


def therapist_measures(user: User) -> list[Measure]:
    """The active measures ``user`` is assigned to on open cases, by the child's name, each
    with the date of its last logged session (by any of its therapists): one query."""
    last_session = (
        Session.objects.filter(measure=OuterRef("pk"), status=Session.Status.LOGGED)
        .order_by("-date")
        .values("date")[:1]
    )
    measures = (
        Measure.objects.filter(assignments__user_id=user.pk, ended_on=None)
        .exclude(case__status=CaseStatus.CLOSED)
        .select_related("legal_basis", "case__citizen")
        .only(
            "legal_basis",
            "purpose",
            "start_date",
            "planned_end_date",
            "ended_on",
            "legal_basis__law",
            "legal_basis__paragraph",
            *_CASE_FIELDS,
        )
        .annotate(last_session_on=Subquery(last_session))
        .order_by("case__citizen__first_name", "case__citizen__last_name", "start_date", "id")
    )
    return list(measures)


def _hours_rows(
    measure: Measure,
    used: dict[dt.date, int],
    steps: list[HoursStep],
    today: dt.date,
) -> list[charts_hours.MonthRow]:
    """The months of the session-hours page, with the arguments
    ``followups.views.sessions.measure_hours`` gives ``hours_rows``."""
    last_used = max(used, default=None)
    end = measure.ended_on or today
    if last_used is not None and last_used > end:
        end = last_used  # a session logged after the end still counts
    return charts_hours.hours_rows(
        start=measure.start_date,
        end=end,
        steps=[charts_hours.Step(s.weeks, s.hours_per_week) for s in steps],
        used_minutes=used,
        planned_until=measure.planned_end_date,
    )


def measure_rows(measures: list[Measure], today: dt.date) -> list[MeasureRow]:
    """Each measure with its hours (two queries for all of them) and how long it has been
    quiet."""
    used = session_services.used_minutes_by_month(measures)
    steps = session_services.hours_steps_by_measure(measures)
    this_month = today.replace(day=1)
    rows = []
    for measure in measures:
        last: dt.date | None = getattr(measure, "last_session_on", None)
        since = max(last, measure.start_date) if last else measure.start_date
        days_quiet = (today - since).days if measure.start_date <= today else None
        months = _hours_rows(measure, used[measure.pk], steps[measure.pk], today)
        hours = MeasureHours(
            month=next((r for r in months if r.month == this_month), None),
            used=sum((r.used for r in months), Decimal(0)),
            planned=sum((r.planned for r in months), Decimal(0)),
            has_plan=bool(steps[measure.pk]),
            warning=charts_hours.taper_warning(months, today=today),
        )
        rows.append(
            MeasureRow(measure=measure, last_session_on=last, days_quiet=days_quiet, hours=hours)
        )
    return rows


def _own_sessions(user: User) -> QuerySet[Session]:
    """Sessions ``user`` wrote on measures it is still assigned to (so on cases it sees)."""
    return (
        Session.objects.filter(therapist_id=user.pk, measure__assignments__user_id=user.pk)
        .select_related("measure__legal_basis", "case__citizen")
        .only(
            "measure",
            "status",
            "date",
            "start_time",
            "duration_minutes",
            "location",
            "updated_at",
            "measure__legal_basis",
            "measure__start_date",
            "measure__legal_basis__law",
            "measure__legal_basis__paragraph",
            *_CASE_FIELDS,
        )
    )


def latest_sessions(user: User, limit: int = LATEST_SESSIONS) -> list[Session]:
    sessions = _own_sessions(user).filter(status=Session.Status.LOGGED)
    return list(sessions.order_by("-date", "-start_time", "-id")[:limit])


def open_drafts(user: User, limit: int = DRAFTS_SHOWN) -> list[Session]:
    drafts = _own_sessions(user).filter(status=Session.Status.DRAFT)
    return list(drafts.order_by("-updated_at", "-id")[:limit])


def week_of(user: User, today: dt.date) -> Week:
    """Counts only (no case is named): one aggregate over the index (therapist, status)."""
    monday = today - dt.timedelta(days=today.weekday())
    figures = Session.objects.filter(
        therapist_id=user.pk,
        status=Session.Status.LOGGED,
        date__gte=monday,
        date__lte=today,
    ).aggregate(
        count=Count("id"),
        minutes=Sum("duration_minutes"),
        today_count=Count("id", filter=Q(date=today)),
    )
    return Week(
        monday=monday,
        today_count=figures["today_count"] or 0,
        count=figures["count"] or 0,
        minutes=figures["minutes"] or 0,
    )


def coming_followups(user: User, today: dt.date, limit: int = FOLLOWUPS_SHOWN) -> list[FollowUpRow]:
    """Follow-ups not yet held on the active measures ``user`` works on, soonest (so any late
    one) first: one query."""
    followups = (
        _open_followups()
        .filter(measure__assignments__user_id=user.pk)
        .select_related("measure__legal_basis", "case__citizen")
        .only(
            "measure",
            "number",
            "due_on",
            "measure__legal_basis",
            "measure__start_date",
            "measure__legal_basis__law",
            "measure__legal_basis__paragraph",
            *_CASE_FIELDS,
        )
        .order_by("due_on", "number", "id")[:limit]
    )
    return [FollowUpRow(followup=fu, is_overdue=fu.due_on < today) for fu in followups]


def therapist_home(*, user: User, today: dt.date) -> TherapistHome:
    """Everything the page shows: the same number of queries for 1 or 50 measures."""
    measures = therapist_measures(user)
    return TherapistHome(
        today=today,
        measures=measure_rows(measures, today),
        drafts=open_drafts(user),
        latest_sessions=latest_sessions(user),
        week=week_of(user, today),
        followups=coming_followups(user, today),
        panels=extra_panels(user, today),
    )
