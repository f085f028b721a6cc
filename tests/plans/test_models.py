"""The database's last line of defence for plans, and the plan's URLs."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import UniqueConstraint
from django.utils import timezone

from access.models import AccessLogEntry
from plans import services
from plans.models import Area, Goal, Plan, Rating, RatingRound, Responsibility
from plans.services import RatingInput


@pytest.fixture
def plan(case, personas) -> Plan:
    return services.plan_create(case=case, user=personas.owner)


@pytest.fixture
def goal(plan) -> Goal:
    return services.plan_goal_add(
        plan=plan, area=Area.SCHOOL, family_wording="Emma kommer i skole hver dag."
    )


def test_a_second_plan_row_for_the_same_case_is_refused(plan, case, personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(case=case, kind=Plan.Kind.CHILDS_PLAN, created_by=personas.owner)
    assert Plan.objects.filter(case=case).count() == 1


def test_a_dropped_goal_without_a_reason_is_refused(goal):
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.DROPPED, dropped_reason="")
    Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.DROPPED, dropped_reason="Flyttet")


def test_a_goal_without_the_familys_wording_is_refused(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(plan=plan, area=Area.HEALTH, family_wording="")


def test_a_responsibility_names_exactly_one_person(goal, case, personas):
    member = case.citizen.family_memberships.get().family.members.get(is_child=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Responsibility.objects.create(
            goal=goal,
            assignee_kind=Responsibility.AssigneeKind.FAMILY_MEMBER,
            family_member=member,
            assignee_name="Mormor",
            task="Henter",
            when="Fredage",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Responsibility.objects.create(
            goal=goal,
            assignee_kind=Responsibility.AssigneeKind.NETWORK,
            task="Henter",
            when="Fredage",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        # A staff user may only be responsible as a professional.
        Responsibility.objects.create(
            goal=goal,
            assignee_kind=Responsibility.AssigneeKind.NETWORK,
            professional=personas.therapist,
            task="Henter",
            when="Fredage",
        )
    Responsibility.objects.create(
        goal=goal,
        assignee_kind=Responsibility.AssigneeKind.NETWORK,
        assignee_name="Mormor",
        task="Henter",
        when="Fredage",
    )


def _round(plan, personas, days_ago: int = 1) -> RatingRound:
    return RatingRound.objects.create(
        plan=plan,
        held_on=timezone.localdate() - dt.timedelta(days=days_ago),
        recorded_by=personas.owner,
    )


def test_ratings_are_unique_per_person_per_goal_and_per_person_overall(plan, goal, personas):
    rating_round = _round(plan, personas)
    Rating.objects.create(
        round=rating_round, goal=goal, rater_kind="parent", rater_name="Mor", value=4
    )
    Rating.objects.create(
        round=rating_round, goal=None, rater_kind="parent", rater_name="Mor", value=5
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            round=rating_round, goal=goal, rater_kind="parent", rater_name="Mor", value=6
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        # The overall rating is where goal is null: NULLs must not make two rows distinct.
        Rating.objects.create(
            round=rating_round, goal=None, rater_kind="parent", rater_name="Mor", value=6
        )
    # The same person again in the next round is the time series.
    Rating.objects.create(
        round=_round(plan, personas, days_ago=2),
        goal=None,
        rater_kind="parent",
        rater_name="Mor",
        value=3,
    )
    assert Rating.objects.count() == 3


def test_rating_uniqueness_uses_partial_constraints_that_sqlite_supports():
    uniques = [c for c in Rating._meta.constraints if isinstance(c, UniqueConstraint)]
    assert len(uniques) == 2
    assert all(c.nulls_distinct is None and c.condition is not None for c in uniques)


@pytest.mark.parametrize("value", [11, 200])
def test_a_rating_above_10_is_refused(plan, goal, personas, value):
    rating_round = _round(plan, personas)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            round=rating_round, goal=goal, rater_kind="parent", rater_name="Mor", value=value
        )


def test_one_rating_round_per_plan_per_day(plan, personas):
    _round(plan, personas)
    with pytest.raises(IntegrityError), transaction.atomic():
        _round(plan, personas)


# --- URLs ------------------------------------------------------------------------------------


def test_plan_and_goal_urls_open_the_plan_page(plan, goal, case, personas, login):
    services.plan_update(plan=plan, purpose="At Emma trives.", internal_note="Kun for os.")
    services.plan_responsibility_add(
        goal=goal,
        assignee_kind="network",
        assignee_name="Mormor Grethe",
        task="Kører Emma i skole om mandagen",
        when="Fra uge 12",
    )
    services.plan_safety_entry_add(plan=plan, column="working_well", text="Morgenmaden")
    services.plan_worry_add(
        plan=plan,
        who_is_worried="Skolen",
        about="at Emma kommer sulten",
        if_nothing_changes="kan hun ikke lære",
        goal=goal,
    )
    services.plan_rating_round_record(
        plan=plan,
        user=personas.owner,
        held_on=timezone.localdate(),
        ratings=[RatingInput(goal=goal, rater_kind="parent", rater_name="Mor", value=7)],
    )
    assert plan.get_absolute_url() == f"/sager/{case.pk}/plan/"
    assert goal.get_absolute_url() == f"/sager/{case.pk}/plan/#maal-{goal.pk}"

    response = login(personas.owner).get(goal.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "At Emma trives.",
        "Kun for os.",
        f'id="maal-{goal.pk}"',
        "Emma kommer i skole hver dag.",
        "Mormor Grethe",
        "Kører Emma i skole om mandagen",
        "Morgenmaden",
        "at Emma kommer sulten",
        "<td>7</td>",
    ):
        assert text in html
    assert AccessLogEntry.objects.filter(
        case=case, user=personas.owner, target=plan.get_absolute_url()
    ).exists()


def test_the_plan_page_of_a_case_without_a_plan(case, personas, login):
    response = login(personas.owner).get(f"/sager/{case.pk}/plan/")
    assert response.status_code == 200
    assert "Der er endnu ikke oprettet en plan" in response.content.decode()


@pytest.mark.parametrize("who", ["colleague", "other_therapist", "family_user"])
def test_outsiders_get_404_on_the_plan_and_its_versions(plan, goal, personas, login, who):
    version = services.plan_version_freeze(plan=plan, user=personas.owner)
    client = login(getattr(personas, who))
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.get(version.get_absolute_url()).status_code == 404


def test_a_version_url_shows_that_version(plan, goal, personas, login):
    version = services.plan_version_freeze(plan=plan, user=personas.owner, reason="Opfølgning")
    services.plan_goal_update(goal=goal, family_wording="Emma spiser morgenmad hjemme.")
    assert version.get_absolute_url() == f"/sager/{plan.case_id}/plan/versioner/1/"
    client = login(personas.therapist)
    html = client.get(version.get_absolute_url()).content.decode()
    assert "Emma kommer i skole hver dag." in html
    assert "Emma spiser morgenmad hjemme." not in html
    assert "Opfølgning" in html
    assert client.get(f"/sager/{plan.case_id}/plan/versioner/2/").status_code == 404
