"""The persona matrix for every follow-up page, generated from followups/urls_followups.py.

Every URL pattern is requested by every persona, with its ids filled from real objects of the
case. A new pattern is covered the moment it is added, and it fails
``test_every_pattern_is_classified`` until someone decides who may use it.
"""

import datetime as dt
import uuid

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from access.models import AccessLogEntry
from access.rules import Need
from cases.models import Case
from demo import factories as f
from followups import urls_followups
from followups.models import FollowUp
from plans import services as plan_services
from plans.models import Area
from tests.followups import access
from tests.followups.access import OUTSIDERS, patterns_of

READ_PAGES = {"case_followups", "followup_detail"}
AUTHORITY = {"followup_complete"}  # the owner or the team lead
CATEGORIES = (READ_PAGES, AUTHORITY)
ACCESS = {0: Need.READ, 1: Need.AUTHORITY}

# persona -> (read page, authority)
EXPECTED = {
    "owner": (200, 200),
    "colleague": (404, 404),
    "team_lead": (200, 200),
    "therapist": (200, 403),
    "other_therapist": (404, 404),
    "family_user": (404, 404),
    "other_family_user": (404, 404),
}
MARKER = "Mødet handlede om morgenerne"

PATTERNS, NAMES = patterns_of(urls_followups)


def category(name: str) -> int:
    return access.category(name, CATEGORIES, __name__)


@pytest.fixture
def followup(case, personas) -> FollowUp:
    plan = plan_services.plan_create(case=case, user=personas.owner)
    plan_services.plan_goal_add(plan=plan, area=Area.FAMILY, family_wording=MARKER)
    measure = case.measures.get()
    return f.FollowUpFactory(measure=measure, number=1, due_on=timezone.localdate())


def url_for(pattern: URLPattern, case: Case, followup: FollowUp) -> str:
    return access.url_for(pattern, case, {"followup_id": followup.pk})


def test_every_pattern_is_classified():
    classified = READ_PAGES | AUTHORITY
    assert set(NAMES) == classified, f"classify new follow-up URLs here: {set(NAMES) ^ classified}"
    assert len(NAMES) == len(set(NAMES))


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_every_view_loads_the_case_with_the_right_it_is_classified_with(pattern):
    assert pattern.callback.case_need == ACCESS[category(pattern.name)], pattern.name


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_get_matrix(pattern, persona, case, followup, personas, login):
    user = getattr(personas, persona)
    url = url_for(pattern, case, followup)
    response = login(user).get(url)

    expected = EXPECTED[persona][category(pattern.name)]
    access.assert_case_page_answer(
        response, expected, case=case, user=user, url=url, label=f"{persona} GET {pattern.name}"
    )
    if expected == 404:
        assert MARKER not in response.content.decode()


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_anonymous_is_sent_to_login(pattern, case, followup, client):
    response = client.get(url_for(pattern, case, followup))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_case_is_404_and_logged(personas, login):
    missing = uuid.uuid4()
    response = login(personas.owner).get(reverse("followups:case_followups", args=[missing]))
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(
        user=personas.owner, action="denied", case=None, target__contains=str(missing)
    ).exists()


def post_data() -> dict[str, str]:
    today = timezone.localdate()
    return {
        "held_on": today.isoformat(),
        "participants": "Mor og Emma",
        "decision": "continue",
        "decision_reasons": "Det går fremad.",
        "next_date_1": (today + dt.timedelta(days=30)).isoformat(),
        "schedule_reasons": "Tæt på i starten.",
        # the goal's verdict: filled in by the test from the goal's id
    }


def with_verdict(followup: FollowUp) -> dict[str, str]:
    data = post_data()
    for goal in followup.case.plan.goals.all():
        data[f"verdict_{goal.pk}"] = "on_track"
    return data


def state(followup: FollowUp) -> tuple:
    followup.refresh_from_db()
    return (followup.held_on, FollowUp.objects.filter(measure=followup.measure).count())


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_post_by_outsider_is_404_and_changes_nothing(persona, case, followup, personas, login):
    url = reverse("followups:followup_complete", args=[case.pk, followup.pk])
    before = state(followup)
    outsider = getattr(personas, persona)
    response = login(outsider).post(url, with_verdict(followup))
    assert response.status_code == 404
    assert state(followup) == before
    assert AccessLogEntry.objects.filter(
        case=case, user=outsider, action="denied", target=url
    ).exists()

    # Control: the same payload from the owner records the follow-up.
    response = login(personas.owner).post(url, with_verdict(followup))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert state(followup) != before


def test_therapist_post_is_403_and_changes_nothing(case, followup, personas, login):
    url = reverse("followups:followup_complete", args=[case.pk, followup.pk])
    before = state(followup)
    response = login(personas.therapist).post(url, with_verdict(followup))
    assert response.status_code == 403
    assert state(followup) == before
    assert AccessLogEntry.objects.filter(
        case=case, user=personas.therapist, action="denied", target=url
    ).exists()


@pytest.mark.parametrize("name", sorted(READ_PAGES))
def test_post_to_read_only_page_is_refused(name, case, followup, personas, login):
    pattern = next(p for p in PATTERNS if p.name == name)
    response = login(personas.owner).post(url_for(pattern, case, followup), with_verdict(followup))
    assert response.status_code == 405


def test_a_followup_of_another_case_is_404_and_logged(case, followup, org, personas, login):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status="measure")
    other_followup = f.FollowUpFactory(measure=f.MeasureFactory(case=other), number=1)
    for name in ("followup_detail", "followup_complete"):
        url = reverse(f"followups:{name}", args=[case.pk, other_followup.pk])
        response = login(personas.owner).get(url)
        assert response.status_code == 404
        assert AccessLogEntry.objects.filter(
            case=case, user=personas.owner, action="denied", target=url
        ).exists()
