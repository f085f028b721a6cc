"""The plan through plans/services.py: one plan per case, goals, who does what, Signs of
Safety, scaling 0–10 and frozen versions."""

import copy
import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import deadlines as deadline_services
from cases import services as case_services
from cases.models import CaseStatus, Deadline, FamilyMember, LegalBasis
from demo import factories as f
from plans import services
from plans.models import (
    Area,
    Goal,
    Plan,
    PlanVersion,
    Rating,
    RatingRound,
    Responsibility,
    SafetyMapEntry,
    WorryStatement,
)
from plans.services import RatingInput
from plans.snapshots import ChangeAction, Section

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def plan(case, personas) -> Plan:
    return services.plan_create(case=case, user=personas.owner)


@pytest.fixture
def goal(plan) -> Goal:
    return services.plan_goal_add(
        plan=plan,
        area=Area.SCHOOL,
        family_wording="  Emma kommer i skole hver dag.  ",
        professional_wording="Stabilt fremmøde",
        formulated_by="Emma og mor",
        target_date=dt.date(2026, 12, 1),
    )


@pytest.fixture
def parent(case) -> FamilyMember:
    return FamilyMember.objects.get(family__members__citizen=case.citizen, is_child=False)


@pytest.fixture
def other_plan(org, personas) -> Plan:
    other_case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    return services.plan_create(case=other_case, user=personas.owner)


def yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


def rating(goal=None, name="Mor", value=5, kind="parent") -> RatingInput:
    return RatingInput(goal=goal, rater_kind=kind, rater_name=name, value=value)


def plan_deadline(case, start: dt.datetime | None = None) -> Deadline:
    measure = case.measures.first() or f.MeasureFactory(case=case)
    deadline = deadline_services.deadline_schedule(
        case=case, rule_code="plan", start=start or timezone.now(), measure=measure
    )
    assert deadline is not None
    return deadline


# --- one case, one plan ----------------------------------------------------------------------


def test_plan_create_makes_one_plan_and_returns_it_again(case, personas):
    plan = services.plan_create(case=case, user=personas.owner)
    again = services.plan_create(case=case, user=personas.team_lead, kind=Plan.Kind.YOUTH_PLAN)
    assert again.pk == plan.pk
    assert again.kind == plan.kind  # the existing plan is returned as it is
    assert Plan.objects.filter(case=case).count() == 1
    assert plan.created_by == personas.owner
    assert plan.version == 1


def test_a_plan_created_elsewhere_at_the_same_moment_is_returned(case, personas, monkeypatch):
    first = services.plan_create(case=case, user=personas.owner)
    # As if another request committed its plan just after this one looked for one: the
    # one-to-one refuses the second row, and the plan that won is returned.
    monkeypatch.setattr(Plan.objects, "filter", lambda *args, **kwargs: Plan.objects.none())
    again = services.plan_create(case=case, user=personas.team_lead)
    monkeypatch.undo()
    assert again.pk == first.pk
    assert Plan.objects.filter(case=case).count() == 1


def test_plan_create_refuses_a_closed_case(org, personas):
    closed = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError):
        services.plan_create(case=closed, user=personas.owner)
    assert not Plan.objects.filter(case=closed).exists()


def test_plan_create_refuses_an_unknown_kind(case, personas):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(case=case, user=personas.owner, kind="handleplan")
    assert "kind" in exc.value.message_dict
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("today", "kind"),
    [
        (dt.date(2026, 5, 9), Plan.Kind.CHILDS_PLAN),  # the day before the 16th birthday
        (dt.date(2026, 5, 10), Plan.Kind.YOUTH_PLAN),  # the 16th birthday
        (dt.date(2026, 5, 11), Plan.Kind.YOUTH_PLAN),
    ],
)
def test_the_kind_follows_the_childs_age_on_the_day(org, personas, today, kind):
    child = f.CitizenFactory(cpr=f.fictitious_cpr(dt.date(2010, 5, 10)))
    case = f.CaseFactory(citizen=child, owner=personas.owner, team=org.team_a)
    with time_machine.travel(dt.datetime.combine(today, dt.time(12), tzinfo=CPH), tick=False):
        plan = services.plan_create(case=case, user=personas.owner)
    assert plan.kind == kind


