"""The persona matrix for every page of the session log, generated from
followups/urls_sessions.py.

Every URL pattern is requested by every persona, with its ids filled from real objects of the
case. A new pattern is covered the moment it is added, and it fails
``test_every_pattern_is_classified`` until someone decides who may use it.
"""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from access.rules import Need
from cases.models import Case
from demo import factories as f
from followups import sessions as services
from followups import urls_sessions as urls
from followups.models import Session
from tests.followups import access
from tests.followups.access import OUTSIDERS, patterns_of, url_for

# --- classification: who may use which page ---------------------------------------------------

READ_PAGES = {"case_sessions", "session_hours"}
# A therapist or psychologist assigned to one of the case's measures; a draft only its author.
LOG = {"session_new", "session_edit", "session_autosave", "session_delete"}
CATEGORIES = (READ_PAGES, LOG)
ACCESS = {0: Need.READ, 1: Need.SESSIONS}
POSTABLE = LOG

# persona -> (read page, log)
EXPECTED = {
    "owner": (200, 403),
    "colleague": (404, 404),
    "team_lead": (200, 403),
    "therapist": (200, 200),
    "other_therapist": (404, 404),
    "family_user": (404, 404),
    "other_family_user": (404, 404),
}
SECRET = "Hemmeligt internt notat"

PATTERNS, NAMES = patterns_of(urls)


def category(name: str) -> int:
    return access.category(name, CATEGORIES, "test_session_access.py")


@pytest.fixture
def objects(case, personas) -> dict[str, object]:
    """Real objects of the case for every kwarg in followups/urls_sessions.py: a logged
    session (with an internal note) and the therapist's draft."""
    measure = case.measures.get()
    f.logged_session(case, personas.therapist, measure, internal_note=SECRET)
    draft = services.session_start(case=case, user=personas.therapist, measure=measure)
    return {"session_id": draft.pk, "measure_id": measure.pk}


def test_every_pattern_is_classified():
    classified = READ_PAGES | LOG
    assert set(NAMES) == classified, f"classify new session URLs here: {set(NAMES) ^ classified}"
    assert len(NAMES) == len(set(NAMES))
    assert sum(len(names) for names in CATEGORIES) == len(classified), "classified twice"


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_every_view_loads_the_case_and_checks_the_right_it_is_classified_with(pattern):
    assert pattern.callback.case_need == ACCESS[category(pattern.name)], pattern.name


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_get_matrix(pattern, persona, case, objects, personas, login):
    user = getattr(personas, persona)
    url = url_for(pattern, case, objects)
    response = login(user).get(url)

    expected = EXPECTED[persona][category(pattern.name)]
    access.assert_case_page_answer(
        response, expected, case=case, user=user, url=url, label=f"{persona} GET {pattern.name}"
    )
    if expected != 200:
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_anonymous_is_sent_to_login(pattern, case, objects, client):
    response = client.get(url_for(pattern, case, objects))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_case_is_404_and_logged(personas, login):
    missing = uuid.uuid4()
    response = login(personas.therapist).get(reverse("followups:case_sessions", args=[missing]))
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(
        user=personas.therapist, action="denied", target__contains=str(missing)
    ).exists()


def post_data() -> dict[str, object]:
    return {
        "date": timezone.localdate().isoformat(),
        "start_time": "00:00",
        "duration_preset": "60",
        "location": Session.Location.HOME,
        "methods": [Session.Method.GUIDANCE],
        "internal_note": "Ændret",
    }


def snapshot(case: Case) -> list:
    return list(
        Session.objects.filter(case=case)
        .order_by("id")
        .values_list("id", "status", "internal_note", "duration_minutes")
    )


@pytest.mark.parametrize("persona", [*OUTSIDERS, "owner", "team_lead"])
@pytest.mark.parametrize("name", sorted(POSTABLE))
def test_post_by_others_changes_nothing(name, persona, case, objects, personas, login):
    pattern = next(p for p in PATTERNS if p.name == name)
    url = url_for(pattern, case, objects)
    before = snapshot(case)
    user = getattr(personas, persona)

    response = login(user).post(url, post_data())

    assert response.status_code == (404 if persona in OUTSIDERS else 403)
    assert snapshot(case) == before
    assert AccessLogEntry.objects.filter(case=case, user=user, action="denied", target=url).exists()

    # Control: the same payload from the draft's therapist does change something.
    response = login(personas.therapist).post(url, post_data())
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    assert snapshot(case) != before, f"the payload did not work for {name}"


@pytest.mark.parametrize("name", sorted(set(NAMES) - POSTABLE))
def test_post_to_read_only_page_is_refused(name, case, objects, personas, login):
    pattern = next(p for p in PATTERNS if p.name == name)
    response = login(personas.therapist).post(url_for(pattern, case, objects), post_data())
    assert response.status_code == 405


def test_sessions_of_another_case_are_404_and_logged(case, objects, org, personas, login):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status="measure")
    other_measure = f.MeasureFactory(case=other, provider_team=org.family_house)
    f.assign(other_measure, personas.therapist)
    foreign = services.session_start(case=other, user=personas.therapist, measure=other_measure)
    client = login(personas.therapist)
    for name in ("session_edit", "session_autosave", "session_delete"):
        url = reverse(f"followups:{name}", args=[case.pk, foreign.pk])
        assert client.post(url, post_data()).status_code == 404
        assert AccessLogEntry.objects.filter(
            case=case, user=personas.therapist, action="denied", target=url
        ).exists()
    hours = reverse("followups:session_hours", args=[case.pk, other_measure.pk])
    assert client.get(hours).status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_draft and foreign.internal_note == ""


def test_a_colleague_with_a_share_reads_but_cannot_log(case, objects, org, personas, login):
    from access import rules as permissions

    cover = f.UserFactory(username="cover", role="caseworker")
    f.add_member(org.team_b, cover)
    permissions.case_share_grant(
        case=case,
        user=cover,
        valid_until=timezone.localdate() + dt.timedelta(days=14),
        reason="Ferieafløsning",
        granted_by=personas.owner,
    )
    client = login(cover)
    assert SECRET in client.get(reverse("followups:case_sessions", args=[case.pk])).content.decode()
    response = client.post(reverse("followups:session_new", args=[case.pk]))
    assert response.status_code == 403
