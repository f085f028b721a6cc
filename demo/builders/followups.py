"""The demo's follow-ups and therapist sessions, for one measure of ``seed_demo``.

Sessions follow the measure's planned taper (``HoursStep``): frequent and long at first,
sparser toward the end; on a few measures the effort is not coming down as planned, which is
what the caseworker should notice. Follow-ups due long enough ago were held (through
``followups.services.followup_complete``, with the later schedule and its reasons);
recent ones are left due or overdue, so the first reminder sweep after ``make setup`` has
something to raise. Places, methods and texts are the tables of ``demo.data.followups``.
"""

import datetime as dt
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from accounts.models import User
from cases.deadlines import deadline_handle_otherwise
from cases.models import Deadline, FamilyMember, Measure
from cases.working_days import is_working_day
from demo.builders.plans import PlanSubject
from demo.data.followups import (
    DECISION_REASONS,
    ENDED_BEFORE_FIRST_FOLLOWUP,
    EVALUATION_NOTES,
    FAMILY_SUMMARIES,
    INTERNAL_NOTES,
    LOCATIONS,
    METHODS_AT,
    OTHER_PLACES,
    PARTICIPANTS,
    SCHEDULE_REASONS,
)
from followups.models import FollowUp, GoalEvaluation, Session
from followups.services import EvaluationInput, followup_complete
from plans.models import Goal, Plan

Location = Session.Location
Method = Session.Method


@dataclass(frozen=True)
class FollowupSubject:
    measure: Measure
    plan: Plan
    owner: User
    therapist: User
    child: FamilyMember
    parents: Sequence[FamilyMember]
    words: dict[str, str]  # child, parent, relative, institution


def _weighted(rng: random.Random, choices: Sequence[tuple[str, int]]) -> str:
    return rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]


def _planned_hours(steps: list[tuple[int | None, Decimal]], week: int) -> float:
    passed = 0
    for weeks, hours in steps:
        if weeks is None or week < passed + weeks:
            return float(hours)
        passed += weeks
    return float(steps[-1][1]) if steps else 0.0


def _week_days(rng: random.Random, monday: dt.date, count: int) -> list[dt.date]:
    days = [monday + dt.timedelta(days=i) for i in range(5)]
    days = [d for d in days if is_working_day(d)]
    return sorted(rng.sample(days, min(count, len(days))))