def test_an_explicit_kind_wins_over_the_age(org, personas):
    child = f.CitizenFactory(cpr=f.fictitious_cpr(dt.date(2015, 1, 1)))
    case = f.CaseFactory(citizen=child, owner=personas.owner, team=org.team_a)
    plan = services.plan_create(case=case, user=personas.owner, kind=Plan.Kind.YOUTH_PLAN)
    assert plan.kind == Plan.Kind.YOUTH_PLAN


def test_recording_the_first_version_meets_the_plan_deadline_creating_does_not(case, personas):
    deadline = plan_deadline(case)
    plan = services.plan_create(case=case, user=personas.owner)
    deadline.refresh_from_db()
    assert deadline.is_open  # an empty plan is not the plan being made
    services.plan_goal_add(plan=plan, area="family", family_wording="Vi vil have rolige morgener.")
    services.plan_version_freeze(plan=plan, user=personas.owner, reason="Møde med familien")
    deadline.refresh_from_db()
    assert deadline.met_at is not None
    assert deadline.met_by_event == "Planen udarbejdet med familien (version 1)"


def test_a_plan_without_goals_cannot_be_recorded_as_made(case, personas):
    deadline = plan_deadline(case)
    plan = services.plan_create(case=case, user=personas.owner)
    with pytest.raises(ValidationError):
        services.plan_version_freeze(plan=plan, user=personas.owner)
    assert not plan.versions.exists()
    deadline.refresh_from_db()
    assert deadline.is_open


def test_a_plan_on_another_case_does_not_meet_this_cases_deadline(case, org, personas):
    deadline = plan_deadline(case)
    other_case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    other_plan = services.plan_create(case=other_case, user=personas.owner)
    services.plan_goal_add(plan=other_plan, area="health", family_wording="Sove godt om natten.")
    services.plan_version_freeze(plan=other_plan, user=personas.owner)
    deadline.refresh_from_db()
    assert deadline.is_open


def order_measure(case, personas, org):
    return case_services.measure_order(
        case=case,
        user=personas.owner,
        legal_basis=LegalBasis.objects.get(code="bl-32-1-5"),
        purpose="At familien får rolige morgener.",
        expected_duration_months=6,
        start_date=timezone.localdate(),
        planned_end_date=None,
        provider_team=org.family_house,
        consent_given_on=timezone.localdate(),
        therapists=[personas.therapist],
        hours_steps=[(None, Decimal("4"))],
    )


def test_ordering_the_first_measure_creates_the_plan_and_a_second_does_not(org, personas):
    case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.ASSESSMENT)
    assert not Plan.objects.filter(case=case).exists()
    order_measure(case, personas, org)
    plan = Plan.objects.get(case=case)
    assert plan.created_by == personas.owner
    services.plan_update(plan=plan, purpose="Skrevet med familien")

    order_measure(case, personas, org)
    assert Plan.objects.filter(case=case).count() == 1
    plan.refresh_from_db()
    assert plan.purpose == "Skrevet med familien"


def test_the_plan_created_with_the_measure_does_not_meet_the_plan_deadline(org, personas):
    # An empty plan created automatically is not the plan being made (Barnets Lov § 91).
    case = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.ASSESSMENT)
    measure = order_measure(case, personas, org)
    deadline = measure.deadlines.get(rule__code="plan")
    assert deadline.is_open
    assert Plan.objects.filter(case=case).exists()


# --- the plan's texts ------------------------------------------------------------------------


def test_plan_update_changes_only_the_fields_given(plan):
    services.plan_update(plan=plan, purpose="  At Emma trives.  ", child_voice="Jeg vil i skole")
    services.plan_update(plan=plan, internal_note="Far er ikke informeret endnu.")
    plan.refresh_from_db()
    assert plan.purpose == "At Emma trives."
    assert plan.child_voice == "Jeg vil i skole"
    assert plan.internal_note == "Far er ikke informeret endnu."
    assert plan.parents_view == ""
    services.plan_update(plan=plan, purpose="")
    plan.refresh_from_db()
    assert plan.purpose == ""
    assert plan.child_voice == "Jeg vil i skole"


