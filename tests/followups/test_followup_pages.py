"""The follow-up pages: the case tab, one follow-up in front of the meeting, recording it, and
what the family sees on its plan page."""

import datetime as dt
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.deadlines import deadline_schedule
from demo import factories as f
from followups.models import FollowUp, GoalEvaluation
from followups.services import EvaluationInput, followup_complete
from plans import services as plan_services
from plans.models import Area, Plan, PlanVersion
from plans.services import RatingInput

INTERNAL_REASON = "INTERN-1a2b: mors misbrug drøftet"
INTERNAL_NOTE = "INTERN-3c4d: bemærkning til målet"
FAMILY_REASON = "Vi ses oftere i starten, så vi kan se om morgenerne holder."


def text(response) -> str:
    return unescape(response.content.decode())


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


@pytest.fixture
def measure(case):
    measure = case.measures.get()
    measure.start_date = days(-120)
    measure.save()
    return measure


@pytest.fixture
def plan(case, personas) -> Plan:
    plan = plan_services.plan_create(case=case, user=personas.owner)
    plan_services.plan_goal_add(plan=plan, area=Area.SCHOOL, family_wording="Emma i skole hver dag")
    plan_services.plan_goal_add(plan=plan, area=Area.FAMILY, family_wording="Rolige morgener")
    return plan


@pytest.fixture
def first(measure) -> FollowUp:
    return f.FollowUpFactory(measure=measure, number=1, due_on=days(-5))


def hold(followup: FollowUp, user, plan: Plan | None = None, **overrides) -> FollowUp:
    evaluations = [
        EvaluationInput(goal=g, verdict="on_track", note=INTERNAL_NOTE)
        for g in (plan.goals.all() if plan else [])
    ]
    arguments = {
        "held_on": today(),
        "participants": "Mor, Emma og familiebehandleren",
        "decision": FollowUp.Decision.CONTINUE,
        "decision_reasons": INTERNAL_REASON,
        "evaluations": evaluations,
        "next_dates": [days(30), days(90)],
        "schedule_reasons": FAMILY_REASON,
    }
    arguments.update(overrides)
    return followup_complete(followup=followup, user=user, **arguments)


def tab_url(case) -> str:
    return reverse("followups:case_followups", args=[case.pk])


def detail_url(followup) -> str:
    return reverse("followups:followup_detail", args=[followup.case_id, followup.pk])


def complete_url(followup) -> str:
    return reverse("followups:followup_complete", args=[followup.case_id, followup.pk])


# --- the tab ----------------------------------------------------------------------------------


def test_tab_shows_each_measure_with_next_and_overdue_and_schedule_reasons(
    case, first, plan, personas, login
):
    hold(first, personas.owner, plan)
    FollowUp.objects.filter(measure=first.measure, number=2).update(due_on=days(-1))
    html = text(login(personas.therapist).get(tab_url(case)))

    assert "1. opfølgning" in html and "2. opfølgning" in html and "3. opfølgning" in html
    assert "Næste opfølgning:" in html
    assert 'class="followup-row--next followup-row--overdue"' in html
    assert html.count("badge--overdue") == 2  # in the "next" line and in the row
    assert FAMILY_REASON in html
    assert "Fortsæt som planlagt" in html
    assert "Registrér" not in html  # the therapist reads, the caseworker records


def test_tab_offers_recording_to_the_owner(case, first, personas, login):
    html = text(login(personas.owner).get(tab_url(case)))
    assert complete_url(first) in html


def test_tab_of_a_case_without_measures(org, personas, login):
    bare = f.CaseFactory(owner=personas.owner, team=org.team_a, status="assessment")
    response = login(personas.owner).get(tab_url(bare))
    assert response.status_code == 200
    assert "Der er ikke bestilt indsatser" in text(response)


def test_tab_queries_do_not_grow_with_measures_and_followups(org, personas, login):
    def queries(size: int) -> int:
        case = f.CaseFactory(owner=personas.owner, team=org.team_a, status="measure")
        for _m in range(size):
            measure = f.MeasureFactory(case=case, start_date=days(-200))
            deadline = deadline_schedule(
                case=case, rule_code="first_followup", start=timezone.now(), measure=measure
            )
            for n in range(1, size + 1):
                f.FollowUpFactory(
                    measure=measure,
                    number=n,
                    due_on=days(-100 + 30 * n),
                    deadline=deadline if n == 1 else None,
                )
        client = login(personas.owner)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(tab_url(case))
        assert response.status_code == 200
        html = text(response)
        assert html.count("opfølgning</a>") >= size * size
        assert html.count("Lovpligtig frist") == size
        return len(captured)

    assert queries(1) == queries(5)