def demo_sessions(
    *,
    subject: FollowupSubject,
    rng: random.Random,
    today: dt.date,
    at: Callable[[dt.date, int], dt.datetime],
    over_plan: bool,
) -> list[Session]:
    """The therapist's logged sessions, week by week, following the planned taper.

    ``over_plan``: after the first step the hours stay up instead of coming down.
    """
    measure = subject.measure
    steps = [(s.weeks, s.hours_per_week) for s in measure.hours_steps.order_by("position")]
    last = min(measure.ended_on or today, today - dt.timedelta(days=1))
    goals = list(subject.plan.goals.exclude(status=Goal.Status.DROPPED))
    second = [
        a.user for a in measure.assignments.select_related("user") if a.user != subject.therapist
    ]
    monday = measure.start_date - dt.timedelta(days=measure.start_date.weekday())
    family = [subject.child, *subject.parents]
    sessions: list[Session] = []
    links: list[tuple[Session, list[FamilyMember], list[Goal]]] = []
    week = 0
    while monday <= last:
        hours = _planned_hours(steps, week)
        if over_plan and week >= (steps[0][0] or 0):
            hours = max(hours, float(steps[0][1]) * 0.9)
        hours *= rng.uniform(0.8, 1.1)
        count = max(1, math.ceil(hours / 2))
        if rng.random() < 0.08:  # a cancelled week: illness, holidays
            count = 0
        for day in _week_days(rng, monday, count):
            if day < measure.start_date or day > last:
                continue
            minutes = max(30, round(hours * 60 / count / 15) * 15)
            location = _weighted(rng, LOCATIONS)
            methods = rng.sample(
                METHODS_AT[location], min(len(METHODS_AT[location]), rng.randint(1, 3))
            )
            start = dt.time(rng.choice((8, 9, 10, 13, 14, 15, 16)), rng.choice((0, 15, 30)))
            text = rng.choice(INTERNAL_NOTES).format(**subject.words)
            session = Session(
                case=measure.case,
                measure=measure,
                therapist=subject.therapist,
                status=Session.Status.LOGGED,
                date=day,
                start_time=start,
                duration_minutes=minutes,
                location=location,
                location_other=rng.choice(OTHER_PLACES) if location == Location.OTHER else "",
                network_participants=(
                    subject.words["relative"].capitalize()
                    if Method.NETWORK_MEETING in methods
                    else ""
                ),
                second_therapist=second[0] if second and rng.random() < 0.15 else None,
                methods=methods,
                internal_note=text,
                family_summary=(
                    rng.choice(FAMILY_SUMMARIES).format(**subject.words)
                    if rng.random() < 0.6
                    else ""
                ),
                logged_at=at(day, min(start.hour + 2, 20)),
            )
            present = [m for m in family if m is subject.child or rng.random() < 0.8] or family
            if location == Location.SCHOOL:
                present = [m for m in subject.parents[:1]] or family
            links.append((session, present, rng.sample(goals, min(len(goals), rng.randint(1, 2)))))
            sessions.append(session)
        monday += dt.timedelta(days=7)
        week += 1
    Session.objects.bulk_create(sessions)
    # created_at/updated_at are bookkeeping stamps of "now"; the log belongs to its days.
    for session in sessions:
        assert session.logged_at is not None
        session.created_at = session.updated_at = session.logged_at
    Session.objects.bulk_update(sessions, ["created_at", "updated_at"], batch_size=500)
    Session.family_participants.through.objects.bulk_create(
        [
            Session.family_participants.through(session_id=s.pk, familymember_id=m.pk)
            for s, members, _goals in links
            for m in members
        ]
    )
    Session.goals.through.objects.bulk_create(
        [
            Session.goals.through(session_id=s.pk, goal_id=g.pk)
            for s, _members, session_goals in links
            for g in session_goals
        ]
    )
    return sessions


