"""The REST API's write endpoints (each app's ``api`` package), fuzzed with JSON through DRF's
APIClient: never a 5xx; a 2xx writes only what the valid body writes; anything else is the
one error shape {"fejl": {"kode", "besked", "felter"}} in Danish and changes no row.

The bodies start from a valid one (as in tests/api/test_writes.py and test_followups.py); a few of
its fields, at the top or inside a nested list, are replaced by hostile JSON values: strings
with NUL bytes, unicode, very long; integers beyond 64 bits; floats; null; lists; objects.
Now and then the whole body is replaced (a list, a string, a number).
"""

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import (
    _fresh_throttle_counts,  # noqa: F401 - fixtures, for the tests below
    followup,  # noqa: F401
    make_token,  # noqa: F401
    plan,  # noqa: F401
    session_body,
    token_client,  # noqa: F401
)
from tests.property.forms import EXAMPLES, assert_danish, changed_tables, fingerprint, hostile

json_scalar = st.one_of(
    hostile,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
)
json_value = st.one_of(
    json_scalar,
    st.lists(json_scalar, max_size=3),
    st.dictionaries(st.text(max_size=5), json_scalar, max_size=2),
)


def mutate(draw: st.DrawFn, value: Any, depth: int = 0) -> Any:
    """``value`` with some of its fields (or items of its lists) replaced or left out."""
    if isinstance(value, dict) and value:
        result = dict(value)
        for key in draw(st.sets(st.sampled_from(sorted(value)), max_size=3)):
            action = draw(st.integers(0, 5))
            if action == 0:
                del result[key]
            elif action == 1 and depth < 2:
                result[key] = mutate(draw, value[key], depth + 1)
            else:
                result[key] = draw(json_value)
        return result
    if isinstance(value, list) and value and depth < 3:
        index = draw(st.integers(0, len(value) - 1))
        return [*value[:index], mutate(draw, value[index], depth + 1), *value[index + 1 :]]
    return draw(json_value)


@st.composite
def bodies(draw: st.DrawFn, valid: dict[str, Any]) -> Any:
    if draw(st.integers(0, 14)) == 0:
        return draw(st.one_of(st.lists(json_scalar, max_size=2), json_scalar))
    return mutate(draw, valid)


def post_json(client: Any, url: str, body: Any) -> tuple[Any, set[str]]:
    with transaction.atomic():
        before = fingerprint()
        try:
            response = client.post(url, body, format="json")
        except Exception as error:  # the test client re-raises what became a 500
            raise AssertionError(f"POST {url} raised {error!r} for {body!r}") from error
        changed = changed_tables(before, fingerprint())
        transaction.set_rollback(True)
    return response, changed


def judge_api(response: Any, changed: set[str], allowed: set[str], label: str) -> None:
    assert response.status_code < 500, f"{label}: {response.status_code}"
    if 200 <= response.status_code < 300:
        assert changed <= allowed, f"{label}: changed {sorted(changed - allowed)}"
        return
    assert not changed, f"{label}: refused ({response.status_code}) but changed {changed}"
    body = response.json()
    assert set(body) == {"fejl"}, f"{label}: {body}"
    error = body["fejl"]
    assert set(error) == {"kode", "besked", "felter"}, f"{label}: {body}"
    assert_danish(error["besked"], label)
    for messages in error["felter"].values():
        for message in messages:
            assert_danish(message, label)


def fuzz_api(client: Any, url: str, valid: dict[str, Any], label: str) -> None:
    response, allowed = post_json(client, url, valid)
    assert 200 <= response.status_code < 300, f"{label}: the valid body: {response.content!r}"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(bodies(valid))
    def run(body: Any) -> None:
        response, changed = post_json(client, url, body)
        judge_api(response, changed, allowed, f"{label} {body!r}"[:3000])

    run()


@pytest.fixture
def endpoints(case, org, plan, followup, personas):  # noqa: F811
    today = timezone.localdate()
    goal = plan.goals.first()
    return {
        "notifications": (
            personas.owner,
            f"/api/v1/cases/{case.pk}/notifications/",
            {
                "received_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
                "reporter_kind": "professional",
                "reporter_organisation": "Nordskolen",
                "concern": "Sultent barn.",
            },
        ),
        "plan_goals": (
            personas.therapist,
            f"/api/v1/cases/{case.pk}/plan/goals/",
            {"area": "health", "family_wording": "Sove nok", "target_date": "2027-01-01"},
        ),
        "plan_rating_rounds": (
            personas.owner,
            f"/api/v1/cases/{case.pk}/plan/rating-rounds/",
            {
                "held_on": today.isoformat(),
                "ratings": [
                    {"goal": goal.pk, "rater_kind": "parent", "rater_name": "Mor", "value": 6},
                    {"goal": None, "rater_kind": "child", "rater_name": "Emma", "value": 7},
                ],
            },
        ),
        "followup_complete": (
            personas.owner,
            f"/api/v1/cases/{case.pk}/followups/{followup.pk}/complete/",
            {
                "held_on": today.isoformat(),
                "participants": "Mor og Emma",
                "decision": "adjust",
                "decision_reasons": "Timerne trappes ned.",
                "evaluations": [{"goal": goal.pk, "verdict": "on_track"}],
                "next_dates": [(today + dt.timedelta(days=90)).isoformat()],
                "schedule_reasons": "Sjældnere nu.",
            },
        ),
        "sessions": (
            personas.therapist,
            f"/api/v1/cases/{case.pk}/sessions/",
            session_body(
                case,
                family_summary="Vi talte om morgenen.",
                goals=[goal.pk],
                internal_note="Kun til os",
            ),
        ),
        "citizen_search": (
            personas.owner,
            "/api/v1/citizens/search/",
            {"cpr": case.citizen.cpr},
        ),
    }


ENDPOINTS = [
    "notifications",
    "plan_goals",
    "plan_rating_rounds",
    "followup_complete",
    "sessions",
    "citizen_search",
]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_any_json_saves_or_explains_in_danish(name, endpoints, token_client):  # noqa: F811
    user, url, valid = endpoints[name]
    fuzz_api(token_client(user), url, valid, name)