# --- the follow-up page -----------------------------------------------------------------------


def test_detail_puts_goals_ratings_and_earlier_decisions_in_front_of_the_meeting(
    case, first, plan, personas, login
):
    goal = plan.goals.first()
    plan_services.plan_rating_round_record(
        plan=plan,
        user=personas.owner,
        held_on=today(),
        ratings=[RatingInput(goal=goal, rater_kind="parent", rater_name="Mor", value=4)],
    )
    hold(first, personas.owner, plan)
    second = FollowUp.objects.get(measure=first.measure, number=2)

    html = text(login(personas.therapist).get(detail_url(second)))

    assert "Emma i skole hver dag" in html and "Rolige morgener" in html
    assert "<svg" in html and ">Mor<" in html  # the chart and its table
    assert "1. opfølgning, holdt" in html  # the earlier decision with its reasons
    assert INTERNAL_REASON in html
    assert "1. opfølgning: På vej" in html  # the goal's earlier verdict
    assert "Registrér opfølgningen" not in html


def test_detail_of_a_held_followup_shows_everything_recorded(case, first, plan, personas, login):
    rating_round = plan_services.plan_rating_round_record(
        plan=plan,
        user=personas.owner,
        held_on=today(),
        ratings=[RatingInput(goal=None, rater_kind="child", rater_name="Emma", value=7)],
    )
    hold(first, personas.owner, plan, revise_plan=True, rating_round_id=rating_round.pk)
    html = text(login(personas.owner).get(detail_url(first)))

    assert "Mor, Emma og familiebehandleren" in html
    assert INTERNAL_REASON in html and FAMILY_REASON in html and INTERNAL_NOTE in html
    assert "Revideret: version 1" in html
    assert reverse("plans:plan_version", args=[case.pk, 1]) in html
    assert "Vurdering ved denne opfølgning:" in html
    assert f"{days(30):%d.%m.%Y}" in html  # the later follow-ups
    assert "Registrér opfølgningen" not in html


def test_detail_queries_do_not_grow_with_goals_rounds_and_followups(org, personas, login):
    def queries(size: int) -> int:
        case = f.CaseFactory(owner=personas.owner, team=org.team_a, status="measure")
        measure = f.MeasureFactory(case=case, start_date=days(-400))
        plan = plan_services.plan_create(case=case, user=personas.owner)
        goals = [
            plan_services.plan_goal_add(plan=plan, area=Area.SCHOOL, family_wording=f"Mål {n}")
            for n in range(size)
        ]
        for r in range(size):
            plan_services.plan_rating_round_record(
                plan=plan,
                user=personas.owner,
                held_on=days(-300 + r),
                ratings=[
                    RatingInput(goal=g, rater_kind="parent", rater_name="Mor", value=5)
                    for g in goals
                ],
            )
        held = []
        for n in range(1, size + 1):
            followup = f.FollowUpFactory(
                measure=measure,
                number=n,
                due_on=days(-200 + n),
                held_on=days(-200 + n),
                decision="continue",
                decision_reasons=f"Begrundelse {n}",
            )
            held.append(followup)
            GoalEvaluation.objects.bulk_create(
                [GoalEvaluation(followup=followup, goal=g, verdict="on_track") for g in goals]
            )
        current = f.FollowUpFactory(measure=measure, number=size + 1, due_on=days(10))
        client = login(personas.owner)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(detail_url(current))
        assert response.status_code == 200
        assert text(response).count("Begrundelse ") >= size
        return len(captured)

    assert queries(1) == queries(6)


# --- recording it -----------------------------------------------------------------------------


def form_data(plan: Plan | None, **overrides) -> dict[str, str]:
    data = {
        "held_on": today().isoformat(),
        "participants": "Mor og Emma",
        "decision": "continue",
        "decision_reasons": "Det går fremad.",
        "next_date_1": days(30).isoformat(),
        "next_date_2": days(60).isoformat(),
        "schedule_reasons": FAMILY_REASON,
    }
    for goal in plan.goals.all() if plan else []:
        data[f"verdict_{goal.pk}"] = "on_track"
        data[f"note_{goal.pk}"] = "Godt på vej"
    data.update(overrides)
    return data


