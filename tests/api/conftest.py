"""API fixtures: a plan on the ``case`` fixture, tokens, and clients for them."""

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.api_tokens import api_token_create
from demo import factories as f
from plans import services as plan_services
from plans.models import Area, Plan
from plans.services import RatingInput


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Throttle counts live in the cache; one test's requests must not throttle the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plan(case, personas) -> Plan:
    plan = plan_services.plan_create(case=case, user=personas.owner)
    goal = plan_services.plan_goal_add(plan=plan, area=Area.SCHOOL, family_wording="Skole hver dag")
    plan_services.plan_responsibility_add(
        goal=goal, assignee_kind="network", assignee_name="Mormor", task="Kører", when="Fredag"
    )
    plan_services.plan_rating_round_record(
        plan=plan,
        user=personas.owner,
        held_on=timezone.localdate() - dt.timedelta(days=7),
        ratings=[RatingInput(goal=goal, rater_kind="parent", rater_name="Mor", value=4)],
    )
    return plan


@pytest.fixture
def letter(case, personas, settings, tmp_path, monkeypatch):
    """The measure's closing letter, approved by the family, its PDF rendered."""
    from letters import services as services_letters

    settings.MEDIA_ROOT = tmp_path
    f.fake_rendering_task(monkeypatch)
    letter = f.letter_in_review(case.measures.get(), personas.therapist, personas.family_user)
    rendering = services_letters.letter_approve(letter=letter, user=personas.family_user)
    f.rendering_done(rendering)
    letter.refresh_from_db()
    return letter


@pytest.fixture
def followup(case):
    """The first follow-up of the case's measure, due in ten days."""
    from followups.models import FollowUp

    return FollowUp.objects.create(
        case=case,
        measure=case.measures.get(),
        number=1,
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )


@pytest.fixture
def make_token():
    def _make(user, *, read_only: bool = False, days: int = 30) -> str:
        _token, secret = api_token_create(
            user=user,
            name="Test",
            expires_on=timezone.localdate() + dt.timedelta(days=days),
            read_only=read_only,
        )
        return secret

    return _make


@pytest.fixture
def token_client(make_token):
    """``token_client(user, read_only=False)`` -> APIClient sending ``Token <secret>``."""

    def _client(user, **kwargs: Any) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {make_token(user, **kwargs)}")
        return client

    return _client


def fejl(response) -> dict:
    body = response.json()
    assert set(body) == {"fejl"}, body
    assert set(body["fejl"]) == {"kode", "besked", "felter"}, body
    return body["fejl"]


def measure_order_body(org: Any, personas: Any) -> dict[str, Any]:
    """A valid body for ordering a measure through the API (POST …/measures/)."""
    today = timezone.localdate()
    return {
        "legal_basis": "bl-32-1-5",
        "purpose": "Struktur i hverdagen.",
        "expected_duration_months": 6,
        "start_date": today.isoformat(),
        "provider_team": org.family_house.pk,
        "consent_given_on": today.isoformat(),
        "therapists": [personas.therapist.pk],
        "hours_steps": [
            {"weeks": 4, "hours_per_week": "6.0"},
            {"weeks": None, "hours_per_week": "3.0"},
        ],
    }


def session_body(case: Any, **extra: Any) -> dict[str, Any]:
    """A valid body for logging an hour's session at home today (POST …/sessions/)."""
    return {
        "measure": case.measures.get().pk,
        "date": timezone.localdate().isoformat(),
        "start_time": "00:00",
        "duration_minutes": 60,
        "location": "home",
        "methods": ["family_conversation"],
        **extra,
    }


@pytest.fixture
def decision(case, personas):
    """A decision made on the case (through the services), with a party hearing, one party's
    answer and a complaint (made directly: the API only reads them)."""
    from cases.models import Complaint, HearingAnswer, PartyHearing

    decision = f.decision_made(case, personas.owner)
    today = timezone.localdate()
    hearing = PartyHearing.objects.create(
        decision=decision,
        sent_on=today - dt.timedelta(days=10),
        respond_by=today - dt.timedelta(days=2),
        parties="Mor\nFar",
        sent_by=personas.owner,
    )
    HearingAnswer.objects.create(
        hearing=hearing,
        party="Mor",
        received_on=today - dt.timedelta(days=3),
        text="Vi er enige.",
        recorded_by=personas.owner,
    )
    Complaint.objects.create(
        decision=decision,
        received_on=today,
        complainant="Far",
        text="Jeg er uenig.",
        reconsider_by=today + dt.timedelta(days=28),
        registered_by=personas.owner,
    )
    return decision
