"""Reads of a plan: the rating history, the plan page's content, the family's view."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from demo import factories as f
from plans import selectors, services
from plans.models import Area, Goal, Plan
from plans.services import RatingInput


@pytest.fixture
def plan(case, personas) -> Plan:
    return services.plan_create(case=case, user=personas.owner)


@pytest.fixture
def goals(plan) -> list[Goal]:
    return [
        services.plan_goal_add(plan=plan, area=Area.SCHOOL, family_wording="Skole hver dag"),
        services.plan_goal_add(plan=plan, area=Area.HEALTH, family_wording="Sove om natten"),
    ]


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def record(plan, personas, held_on, *ratings) -> None:
    services.plan_rating_round_record(
        plan=plan,
        user=personas.owner,
        held_on=held_on,
        ratings=[
            RatingInput(goal=goal, rater_kind=kind, rater_name=name, value=value)
            for goal, kind, name, value in ratings
        ],
    )


def test_the_history_lines_up_each_persons_answers_by_round(plan, goals, personas):
    school, health = goals
    # Recorded out of date order: the history is in date order.
    record(plan, personas, days_ago(10), (school, "parent", "Mor", 6), (None, "child", "Emma", 7))
    record(
        plan,
        personas,
        days_ago(40),
        (school, "parent", "Mor", 3),
        (school, "child", "Emma", 4),
        (None, "child", "Emma", 5),
    )
    record(plan, personas, days_ago(1), (school, "parent", " mor ", 8))

    history = selectors.plan_rating_history(plan=plan)

    assert [r.held_on for r in history.rounds] == [days_ago(40), days_ago(10), days_ago(1)]
    assert history.overall.goal is None
    assert [(s.rater_name, s.rater_kind, s.values) for s in history.overall.raters] == [
        ("Emma", "child", (5, 7, None)),
    ]
    assert [g.goal for g in history.goals] == [school, health]
    school_history, health_history = history.goals
    assert [(s.rater_name, s.values) for s in school_history.raters] == [
        ("Mor", (3, 6, 8)),  # "mor" in the last round is the same person
        ("Emma", (4, None, None)),
    ]
    assert health_history.raters == ()
    assert not health_history.has_ratings
    assert history.has_ratings


def test_the_history_of_a_plan_without_ratings(plan, goals):
    history = selectors.plan_rating_history(plan=plan)
    assert history.rounds == ()
    assert not history.has_ratings
    assert len(history.goals) == 2


def test_the_history_of_another_plan_is_not_mixed_in(plan, goals, personas, org):
    other_case = f.CaseFactory(owner=personas.owner, team=org.team_a, status="measure")
    other = services.plan_create(case=other_case, user=personas.owner)
    record(other, personas, days_ago(3), (None, "parent", "Mor", 1))
    record(plan, personas, days_ago(3), (None, "parent", "Mor", 9))
    history = selectors.plan_rating_history(plan=plan)
    assert len(history.rounds) == 1
    assert history.overall.raters[0].values == (9,)


def make_rounds(plan, goals, personas, count: int) -> None:
    for n in range(count):
        record(
            plan,
            personas,
            days_ago(7 * n + 1),
            *[(goal, "parent", "Mor", n % 11) for goal in goals],
            (None, "child", "Emma", (n + 3) % 11),
            (None, "therapist", f"Behandler {n % 3}", 5),
        )


@pytest.mark.parametrize("rounds", [2, 20])
def test_the_history_takes_three_queries_however_many_rounds(
    plan, goals, personas, django_assert_num_queries, rounds
):
    more_goals = goals + [
        services.plan_goal_add(plan=plan, area=Area.LEISURE, family_wording=f"Mål {n}")
        for n in range(rounds // 2)
    ]
    make_rounds(plan, more_goals, personas, rounds)
    with django_assert_num_queries(3):
        history = selectors.plan_rating_history(plan=plan)
    assert len(history.rounds) == rounds
    assert all(len(s.values) == rounds for g in history.goals for s in g.raters)


def test_the_plan_page_content_takes_the_same_queries_as_the_plan_grows(plan, goals, personas):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            content = selectors.plan_content(plan=plan)
            for _area, area_goals in content.goal_groups:
                for goal in area_goals:
                    [r.assignee for r in goal.responsibilities.all()]
            [w.goal for w in content.worries]
        return len(captured)

    make_rounds(plan, goals, personas, 2)
    small = queries()
    for n in range(8):
        goal = services.plan_goal_add(plan=plan, area=Area.FAMILY, family_wording=f"Mål {n}")
        services.plan_responsibility_add(
            goal=goal,
            assignee_kind="professional",
            professional=personas.therapist,
            task="Guidning",
            when="Tirsdage",
        )
        services.plan_worry_add(
            plan=plan, who_is_worried="Skolen", about="fravær", if_nothing_changes="x", goal=goal
        )
    record(plan, personas, days_ago(100), (None, "parent", "Far", 2))
    assert queries() == small


def test_the_plan_page_groups_goals_by_area_and_the_map_by_column(plan, goals):
    services.plan_safety_entry_add(plan=plan, column="working_well", text="Mormor hjælper")
    services.plan_safety_entry_add(plan=plan, column="harm", text="Fravær")
    content = selectors.plan_content(plan=plan)
    assert [(area, [g.family_wording for g in gs]) for area, gs in content.goal_groups] == [
        ("Skole, læring, uddannelse og beskæftigelse", ["Skole hver dag"]),
        ("Sundhedsforhold", ["Sove om natten"]),
    ]
    columns = {code: [e.text for e in entries] for code, _label, entries in content.safety_columns}
    assert columns["harm"] == ["Fravær"]
    assert columns["working_well"] == ["Mormor hjælper"]
    assert columns["danger"] == []


def test_the_family_never_sees_the_internal_note(plan, goals, personas):
    services.plan_update(
        plan=plan,
        purpose="At Emma trives",
        internal_note="Mistanke om vold – må ikke deles med familien",
    )
    version = services.plan_version_freeze(plan=plan, user=personas.owner)

    family = selectors.plan_for_family(plan=plan)
    assert "Mistanke om vold" not in json.dumps(family, ensure_ascii=False)
    assert "internal" not in family
    assert family["plan"]["purpose"] == "At Emma trives"
    assert [g["family_wording"] for g in family["goals"]] == ["Skole hver dag", "Sove om natten"]

    frozen = services.snapshot_for_family(version.snapshot)
    assert "Mistanke om vold" not in json.dumps(frozen, ensure_ascii=False)
    # Leaving it out of the family's copy does not touch the stored version.
    version.refresh_from_db()
    assert version.snapshot["internal"]["internal_note"].startswith("Mistanke om vold")


def test_a_version_is_laid_out_like_the_plan_page(plan, goals, personas):
    services.plan_goal_update(goal=goals[0], target_date=dt.date(2026, 12, 1))
    services.plan_worry_add(
        plan=plan, who_is_worried="Skolen", about="fravær", if_nothing_changes="x", goal=goals[0]
    )
    version = services.plan_version_freeze(plan=plan, user=personas.owner)
    content = selectors.version_content(snapshot=version.snapshot)
    [(area, [goal]), _health] = content["goal_groups"]
    assert area == "Skole, læring, uddannelse og beskæftigelse"
    assert goal["target_date"] == dt.date(2026, 12, 1)
    assert goal["status_label"] == "Åbent"
    assert content["worries"][0]["goal_text"] == "Skole hver dag"
