"""Follow-ups on measures (followups/services.py): the first from the rule, brought
forward when a parallel assessment ends, and recording a held follow-up whole or not at all."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services as case_services
from cases.models import CaseStatus, Deadline, LegalBasis, Measure
from demo import factories as f
from followups import services as services_followup
from followups.models import FollowUp, GoalEvaluation
from followups.services import EvaluationInput, followup_complete, followup_create_first
from plans import services as plan_services
from plans.models import Area, Plan, PlanVersion
from plans.services import RatingInput

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=CPH), tick=False):
        yield


def order(case, user, team, *, start: dt.date) -> Measure:
    return case_services.measure_order(
        case=case,
        user=user,
        legal_basis=LegalBasis.objects.get(code="bl-32-1-2"),
        purpose="Struktur i hverdagen.",
        expected_duration_months=6,
        start_date=start,
        planned_end_date=None,
        provider_team=team,
        consent_given_on=start,
    )


@pytest.fixture
def measure(org, personas) -> Measure:
    case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.ASSESSMENT)
    return order(case, personas.owner, org.family_house, start=TODAY - relativedelta(months=3))


@pytest.fixture
def first(measure) -> FollowUp:
    return FollowUp.objects.get(measure=measure, number=1)


@pytest.fixture
def plan(measure) -> Plan:
    plan = Plan.objects.get(case=measure.case)
    plan_services.plan_goal_add(plan=plan, area=Area.SCHOOL, family_wording="Skole hver dag")
    plan_services.plan_goal_add(plan=plan, area=Area.FAMILY, family_wording="Rolige morgener")
    return plan


def complete(followup: FollowUp, user, **overrides):
    arguments = {
        "held_on": TODAY,
        "participants": "Mor, far, Emma, familiebehandler",
        "decision": FollowUp.Decision.CONTINUE,
        "decision_reasons": "Det går fremad.",
        "next_dates": [TODAY + dt.timedelta(days=30), TODAY + dt.timedelta(days=90)],
        "schedule_reasons": "Tæt på i starten, så vi kan se om morgenerne holder.",
    }
    arguments.update(overrides)
    return followup_complete(followup=followup, user=user, **arguments)


def nothing_saved(followup: FollowUp) -> bool:
    followup.refresh_from_db()
    return (
        followup.held_on is None
        and followup.decision == ""
        and not GoalEvaluation.objects.filter(followup=followup).exists()
        and FollowUp.objects.filter(measure=followup.measure).count() == 1
        and not PlanVersion.objects.filter(plan__case=followup.case).exists()
        and Deadline.objects.get(pk=followup.deadline_id).met_at is None
    )


# --- the first follow-up ----------------------------------------------------------------------


def test_measure_order_creates_the_first_followup_with_its_deadline(measure):
    followup = FollowUp.objects.get(measure=measure)
    assert followup.number == 1
    assert followup.case == measure.case
    assert followup.deadline is not None
    assert followup.deadline.rule.code == "first_followup"
    assert followup.due_on == timezone.localtime(followup.deadline.due_at).date()
    assert followup.due_on == measure.start_date + relativedelta(months=3)


def test_followup_create_first_is_idempotent(measure, first):
    again = followup_create_first(measure=measure, deadline=first.deadline)
    assert again.pk == first.pk
    assert FollowUp.objects.filter(measure=measure).count() == 1


def test_without_an_active_rule_the_first_followup_is_due_after_three_months(org, personas):
    case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    measure = f.MeasureFactory(case=case, start_date=dt.date(2026, 1, 31))
    followup = followup_create_first(measure=measure, deadline=None)
    assert followup.due_on == dt.date(2026, 4, 30)
    assert followup.deadline is None


def test_assessment_finish_brings_the_first_followup_forward(org, personas):
    case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.ASSESSMENT)
    assessment = case_services.assessment_start(
        case=case, user=personas.owner, kind="child_assessment", started_on=TODAY - dt.timedelta(60)
    )
    measure = order(case, personas.owner, org.family_house, start=TODAY - dt.timedelta(days=30))
    followup = FollowUp.objects.get(measure=measure)
    assert followup.due_on > TODAY

    case_services.assessment_finish(
        assessment=assessment,
        user=personas.owner,
        finished_on=TODAY,
        conclusion="Støtte virker.",
        **f.assessment_content(TODAY),
    )

    followup.refresh_from_db()
    assert followup.due_on == TODAY
    assert timezone.localtime(followup.deadline.due_at).date() == TODAY


def test_assessment_ending_after_the_due_date_changes_nothing(org, personas):
    case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.ASSESSMENT)
    assessment = case_services.assessment_start(
        case=case, user=personas.owner, kind="clarification", started_on=TODAY - dt.timedelta(150)
    )
    measure = order(case, personas.owner, org.family_house, start=TODAY - dt.timedelta(days=100))
    before = FollowUp.objects.get(measure=measure).due_on
    assert before < TODAY
    case_services.assessment_finish(
        assessment=assessment,
        user=personas.owner,
        finished_on=TODAY,
        conclusion="Afsluttet.",
        **f.assessment_content(TODAY),
    )
    assert FollowUp.objects.get(measure=measure).due_on == before


# --- recording a held follow-up ---------------------------------------------------------------


def test_first_followup_held_on_time_meets_the_deadline_and_schedules_the_next(
    first, plan, personas
):
    goals = list(plan.goals.all())
    result = complete(
        first,
        personas.owner,
        evaluations=[
            EvaluationInput(goal=goals[0], verdict="on_track", note="Tre dage ud af fem"),
            EvaluationInput(goal=goals[1], verdict="reached"),
        ],
    )

    assert result.held_on == TODAY
    assert result.completed_by == personas.owner
    deadline = Deadline.objects.get(pk=first.deadline_id)
    assert deadline.met_at is not None
    assert not deadline.was_late
    assert "Første opfølgning holdt" in deadline.met_by_event
    later = list(FollowUp.objects.filter(measure=first.measure, number__gt=1).order_by("number"))
    assert [(f.number, f.due_on) for f in later] == [
        (2, TODAY + dt.timedelta(days=30)),
        (3, TODAY + dt.timedelta(days=90)),
    ]
    assert all(f.case_id == first.case_id and f.deadline is None for f in later)
    evaluations = dict(GoalEvaluation.objects.filter(followup=first).values_list("goal", "verdict"))
    assert evaluations == {goals[0].pk: "on_track", goals[1].pk: "reached"}


def test_first_followup_held_late_meets_the_deadline_late(first, personas):
    first.due_on = TODAY - dt.timedelta(days=10)
    first.save()
    Deadline.objects.filter(pk=first.deadline_id).update(
        due_at=timezone.now() - dt.timedelta(days=10)
    )
    complete(first, personas.owner)
    deadline = Deadline.objects.get(pk=first.deadline_id)
    assert deadline.met_at is not None and deadline.was_late


def test_revising_the_plan_makes_a_new_version(first, plan, personas):
    result = complete(first, personas.owner, revise_plan=True)
    version = PlanVersion.objects.get(plan=plan)
    assert result.plan_version == version
    assert "1. opfølgning" in version.reason


def test_a_rating_round_of_the_day_is_linked(first, plan, personas):
    goal = plan.goals.first()
    rating_round = plan_services.plan_rating_round_record(
        plan=plan,
        user=personas.owner,
        held_on=TODAY,
        ratings=[RatingInput(goal=goal, rater_kind="parent", rater_name="Mor", value=6)],
    )
    assert complete(first, personas.owner, rating_round_id=rating_round.pk).rating_round == (
        rating_round
    )


def test_ending_the_measure_needs_no_next_dates(first, personas):
    result = complete(
        first, personas.owner, decision=FollowUp.Decision.END, next_dates=[], schedule_reasons=""
    )
    assert result.decision == "end"
    assert FollowUp.objects.filter(measure=first.measure).count() == 1


def test_a_later_followup_needs_no_next_dates(first, personas):
    complete(first, personas.owner)
    second = FollowUp.objects.get(measure=first.measure, number=2)
    with time_machine.travel(dt.datetime(2026, 7, 20, 10, tzinfo=CPH), tick=False):
        result = complete(
            second, personas.owner, held_on=dt.date(2026, 7, 20), next_dates=[], schedule_reasons=""
        )
    assert result.held_on == dt.date(2026, 7, 20)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_on": TODAY + dt.timedelta(days=1)}, "held_on"),
        ({"held_on": TODAY - relativedelta(months=4)}, "held_on"),
        ({"participants": "  "}, "participants"),
        ({"decision": "maybe"}, "decision"),
        ({"decision_reasons": ""}, "decision_reasons"),
        ({"next_dates": []}, "next_dates"),  # required at the first follow-up
        ({"next_dates": [TODAY]}, "next_dates"),
        ({"next_dates": [TODAY + dt.timedelta(days=n) for n in range(1, 8)]}, "next_dates"),
        ({"next_dates": [TODAY + dt.timedelta(days=900)]}, "next_dates"),
        ({"schedule_reasons": ""}, "schedule_reasons"),
        ({"decision": "end"}, "next_dates"),  # no next follow-ups when it ends
        ({"participants": "x" * 5001}, "participants"),
        ({"rating_round_id": 999999}, "rating_round"),
    ],
)
def test_bad_input_is_refused_per_field_and_nothing_is_saved(
    first, plan, personas, overrides, field
):
    with pytest.raises(ValidationError) as error:
        complete(first, personas.owner, revise_plan=True, **overrides)
    assert field in error.value.message_dict
    assert nothing_saved(first)


def test_a_goal_of_another_plan_or_twice_is_refused(first, plan, org, personas):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    other_plan = plan_services.plan_create(case=other, user=personas.owner)
    foreign = plan_services.plan_goal_add(plan=other_plan, area=Area.HEALTH, family_wording="Søvn")
    own = plan.goals.first()
    for evaluations in (
        [EvaluationInput(goal=foreign, verdict="reached")],
        [
            EvaluationInput(goal=own, verdict="reached"),
            EvaluationInput(goal=own, verdict="reached"),
        ],
        [EvaluationInput(goal=own, verdict="brilliant")],
    ):
        with pytest.raises(ValidationError) as error:
            complete(first, personas.owner, evaluations=evaluations)
        assert "evaluations" in error.value.message_dict
    assert nothing_saved(first)


def test_a_rating_round_of_another_day_is_refused(first, plan, personas):
    rating_round = plan_services.plan_rating_round_record(
        plan=plan,
        user=personas.owner,
        held_on=TODAY - dt.timedelta(days=3),
        ratings=[RatingInput(goal=None, rater_kind="parent", rater_name="Mor", value=6)],
    )
    with pytest.raises(ValidationError) as error:
        complete(first, personas.owner, rating_round_id=rating_round.pk)
    assert "rating_round" in error.value.message_dict


def test_a_date_already_planned_is_refused(first, personas):
    f.FollowUpFactory(measure=first.measure, number=2, due_on=TODAY + dt.timedelta(days=30))
    with pytest.raises(ValidationError) as error:
        complete(first, personas.owner)
    assert "next_dates" in error.value.message_dict


def test_revising_a_plan_without_goals_is_refused(first, personas):
    with pytest.raises(ValidationError):
        complete(first, personas.owner, revise_plan=True)
    assert nothing_saved(first)


def test_a_failure_late_in_the_service_leaves_nothing_half_saved(
    first, plan, personas, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services_followup.deadlines, "deadlines_meet", broken)
    goal = plan.goals.first()
    with pytest.raises(RuntimeError):
        complete(
            first,
            personas.owner,
            revise_plan=True,
            evaluations=[EvaluationInput(goal=goal, verdict="on_track")],
        )
    assert nothing_saved(first)


def test_a_followup_is_recorded_once(first, personas):
    complete(first, personas.owner)
    with pytest.raises(ValidationError, match="allerede registreret"):
        complete(first, personas.owner, next_dates=[TODAY + dt.timedelta(days=10)])
    assert FollowUp.objects.filter(measure=first.measure).count() == 3


def test_a_closed_case_is_refused(first, personas):
    first.case.status = CaseStatus.CLOSED
    first.case.save()
    with pytest.raises(ValidationError, match="lukket"):
        complete(first, personas.owner)