def demo_followups(
    *,
    subject: FollowupSubject,
    rng: random.Random,
    today: dt.date,
    at: Callable[[dt.date, int], dt.datetime],
) -> list[FollowUp]:
    """Hold the follow-ups due long enough ago; leave recent ones due or overdue."""
    measure = subject.measure
    last = measure.ended_on or today
    held: list[FollowUp] = []
    while True:
        followup = FollowUp.objects.filter(measure=measure, held_on=None).order_by("number").first()
        if followup is None or followup.due_on > last:
            break
        overdue_days = (today - followup.due_on).days
        # A recent follow-up of a running measure is sometimes still waiting: the sweep's
        # overdue reminders. Older ones were held, some of them a little late.
        if measure.ended_on is None and overdue_days < 45 and rng.random() < 0.6:
            break
        held_on = followup.due_on + dt.timedelta(days=rng.choice((-9, -6, -3, -1, 0, 2, 6)))
        while not is_working_day(held_on):
            held_on -= dt.timedelta(days=1)
        held_on = max(measure.start_date, min(held_on, last, today - dt.timedelta(days=1)))
        # A rating round held at a meeting near the due date was this follow-up's round.
        rating_round = (
            subject.plan.rating_rounds.filter(
                held_on__gte=max(
                    followup.due_on - dt.timedelta(days=14),
                    _day_after(held[-1].held_on) if held else measure.start_date,
                ),
                held_on__lte=min(followup.due_on + dt.timedelta(days=7), last, today),
            )
            .order_by("-held_on")
            .first()
        )
        if rating_round is not None:
            held_on = rating_round.held_on
        # The later schedule as decided at the first follow-up; a measure that has since
        # ended was ended at the last follow-up before its end.
        later = list(
            FollowUp.objects.filter(measure=measure, number__gt=followup.number).values_list(
                "due_on", flat=True
            )
        )
        next_dates: list[dt.date] = []
        if followup.number == 1:
            next_dates = [held_on + relativedelta(months=2), held_on + relativedelta(months=5)]
        elif not later:
            next_dates = [held_on + relativedelta(months=3)]
        if measure.ended_on is not None:
            next_dates = [day for day in next_dates if day <= measure.ended_on]
        ending = measure.ended_on is not None and not next_dates and not later
        if ending:
            decision = FollowUp.Decision.END
        else:
            decision = rng.choices(
                [FollowUp.Decision.CONTINUE, FollowUp.Decision.ADJUST], weights=[3, 1]
            )[0]
        goals = list(subject.plan.goals.exclude(status=Goal.Status.DROPPED))
        verdicts = [
            GoalEvaluation.Verdict.REACHED,
            GoalEvaluation.Verdict.ON_TRACK,
            GoalEvaluation.Verdict.ON_TRACK,
            GoalEvaluation.Verdict.NOT_ON_TRACK,
        ]
        evaluations = []
        for goal in goals:
            verdict = rng.choice(verdicts[:2] if ending else verdicts)
            evaluations.append(
                EvaluationInput(goal=goal, verdict=verdict, note=EVALUATION_NOTES[verdict])
            )
        parents = ", ".join(p.name for p in subject.parents[:2])
        followup = followup_complete(
            followup=followup,
            user=subject.owner,
            held_on=held_on,
            participants=PARTICIPANTS.format(
                parents=parents,
                child=subject.words["child"],
                therapist=subject.therapist.get_full_name(),
                caseworker=subject.owner.get_full_name(),
            ),
            decision=decision,
            decision_reasons=rng.choice(DECISION_REASONS[decision]),
            evaluations=evaluations,
            rating_round_id=rating_round.pk if rating_round else None,
            next_dates=next_dates,
            schedule_reasons=rng.choice(SCHEDULE_REASONS) if next_dates else "",
        )
        FollowUp.objects.filter(pk=followup.pk).update(completed_at=at(held_on, 15))
        held.append(followup)
        if decision == FollowUp.Decision.END:
            break
    # A measure that ended before its first follow-up: the deadline was handled by ending it.
    first = FollowUp.objects.filter(measure=measure, number=1, held_on=None).first()
    deadline = first.deadline if first is not None else None
    if measure.ended_on is not None and deadline is not None and deadline.is_open:
        deadline_handle_otherwise(
            deadline=deadline,
            user=subject.owner,
            reason=ENDED_BEFORE_FIRST_FOLLOWUP,
        )
        Deadline.objects.filter(pk=deadline.pk).update(
            handled_otherwise_at=at(measure.ended_on, 14)
        )
    return held


def demo_followups_fill(
    *,
    subject: FollowupSubject,
    rng: random.Random,
    today: dt.date,
    at: Callable[[dt.date, int], dt.datetime],
    over_plan: bool,
) -> None:
    """Sessions and follow-ups of one measure (its own generator: the rest stays the same)."""
    demo_sessions(subject=subject, rng=rng, today=today, at=at, over_plan=over_plan)
    demo_followups(subject=subject, rng=rng, today=today, at=at)


def demo_followups_for_plan(
    *,
    subject: PlanSubject,
    measure: Measure,
    seed: str,
    today: dt.date,
    at: Callable[[dt.date, int], dt.datetime],
) -> None:
    """Called by ``seed_demo`` for each case with a measure, once its plan is written."""
    rng = random.Random(seed)
    child = subject.child
    first_name = child.citizen.first_name if child.citizen is not None else child.first_name
    parent = subject.parents[0]
    words = {
        "child": first_name,
        "parent": parent.first_name or parent.name,
        "relative": subject.relative.capitalize(),
        "institution": subject.institution,
    }
    plan = Plan.objects.get(case=subject.case)
    followup_subject = FollowupSubject(
        measure=measure,
        plan=plan,
        owner=subject.owner,
        therapist=subject.therapist,
        child=child,
        parents=list(subject.parents),
        words=words,
    )
    # On a few measures well under way the effort is not coming down as planned.
    running_long = measure.ended_on is None and (today - measure.start_date).days >= 70
    over_plan = running_long and rng.random() < 0.35
    demo_followups_fill(subject=followup_subject, rng=rng, today=today, at=at, over_plan=over_plan)


def _day_after(day: dt.date | None) -> dt.date:
    assert day is not None  # a held follow-up has its date
    return day + dt.timedelta(days=1)