def test_plan_update_refuses_an_unknown_kind_and_a_closed_case(plan):
    with pytest.raises(ValidationError):
        services.plan_update(plan=plan, kind="other")
    services.plan_update(plan=plan, kind=Plan.Kind.YOUTH_PLAN)
    plan.case.status = CaseStatus.CLOSED
    plan.case.save()
    with pytest.raises(ValidationError):
        services.plan_update(plan=plan, purpose="Ny tekst")
    plan.refresh_from_db()
    assert plan.kind == Plan.Kind.YOUTH_PLAN
    assert plan.purpose == ""


# --- goals -----------------------------------------------------------------------------------


def test_a_goal_is_added_in_the_familys_words(goal, plan):
    assert goal.plan == plan
    assert goal.family_wording == "Emma kommer i skole hver dag."
    assert goal.status == Goal.Status.OPEN
    second = services.plan_goal_add(plan=plan, area=Area.HEALTH, family_wording="Sove om natten")
    assert list(plan.goals.all()) == [goal, second]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"area": Area.HEALTH, "family_wording": "   "}, "family_wording"),
        ({"area": "happiness", "family_wording": "Glad"}, "area"),
        ({"area": Area.HEALTH, "family_wording": "Sove", "formulated_by": "x" * 201}, None),
    ],
)
def test_goal_validation(plan, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        services.plan_goal_add(plan=plan, **kwargs)
    if field:
        assert field in exc.value.message_dict
    assert not Goal.objects.exists()


def test_plan_goal_update_changes_only_what_is_given(goal):
    services.plan_goal_update(goal=goal, family_wording="Emma møder til tiden")
    goal.refresh_from_db()
    assert goal.family_wording == "Emma møder til tiden"
    assert goal.professional_wording == "Stabilt fremmøde"
    assert goal.target_date == dt.date(2026, 12, 1)
    services.plan_goal_update(goal=goal, target_date=None)
    goal.refresh_from_db()
    assert goal.target_date is None
    with pytest.raises(ValidationError):
        services.plan_goal_update(goal=goal, family_wording="")
    goal.refresh_from_db()
    assert goal.family_wording == "Emma møder til tiden"


def test_dropping_a_goal_needs_a_reason(goal):
    with pytest.raises(ValidationError) as exc:
        services.plan_goal_set_status(goal=goal, status=Goal.Status.DROPPED, reason="  ")
    assert "reason" in exc.value.message_dict
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN

    services.plan_goal_set_status(goal=goal, status=Goal.Status.DROPPED, reason="Skiftet skole")
    goal.refresh_from_db()
    assert (goal.status, goal.dropped_reason) == (Goal.Status.DROPPED, "Skiftet skole")

    services.plan_goal_set_status(goal=goal, status=Goal.Status.REACHED)
    goal.refresh_from_db()
    assert (goal.status, goal.dropped_reason) == (Goal.Status.REACHED, "")

    with pytest.raises(ValidationError):
        services.plan_goal_set_status(goal=goal, status="almost")
    services.plan_goal_set_status(goal=goal, status=Goal.Status.OPEN)
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN


def test_goals_are_reordered_and_every_goal_must_be_named_once(plan, goal):
    second = services.plan_goal_add(plan=plan, area=Area.HEALTH, family_wording="Sove")
    third = services.plan_goal_add(plan=plan, area=Area.FAMILY, family_wording="Spise sammen")
    services.plan_goal_reorder(plan=plan, goal_ids=[third.pk, goal.pk, second.pk])
    assert list(plan.goals.all()) == [third, goal, second]
    for wrong in ([third.pk, goal.pk], [third.pk, goal.pk, goal.pk], [third.pk, goal.pk, -1]):
        with pytest.raises(ValidationError):
            services.plan_goal_reorder(plan=plan, goal_ids=wrong)
    assert list(plan.goals.all()) == [third, goal, second]


def test_a_closed_cases_plan_cannot_get_goals(plan):
    plan.case.status = CaseStatus.CLOSED
    plan.case.save()
    with pytest.raises(ValidationError):
        services.plan_goal_add(plan=plan, area=Area.HEALTH, family_wording="Sove")
    assert not Goal.objects.exists()


# --- who does what ---------------------------------------------------------------------------


def test_responsibilities_for_a_parent_the_child_a_network_person_and_a_professional(
    goal, parent, personas, case
):
    kinds = Responsibility.AssigneeKind
    by_parent = services.plan_responsibility_add(
        goal=goal,
        assignee_kind=kinds.FAMILY_MEMBER,
        family_member=parent,
        task="Vækker Emma kl. 7",
        when="Hver skoledag",
    )
    by_child = services.plan_responsibility_add(
        goal=goal,
        assignee_kind=kinds.CHILD,
        task="Pakker tasken aftenen før",
        when="Søndag–torsdag",
    )
    by_grandmother = services.plan_responsibility_add(
        goal=goal,
        assignee_kind=kinds.NETWORK,
        assignee_name=" Mormor Grethe ",
        task="Kører i skole",
        when="Mandage",
    )
    by_therapist = services.plan_responsibility_add(
        goal=goal,
        assignee_kind=kinds.PROFESSIONAL,
        professional=personas.therapist,
        task="Morgenrutine med familien",
        when="To gange om ugen",
    )
    by_teacher = services.plan_responsibility_add(
        goal=goal,
        assignee_kind=kinds.PROFESSIONAL,
        assignee_name="Lærer Hansen",
        task="Ringer ved fravær",
        when="Samme dag",
    )
    assert by_parent.assignee == parent.name
    assert by_child.assignee == case.citizen.first_name
    assert by_grandmother.assignee == "Mormor Grethe"
    assert by_therapist.assignee == str(personas.therapist)
    assert by_teacher.assignee == "Lærer Hansen"
    assert list(goal.responsibilities.all()) == [
        by_parent,
        by_child,
        by_grandmother,
        by_therapist,
        by_teacher,
    ]


def test_a_family_member_from_another_family_is_refused(goal, personas):
    stranger_child = f.CitizenFactory()
    family = f.family_with_child(stranger_child, personas.other_family_user)
    stranger = family.members.get(is_child=False)
    with pytest.raises(ValidationError) as exc:
        services.plan_responsibility_add(
            goal=goal,
            assignee_kind=Responsibility.AssigneeKind.FAMILY_MEMBER,
            family_member=stranger,
            task="Vækker Emma",
            when="Hver dag",
        )
    assert "family_member" in exc.value.message_dict
    assert not Responsibility.objects.exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"assignee_kind": "network", "assignee_name": "", "task": "Kører", "when": "Mandage"},
        {"assignee_kind": "network", "assignee_name": "Mormor", "task": " ", "when": "Mandage"},
        {"assignee_kind": "network", "assignee_name": "Mormor", "task": "Kører", "when": ""},
        {"assignee_kind": "family_member", "assignee_name": "Far", "task": "K", "when": "M"},
        {"assignee_kind": "boss", "assignee_name": "Mormor", "task": "Kører", "when": "Mandage"},
    ],
)
def test_responsibility_validation(goal, kwargs):
    with pytest.raises(ValidationError):
        services.plan_responsibility_add(goal=goal, **kwargs)
    assert not Responsibility.objects.exists()


