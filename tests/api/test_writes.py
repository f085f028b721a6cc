"""Writes go through the web's services: field errors per field, nothing half-saved."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Measure, Notification
from plans.models import Goal, Rating, RatingRound
from tests.api.conftest import fejl, measure_order_body


@pytest.fixture
def owner_client(personas, token_client):
    return token_client(personas.owner)


def test_register_a_notification(case, personas, owner_client):
    response = owner_client.post(
        f"/api/v1/cases/{case.pk}/notifications/",
        {
            "received_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
            "reporter_kind": "professional",
            "reporter_organisation": "Nordskolen",
            "concern": "Sultent barn.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    notification = Notification.objects.get(pk=response.json()["id"])
    assert notification.case == case
    assert notification.registered_by == personas.owner


def test_notification_field_errors_from_the_service(case, owner_client):
    count = Notification.objects.count()
    response = owner_client.post(
        f"/api/v1/cases/{case.pk}/notifications/",
        {
            "received_at": (timezone.now() + dt.timedelta(days=2)).isoformat(),
            "reporter_kind": "professional",
            "concern": "Sultent barn.",
        },
        format="json",
    )
    assert response.status_code == 400
    error = fejl(response)
    assert error["felter"] == {
        "received_at": ["Modtagelsestidspunktet kan ikke ligge i fremtiden."]
    }
    assert Notification.objects.count() == count


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"received_at": "igår", "reporter_kind": "x", "concern": ""},
        {"received_at": None, "reporter_kind": None, "concern": None},
        [],
        "text",
    ],
)
def test_garbage_is_400_never_500(case, owner_client, body):
    response = owner_client.post(f"/api/v1/cases/{case.pk}/notifications/", body, format="json")
    assert response.status_code == 400
    fejl(response)


def test_malformed_json_is_400(case, owner_client):
    response = owner_client.post(
        f"/api/v1/cases/{case.pk}/notifications/", "{nope", content_type="application/json"
    )
    assert response.status_code == 400
    assert fejl(response)["kode"] == "ugyldige_data"


def test_a_measure_is_not_ordered_through_the_api(case, org, personas, owner_client):
    """A measure is ordered only by a decision (cases.decisions), made on the case's pages with
    the child heard and the reasons given: the API lists measures but orders none."""
    count = Measure.objects.count()
    response = owner_client.post(
        f"/api/v1/cases/{case.pk}/measures/",
        measure_order_body(org, personas),
        format="json",
    )
    assert response.status_code == 405
    assert Measure.objects.count() == count


def test_add_a_goal_as_the_assigned_therapist(case, plan, personas, token_client):
    response = token_client(personas.therapist).post(
        f"/api/v1/cases/{case.pk}/plan/goals/",
        {"area": "health", "family_wording": "Sove nok", "target_date": "2027-01-01"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Goal.objects.get(pk=response.json()["id"]).plan == plan


def test_goal_field_errors(case, plan, owner_client):
    response = owner_client.post(
        f"/api/v1/cases/{case.pk}/plan/goals/",
        {"area": "mars", "family_wording": ""},
        format="json",
    )
    assert response.status_code == 400
    assert set(fejl(response)["felter"]) == {"area", "family_wording"}
    assert plan.goals.count() == 1


def test_record_a_rating_round(case, plan, owner_client):
    goal = plan.goals.get()
    response = owner_client.post(
        f"/api/v1/cases/{case.pk}/plan/rating-rounds/",
        {
            "held_on": timezone.localdate().isoformat(),
            "ratings": [
                {"goal": goal.pk, "rater_kind": "parent", "rater_name": "Mor", "value": 6},
                {"goal": None, "rater_kind": "child", "rater_name": "Emma", "value": 7},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert len(response.json()["ratings"]) == 2


def test_a_rating_round_is_saved_whole_or_not_at_all(case, plan, owner_client):
    goal = plan.goals.get()
    rounds, ratings = RatingRound.objects.count(), Rating.objects.count()
    response = owner_client.post(
        f"/api/v1/cases/{case.pk}/plan/rating-rounds/",
        {
            "held_on": timezone.localdate().isoformat(),
            "ratings": [
                {"goal": goal.pk, "rater_kind": "parent", "rater_name": "Mor", "value": 6},
                {"goal": goal.pk, "rater_kind": "parent", "rater_name": "mor ", "value": 2},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "ratings" in fejl(response)["felter"]
    assert (RatingRound.objects.count(), Rating.objects.count()) == (rounds, ratings)


def test_a_goal_of_another_plan_is_a_field_error(case, plan, owner_client):
    response = owner_client.post(
        f"/api/v1/cases/{case.pk}/plan/rating-rounds/",
        {
            "held_on": timezone.localdate().isoformat(),
            "ratings": [
                {"goal": None, "rater_kind": "child", "rater_name": "Emma", "value": 7},
                {"goal": 2**31 - 1, "rater_kind": "parent", "rater_name": "Mor", "value": 6},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(fejl(response)["felter"]) == {"ratings[1].goal"}
    assert plan.rating_rounds.count() == 1


def test_a_rating_out_of_range(case, plan, owner_client):
    response = owner_client.post(
        f"/api/v1/cases/{case.pk}/plan/rating-rounds/",
        {
            "held_on": "2999-01-01",
            "ratings": [{"goal": None, "rater_kind": "child", "rater_name": "E", "value": 11}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(fejl(response)["felter"]) == {"ratings[0].value"}


# --- completing a follow-up (followups.services.followup_complete) --------------------


def _complete_url(case, followup) -> str:
    return f"/api/v1/cases/{case.pk}/followups/{followup.pk}/complete/"


def test_completing_the_first_followup_records_it_and_schedules_the_next(
    case, plan, followup, personas, token_client
):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    response = token_client(personas.owner).post(
        _complete_url(case, followup),
        {
            "held_on": today.isoformat(),
            "participants": "Mor og Emma",
            "decision": "adjust",
            "decision_reasons": "Timerne trappes ned.",
            "evaluations": [{"goal": plan.goals.first().pk, "verdict": "on_track"}],
            "next_dates": [(today + dt.timedelta(days=90)).isoformat()],
            "schedule_reasons": "Sjældnere nu.",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    followup.refresh_from_db()
    assert followup.held_on == today and followup.decision == "adjust"
    assert followup.evaluations.get().verdict == "on_track"
    assert followup.measure.followups.filter(number=2, held_on=None).exists()


def test_a_first_followup_without_the_next_schedule_is_refused_whole(
    case, plan, followup, personas, token_client
):
    from django.utils import timezone

    response = token_client(personas.owner).post(
        _complete_url(case, followup),
        {
            "held_on": timezone.localdate().isoformat(),
            "participants": "Mor",
            "decision": "continue",
            "decision_reasons": "Det går godt.",
            "evaluations": [{"goal": 999999, "verdict": "on_track"}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "evaluations[0].goal" in response.json()["fejl"]["felter"]
    followup.refresh_from_db()
    assert followup.held_on is None and not followup.evaluations.exists()
