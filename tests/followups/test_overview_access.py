"""The persona matrix for every page in followups/urls_overview.py, generated from its patterns.

A new pattern is covered the moment it is added, and fails ``test_every_pattern_is_classified``
until someone decides who may use it. Case-less pages answer 404 to those who may not use them
(families; everyone but team leads for the team overview), and the refusal is logged.
"""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from access.rules import Need
from cases.models import Case, Deadline, DeadlineRule, JournalNote
from followups import urls_overview
from followups.models import Reminder
from tests.followups.access import OUTSIDERS, PERSONAS, patterns_of, url_for

# --- classification ---------------------------------------------------------------------------

STAFF_PAGES = {"reminder_list", "deadline_list"}  # any staff user, about their own things
LEAD_PAGES = {"team_overview"}  # whoever leads a team
OWN_REMINDER_ACTIONS = {"reminder_read"}  # POST; only the reminder's recipient
STAFF_ACTIONS = {"reminder_read_all"}  # POST; any staff user, on their own reminders
AUTHORITY = {"after_18_decision"}  # a case's owner or team lead
CATEGORIES = (STAFF_PAGES, LEAD_PAGES, OWN_REMINDER_ACTIONS, STAFF_ACTIONS, AUTHORITY)
CASE_PAGES = AUTHORITY
POST_ONLY = OWN_REMINDER_ACTIONS | STAFF_ACTIONS

STAFF = {"owner", "colleague", "team_lead", "therapist", "other_therapist"}

PATTERNS, NAMES = patterns_of(urls_overview)


def category(name: str) -> set[str]:
    for names in CATEGORIES:
        if name in names:
            return names
    raise AssertionError(f"URL {name!r} is not classified in {__file__}")


def expected_get(name: str, persona: str) -> int:
    names = category(name)
    if names is STAFF_PAGES:
        return 200 if persona in STAFF else 404
    if names is LEAD_PAGES:
        return 200 if persona == "team_lead" else 404
    if names in (OWN_REMINDER_ACTIONS, STAFF_ACTIONS):
        return 405
    return {"owner": 200, "team_lead": 200, "therapist": 403}.get(persona, 404)


def expected_post(name: str, persona: str) -> int:
    names = category(name)
    if names is OWN_REMINDER_ACTIONS:
        return 302 if persona == "owner" else 404
    if names is STAFF_ACTIONS:
        return 302 if persona in STAFF else 404
    if names is AUTHORITY:
        return {"owner": 302, "team_lead": 302, "therapist": 403}.get(persona, 404)
    return 405


# --- objects ----------------------------------------------------------------------------------


@pytest.fixture
def objects(case, personas) -> dict[str, object]:
    deadline = Deadline.objects.create(
        case=case,
        rule=DeadlineRule.objects.get(code="after_18"),
        due_at=timezone.now() + dt.timedelta(days=30),
    )
    reminder = Reminder.objects.create(
        recipient=personas.owner,
        case=case,
        item=f"deadline:{deadline.pk}",
        level=Reminder.Level.COMING_DUE,
        title="Afgørelse om støtte efter det fyldte 18. år",
        due_at=deadline.due_at,
    )
    return {"pk": reminder.pk, "deadline": deadline, "reminder": reminder}


def post_data() -> dict[str, str]:
    return {"decided_on": timezone.localdate().isoformat(), "decision": "Efterværn."}


def snapshot(case: Case, objects: dict[str, object]) -> tuple:
    return (
        list(Reminder.objects.order_by("pk").values_list("pk", "read_at")),
        list(Deadline.objects.filter(case=case).values_list("pk", "met_at")),
        JournalNote.objects.filter(case=case).count(),
    )


# --- completeness -----------------------------------------------------------------------------


def test_every_pattern_is_classified():
    classified = set().union(*CATEGORIES)
    assert set(NAMES) == classified, f"classify new overview URLs here: {set(NAMES) ^ classified}"
    assert len(NAMES) == len(set(NAMES))
    assert sum(len(names) for names in CATEGORIES) == len(classified), "classified twice"


@pytest.mark.parametrize("name", sorted(CASE_PAGES))
def test_case_pages_load_the_case_through_case_view(name):
    pattern = next(p for p in PATTERNS if p.name == name)
    assert pattern.callback.case_need == Need.AUTHORITY  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(set(NAMES) - CASE_PAGES))
def test_case_less_pages_have_no_case_in_the_url(name):
    pattern = next(p for p in PATTERNS if p.name == name)
    assert "case_id" not in pattern.pattern.converters  # type: ignore[attr-defined]


# --- GET: every persona, every pattern --------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_get_matrix(pattern, persona, case, objects, personas, login):
    user = getattr(personas, persona)
    url = url_for(pattern, case, objects)
    response = login(user).get(url)

    expected = expected_get(pattern.name, persona)
    assert response.status_code == expected, f"{persona} GET {pattern.name}"
    log = AccessLogEntry.objects.filter(user=user, target=url)
    if expected in (403, 404):
        assert log.filter(action="denied").exists()
    if pattern.name in CASE_PAGES:
        if expected == 200:
            assert log.filter(action="view", case=case).exists()
        else:
            assert log.filter(action="denied", case=case).exists()
    if expected == 404:
        assert case.citizen.full_name not in response.content.decode()


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_anonymous_is_sent_to_login(pattern, case, objects, client):
    url = url_for(pattern, case, objects)
    for response in (client.get(url), client.post(url, post_data())):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- POST: every persona, every pattern -------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_post_matrix(pattern, persona, case, objects, personas, login):
    user = getattr(personas, persona)
    url = url_for(pattern, case, objects)
    before = snapshot(case, objects)

    response = login(user).post(url, post_data())

    expected = expected_post(pattern.name, persona)
    assert response.status_code == expected, f"{persona} POST {pattern.name}"
    if expected in (403, 404, 405):
        assert snapshot(case, objects) == before, f"{persona} POST {pattern.name} changed data"
    if expected in (403, 404):
        assert AccessLogEntry.objects.filter(user=user, target=url, action="denied").exists()


@pytest.mark.parametrize("persona", [*OUTSIDERS, "therapist"])
def test_refused_post_changes_nothing_but_the_owners_does(case, objects, personas, persona, login):
    # Control for the matrix: the same payload works for the owner, so a refusal is real.
    url = reverse("followups:after_18_decision", args=[case.pk])
    before = snapshot(case, objects)
    assert login(getattr(personas, persona)).post(url, post_data()).status_code in (403, 404)
    assert snapshot(case, objects) == before
    assert login(personas.owner).post(url, post_data()).status_code == 302
    assert snapshot(case, objects) != before


def test_reminder_read_by_its_recipient_marks_it_read(case, objects, personas, login):
    reminder = objects["reminder"]
    assert isinstance(reminder, Reminder)
    login(personas.owner).post(reverse("followups:reminder_read", args=[reminder.pk]))
    reminder.refresh_from_db()
    assert reminder.read_at is not None


def test_unknown_reminder_and_unknown_case_are_404_and_logged(personas, login):
    client = login(personas.owner)
    url = reverse("followups:reminder_read", args=[987654])
    assert client.post(url).status_code == 404
    assert AccessLogEntry.objects.filter(user=personas.owner, action="denied", target=url).exists()
    missing = uuid.uuid4()
    url = reverse("followups:after_18_decision", args=[missing])
    assert client.get(url).status_code == 404
    assert AccessLogEntry.objects.filter(
        user=personas.owner, action="denied", case=None, target__contains=str(missing)
    ).exists()