def test_a_responsibility_has_one_assignee_who_fits_the_kind(goal, parent, personas):
    kinds = Responsibility.AssigneeKind
    attempts = [
        # two people at once
        {"assignee_kind": kinds.FAMILY_MEMBER, "family_member": parent, "assignee_name": "Mor"},
        # a staff user who is not staff
        {"assignee_kind": kinds.PROFESSIONAL, "professional": personas.family_user},
        # a staff user as a network person
        {"assignee_kind": kinds.NETWORK, "professional": personas.therapist},
        # a parent as the child
        {"assignee_kind": kinds.CHILD, "family_member": parent},
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            services.plan_responsibility_add(goal=goal, task="Opgave", when="Nu", **attempt)
    assert not Responsibility.objects.exists()


def test_a_responsibility_is_removed(goal):
    responsibility = services.plan_responsibility_add(
        goal=goal, assignee_kind="network", assignee_name="Mormor", task="Kører", when="Mandage"
    )
    services.plan_responsibility_remove(responsibility=responsibility)
    assert not Responsibility.objects.exists()


# --- Signs of Safety -------------------------------------------------------------------------


def test_safety_map_entries_are_added_to_a_column_and_removed(plan):
    entry = services.plan_safety_entry_add(plan=plan, column="danger", text=" Konflikter ")
    assert (entry.column, entry.text) == ("danger", "Konflikter")
    with pytest.raises(ValidationError):
        services.plan_safety_entry_add(plan=plan, column="maybe", text="Noget")
    with pytest.raises(ValidationError):
        services.plan_safety_entry_add(plan=plan, column="harm", text="  ")
    assert SafetyMapEntry.objects.count() == 1
    services.plan_safety_entry_remove(entry=entry)
    assert not SafetyMapEntry.objects.exists()


def test_a_worry_statement_serves_a_goal_of_the_same_plan(plan, goal, other_plan):
    foreign_goal = services.plan_goal_add(plan=other_plan, area=Area.HEALTH, family_wording="X")
    with pytest.raises(ValidationError) as exc:
        services.plan_worry_add(
            plan=plan,
            who_is_worried="Skolen",
            about="at Emma kommer sulten",
            if_nothing_changes="kan hun ikke lære",
            goal=foreign_goal,
        )
    assert "goal" in exc.value.message_dict
    assert not WorryStatement.objects.exists()

    worry = services.plan_worry_add(
        plan=plan,
        who_is_worried="Skolen",
        about="at Emma kommer sulten",
        if_nothing_changes="kan hun ikke lære",
        wellbeing_goal="Emma har spist, når hun kommer",
        for_how_long="I tre måneder",
        goal=goal,
    )
    assert worry.goal == goal

    with pytest.raises(ValidationError):
        services.plan_worry_update(worry=worry, goal=foreign_goal)
    with pytest.raises(ValidationError):
        services.plan_worry_update(worry=worry, about="")
    services.plan_worry_update(worry=worry, for_how_long="Et halvt år")
    worry.refresh_from_db()
    assert (worry.for_how_long, worry.goal) == ("Et halvt år", goal)
    services.plan_worry_update(worry=worry, goal=None)
    worry.refresh_from_db()
    assert worry.goal is None
    assert worry.about == "at Emma kommer sulten"


def test_removing_a_worry_statement_and_a_closed_case_refuses_it(plan):
    kept, removed = (
        services.plan_worry_add(
            plan=plan, who_is_worried="Skolen", about=about, if_nothing_changes="Mister klassen"
        )
        for about in ("Fravær", "Sult")
    )
    services.plan_worry_remove(worry=removed)
    assert list(WorryStatement.objects.values_list("about", flat=True)) == ["Fravær"]

    plan.case.status = CaseStatus.CLOSED
    plan.case.save()
    with pytest.raises(ValidationError):
        services.plan_worry_remove(worry=kept)
    assert WorryStatement.objects.filter(pk=kept.pk).exists()


def test_a_worry_statement_needs_who_what_and_what_could_happen(plan):
    with pytest.raises(ValidationError) as exc:
        services.plan_worry_add(plan=plan, who_is_worried="", about="", if_nothing_changes="")
    assert set(exc.value.message_dict) == {"who_is_worried", "about", "if_nothing_changes"}


# --- scaling 0–10 ----------------------------------------------------------------------------


def test_a_rating_round_is_recorded_per_goal_and_overall(plan, goal, personas):
    rating_round = services.plan_rating_round_record(
        plan=plan,
        user=personas.therapist,
        held_on=yesterday(),
        note="Netværksmøde",
        ratings=[
            rating(goal, "Mor", 4),
            rating(goal, "Emma", 6, kind="child"),
            rating(None, "Mor", 3),
            rating(None, "Sagsbehandler Ida", 5, kind="caseworker"),
        ],
    )
    assert rating_round.recorded_by == personas.therapist
    assert rating_round.note == "Netværksmøde"
    saved = {(r.goal_id, r.rater_name, r.value) for r in rating_round.ratings.all()}
    assert saved == {
        (goal.pk, "Mor", 4),
        (goal.pk, "Emma", 6),
        (None, "Mor", 3),
        (None, "Sagsbehandler Ida", 5),
    }


@pytest.mark.parametrize("value", [11, -1, 4.5, True])
def test_ratings_outside_0_to_10_are_refused_and_nothing_is_saved(plan, goal, personas, value):
    with pytest.raises(ValidationError) as exc:
        services.plan_rating_round_record(
            plan=plan,
            user=personas.owner,
            held_on=yesterday(),
            ratings=[rating(goal, "Emma", 7), rating(None, "Mor", value)],
        )
    assert "ratings" in exc.value.message_dict
    assert not RatingRound.objects.exists()
    assert not Rating.objects.exists()


def test_ratings_of_another_plans_goal_are_refused(plan, goal, other_plan, personas):
    foreign_goal = services.plan_goal_add(plan=other_plan, area=Area.HEALTH, family_wording="X")
    with pytest.raises(ValidationError):
        services.plan_rating_round_record(
            plan=plan,
            user=personas.owner,
            held_on=yesterday(),
            ratings=[rating(goal, "Mor", 5), rating(foreign_goal, "Mor", 5)],
        )
    assert not RatingRound.objects.exists()
    assert not Rating.objects.exists()


@pytest.mark.parametrize("second_name", ["Mor", " mor "])
def test_the_same_person_twice_in_a_round_is_refused(plan, goal, personas, second_name):
    with pytest.raises(ValidationError):
        services.plan_rating_round_record(
            plan=plan,
            user=personas.owner,
            held_on=yesterday(),
            ratings=[rating(goal, "Mor", 5), rating(goal, second_name, 6)],
        )
    with pytest.raises(ValidationError):
        services.plan_rating_round_record(
            plan=plan,
            user=personas.owner,
            held_on=yesterday(),
            ratings=[rating(None, "Mor", 5), rating(None, second_name, 6)],
        )
    assert not RatingRound.objects.exists()


def test_a_round_in_the_future_or_without_ratings_is_refused(plan, goal, personas):
    with time_machine.travel(dt.datetime(2026, 4, 10, 23, 30, tzinfo=CPH), tick=False):
        with pytest.raises(ValidationError) as exc:
            services.plan_rating_round_record(
                plan=plan,
                user=personas.owner,
                held_on=dt.date(2026, 4, 11),
                ratings=[rating(goal)],
            )
        assert "held_on" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.plan_rating_round_record(
                plan=plan, user=personas.owner, held_on=dt.date(2026, 4, 10), ratings=[]
            )
        assert "ratings" in exc.value.message_dict
        assert not RatingRound.objects.exists()
        services.plan_rating_round_record(
            plan=plan, user=personas.owner, held_on=dt.date(2026, 4, 10), ratings=[rating(goal)]
        )
    assert RatingRound.objects.count() == 1


def test_a_second_round_on_the_same_day_is_refused(plan, goal, personas):
    services.plan_rating_round_record(
        plan=plan, user=personas.owner, held_on=yesterday(), ratings=[rating(goal)]
    )
    with pytest.raises(ValidationError) as exc:
        services.plan_rating_round_record(
            plan=plan, user=personas.owner, held_on=yesterday(), ratings=[rating(goal, "Far")]
        )
    assert "held_on" in exc.value.message_dict
    assert RatingRound.objects.count() == 1


def test_one_more_rating_is_added_to_a_round(plan, goal, other_plan, personas):
    rating_round = services.plan_rating_round_record(
        plan=plan, user=personas.owner, held_on=yesterday(), ratings=[rating(goal, "Mor", 5)]
    )
    added = services.plan_rating_add(
        round=rating_round, goal=goal, rater_kind="child", rater_name=" Emma ", value=8
    )
    assert (added.round, added.goal, added.rater_name, added.value) == (
        rating_round,
        goal,
        "Emma",
        8,
    )
    services.plan_rating_add(
        round=rating_round, goal=None, rater_kind="parent", rater_name="Mor", value=2
    )
    foreign_goal = services.plan_goal_add(plan=other_plan, area=Area.HEALTH, family_wording="X")
    refused = [
        {"goal": goal, "rater_kind": "parent", "rater_name": "MOR", "value": 6},
        {"goal": None, "rater_kind": "parent", "rater_name": "mor", "value": 6},
        {"goal": goal, "rater_kind": "parent", "rater_name": "Far", "value": 11},
        {"goal": goal, "rater_kind": "parent", "rater_name": "Far", "value": -1},
        {"goal": foreign_goal, "rater_kind": "parent", "rater_name": "Far", "value": 5},
        {"goal": goal, "rater_kind": "uncle", "rater_name": "Far", "value": 5},
        {"goal": goal, "rater_kind": "parent", "rater_name": "  ", "value": 5},
    ]
    for kwargs in refused:
        with pytest.raises(ValidationError):
            services.plan_rating_add(round=rating_round, **kwargs)
    assert rating_round.ratings.count() == 3


# --- versions --------------------------------------------------------------------------------


@pytest.fixture
def written_plan(plan, goal, parent, personas):
    """A plan written with the family: texts, a goal with two responsibilities, the safety map,
    a worry statement and a round of ratings."""
    services.plan_update(
        plan=plan,
        purpose="At Emma trives og kommer i skole.",
        child_voice="Jeg vil gerne have morgenmad.",
        parents_view="Morgenerne er svære.",
        house_dreams="En hund",
        internal_note="Mor har bedt om, at far ikke får adressen.",
    )
    services.plan_responsibility_add(
        goal=goal, assignee_kind="family_member", family_member=parent, task="Vækker", when="7.00"
    )
    services.plan_responsibility_add(
        goal=goal, assignee_kind="network", assignee_name="Mormor", task="Kører", when="Mandage"
    )
    services.plan_safety_entry_add(plan=plan, column="working_well", text="Mormor hjælper")
    services.plan_safety_entry_add(plan=plan, column="harm", text="Mange fraværsdage")
    services.plan_worry_add(
        plan=plan,
        who_is_worried="Skolen",
        about="at Emma kommer sulten",
        if_nothing_changes="kan hun ikke lære",
        goal=goal,
    )
    services.plan_rating_round_record(
        plan=plan, user=personas.owner, held_on=yesterday(), ratings=[rating(goal, "Mor", 4)]
    )
    return plan


def test_the_snapshot_holds_the_content_but_not_the_ratings(written_plan, goal, parent):
    snapshot = services.plan_snapshot(plan=written_plan)
    assert json.loads(json.dumps(snapshot)) == snapshot  # JSON as it is
    assert snapshot["plan"]["purpose"] == "At Emma trives og kommer i skole."
    assert snapshot["plan"]["house_dreams"] == "En hund"
    assert snapshot["internal"] == {"internal_note": "Mor har bedt om, at far ikke får adressen."}
    assert "internal_note" not in snapshot["plan"]
    [frozen_goal] = snapshot["goals"]
    assert frozen_goal["id"] == goal.pk
    assert frozen_goal["family_wording"] == "Emma kommer i skole hver dag."
    assert frozen_goal["target_date"] == "2026-12-01"
    assert [r["assignee"] for r in frozen_goal["responsibilities"]] == [parent.name, "Mormor"]
    # The safety map in the order of its columns: worries (harm first) before what works well.
    assert [e["column"] for e in snapshot["safety_map"]] == ["harm", "working_well"]
    assert snapshot["worries"][0]["goal_id"] == goal.pk
    assert "rating" not in json.dumps(snapshot)
    assert services.plan_snapshot(plan=written_plan) == snapshot  # stable


def test_freezing_writes_the_version_and_moves_on_to_the_next_number(written_plan, personas):
    version = services.plan_version_freeze(
        plan=written_plan, user=personas.owner, reason=" Første opfølgning "
    )
    assert version.number == 1
    assert version.frozen_by == personas.owner
    assert version.reason == "Første opfølgning"
    assert version.snapshot == services.plan_snapshot(plan=written_plan)
    assert written_plan.version == 2
    written_plan.refresh_from_db()
    assert written_plan.version == 2
    second = services.plan_version_freeze(plan=written_plan, user=personas.owner)
    assert second.number == 2
    assert list(written_plan.versions.values_list("number", flat=True)) == [1, 2]


def test_earlier_versions_stay_as_they_were(written_plan, goal, personas):
    first = services.plan_version_freeze(plan=written_plan, user=personas.owner)
    frozen = copy.deepcopy(first.snapshot)
    before = list(
        PlanVersion.objects.values_list("pk", "number", "frozen_at", "reason", "snapshot")
    )

    services.plan_update(plan=written_plan, purpose="Et nyt formål")
    services.plan_goal_update(goal=goal, family_wording="Emma spiser morgenmad")
    services.plan_goal_add(plan=written_plan, area=Area.LEISURE, family_wording="Går til fodbold")
    goal.responsibilities.first().delete()
    services.plan_version_freeze(plan=written_plan, user=personas.team_lead, reason="Revision")

    first.refresh_from_db()
    assert first.snapshot == frozen
    assert first.snapshot["plan"]["purpose"] == "At Emma trives og kommer i skole."
    after = list(
        PlanVersion.objects.filter(number=1).values_list(
            "pk", "number", "frozen_at", "reason", "snapshot"
        )
    )
    assert after == before
    latest = PlanVersion.objects.get(number=2)
    assert latest.snapshot["plan"]["purpose"] == "Et nyt formål"
    assert len(latest.snapshot["goals"]) == 2


def test_a_too_long_reason_is_refused(written_plan, personas):
    with pytest.raises(ValidationError):
        services.plan_version_freeze(plan=written_plan, user=personas.owner, reason="x" * 301)
    assert not PlanVersion.objects.exists()
    written_plan.refresh_from_db()
    assert written_plan.version == 1


# --- comparing versions ----------------------------------------------------------------------


def test_compare_finds_nothing_between_equal_versions(written_plan):
    snapshot = services.plan_snapshot(plan=written_plan)
    assert services.plan_versions_compare(old=snapshot, new=copy.deepcopy(snapshot)) == []


def test_compare_lists_what_changed(written_plan, goal, personas):
    dropped = services.plan_goal_add(plan=written_plan, area=Area.HEALTH, family_wording="Sove")
    dropped_id = dropped.pk
    harm_id = SafetyMapEntry.objects.get(column="harm").pk
    old = services.plan_version_freeze(plan=written_plan, user=personas.owner).snapshot

    services.plan_update(plan=written_plan, purpose="Et nyt formål", internal_note="")
    services.plan_goal_update(goal=goal, family_wording="Emma spiser morgenmad")
    services.plan_goal_set_status(goal=goal, status="reached")
    responsibility = services.plan_responsibility_add(
        goal=goal,
        assignee_kind="professional",
        professional=personas.therapist,
        task="Guidning",
        when="Tirsdage",
    )
    dropped.delete()
    added = services.plan_goal_add(plan=written_plan, area=Area.LEISURE, family_wording="Fodbold")
    entry = services.plan_safety_entry_add(plan=written_plan, column="needs_to_happen", text="Ro")
    SafetyMapEntry.objects.filter(column="harm").delete()
    new = services.plan_snapshot(plan=written_plan)

    changes = services.plan_versions_compare(old=old, new=new)
    summary = [(c.action, c.section, c.field, c.item_id) for c in changes]
    assert summary == [
        (ChangeAction.CHANGED, Section.PLAN, "purpose", None),
        (ChangeAction.CHANGED, Section.INTERNAL, "internal_note", None),
        (ChangeAction.CHANGED, Section.GOAL, "family_wording", goal.pk),
        (ChangeAction.CHANGED, Section.GOAL, "status", goal.pk),
        (ChangeAction.ADDED, Section.RESPONSIBILITY, "", responsibility.pk),
        (ChangeAction.ADDED, Section.GOAL, "", added.pk),
        (ChangeAction.REMOVED, Section.GOAL, "", dropped_id),
        (ChangeAction.ADDED, Section.SAFETY_MAP, "", entry.pk),
        (ChangeAction.REMOVED, Section.SAFETY_MAP, "", harm_id),
    ]
    purpose = changes[0]
    assert (purpose.old, purpose.new) == ("At Emma trives og kommer i skole.", "Et nyt formål")
    assert purpose.field_label == "overordnet formål"
    assert changes[1].is_internal and not purpose.is_internal
    assert (changes[2].old, changes[2].new) == (
        "Emma kommer i skole hver dag.",
        "Emma spiser morgenmad",
    )
    assert changes[4].goal_id == goal.pk
    assert changes[4].new["assignee"] == str(personas.therapist)
    assert changes[6].old["family_wording"] == "Sove"
    assert changes[8].old["text"] == "Mange fraværsdage"


def test_compare_lists_removed_responsibilities_and_changed_worries(written_plan, goal):
    old = services.plan_snapshot(plan=written_plan)
    removed = goal.responsibilities.get(assignee_name="Mormor")
    removed_id = removed.pk
    services.plan_responsibility_remove(responsibility=removed)
    worry = written_plan.worries.get()
    services.plan_worry_update(worry=worry, wellbeing_goal="Emma har spist")
    changes = services.plan_versions_compare(old=old, new=services.plan_snapshot(plan=written_plan))
    assert [(c.action, c.section, c.field, c.item_id, c.goal_id) for c in changes] == [
        (ChangeAction.REMOVED, Section.RESPONSIBILITY, "", removed_id, goal.pk),
        (ChangeAction.CHANGED, Section.WORRY, "wellbeing_goal", worry.pk, None),
    ]
    assert changes[1].new == "Emma har spist"