def test_the_form_asks_for_every_open_goal(case, first, plan, personas, login):
    reached = plan_services.plan_goal_add(plan=plan, area=Area.HEALTH, family_wording="Sove")
    plan_services.plan_goal_set_status(goal=reached, status="reached")
    html = text(login(personas.owner).get(complete_url(first)))
    assert "<legend>Emma i skole hver dag</legend>" in html
    assert "<legend>Rolige morgener</legend>" in html
    assert "<legend>Sove</legend>" not in html
    assert reverse("plans:plan_rating_round", args=[case.pk]) in html
    assert 'type="date"' in html and 'name="next_date_6"' in html


def test_success_redirects_to_the_followup_with_a_message(case, first, plan, personas, login):
    client = login(personas.owner)
    response = client.post(complete_url(first), form_data(plan, revise_plan="on"))
    assert response.status_code == 302
    assert response["Location"] == detail_url(first)
    first.refresh_from_db()
    assert first.held_on == today()
    assert first.plan_version == PlanVersion.objects.get(plan=plan)
    assert GoalEvaluation.objects.filter(followup=first).count() == 2
    assert [f.due_on for f in FollowUp.objects.filter(number__gt=1)] == [days(30), days(60)]
    html = text(client.get(response["Location"]))
    assert "Opfølgningen er registreret." in html


def test_bad_input_rerenders_with_danish_errors_per_field_and_keeps_everything(
    case, first, plan, personas, login
):
    goal = plan.goals.first()
    data = form_data(
        plan,
        held_on=days(3).isoformat(),
        participants="",
        decision="",
        **{f"verdict_{goal.pk}": "", f"note_{goal.pk}": "Husk at nævne skolen"},
        schedule_reasons="Begrundelse skrevet på mødet",
    )
    response = login(personas.owner).post(complete_url(first), data)
    assert response.status_code == 200
    html = text(response)
    assert "Formularen kunne ikke gemmes" in html
    assert "Datoen kan ikke ligge i fremtiden." in html
    assert "Skriv hvem der deltog." in html
    assert "Vælg en beslutning." in html
    assert "Vælg en vurdering af målet." in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_participants_error"' in html
    assert "Husk at nævne skolen" in html and "Begrundelse skrevet på mødet" in html
    assert f'value="{days(30).isoformat()}"' in html
    first.refresh_from_db()
    assert first.held_on is None


def test_service_errors_land_on_their_fields(case, first, plan, personas, login):
    data = form_data(plan, next_date_1="", next_date_2="", schedule_reasons="")
    response = login(personas.owner).post(complete_url(first), data)
    html = text(response)
    assert response.status_code == 200
    assert "Ved første opfølgning besluttes de næste opfølgninger" in html
    assert 'id="id_next_date_1_error"' in html
    first.refresh_from_db()
    assert first.held_on is None


def test_a_second_submit_gets_a_clear_error_not_a_500(case, first, plan, personas, login):
    client = login(personas.owner)
    assert client.post(complete_url(first), form_data(plan)).status_code == 302
    response = client.post(complete_url(first), form_data(plan))
    assert response.status_code == 409
    assert "Opfølgningen er allerede registreret." in text(response)
    assert FollowUp.objects.filter(measure=first.measure).count() == 3


def test_the_form_of_a_held_followup_leads_to_the_followup(case, first, plan, personas, login):
    hold(first, personas.owner, plan)
    response = login(personas.owner).get(complete_url(first))
    assert response.status_code == 302
    assert response["Location"] == detail_url(first)


# --- the family's plan page -------------------------------------------------------------------


def test_the_family_sees_decisions_and_schedule_reasons_never_internal_things(
    case, first, plan, personas, login
):
    hold(first, personas.owner, plan)
    html = text(login(personas.family_user).get(reverse("family:plan", args=[case.pk])))
    assert f"Opfølgningsmødet den {today():%d.%m.%Y}" in html
    assert "Hjælpen fortsætter som planlagt." in html
    assert FAMILY_REASON in html
    assert f"senest {days(30):%d.%m.%Y}" in html
    assert INTERNAL_REASON not in html
    assert INTERNAL_NOTE not in html
    assert "Mor, Emma og familiebehandleren" not in html


def test_the_family_page_queries_do_not_grow_with_followups(case, measure, plan, personas, login):
    def queries() -> int:
        client = login(personas.family_user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("family:plan", args=[case.pk]))
        assert response.status_code == 200
        return len(captured)

    f.FollowUpFactory(measure=measure, number=1, due_on=days(5))
    few = queries()
    for n in range(2, 12):
        f.FollowUpFactory(
            measure=measure,
            number=n,
            due_on=days(-n),
            held_on=days(-n),
            decision="adjust",
            schedule_reasons=f"Grund {n}",
        )
    assert queries() == few
