"""Follow-ups' part of the API: logging a session (whole or not at all) and the caller's own
reminders. The network and closing letters are in test_network.py and test_letters.py."""

from django.utils import timezone

from followups.models import Reminder, Session
from tests.api.conftest import fejl


def session_body(case, **changes):
    body = {
        "measure": case.measures.get().pk,
        "date": timezone.localdate().isoformat(),
        "start_time": "00:00",
        "duration_minutes": 60,
        "location": "home",
        "methods": ["family_conversation"],
        "family_summary": "Vi talte om morgenen.",
    }
    return {**body, **changes}


def test_log_a_session(case, plan, personas, token_client):
    goal = plan.goals.get()
    response = token_client(personas.therapist).post(
        f"/api/v1/cases/{case.pk}/sessions/",
        session_body(case, goals=[goal.pk], internal_note="Kun til os"),
        format="json",
    )
    assert response.status_code == 201, response.content
    session = Session.objects.get(pk=response.json()["id"])
    assert session.status == Session.Status.LOGGED
    assert session.internal_note == "Kun til os"
    assert "internal_note" not in response.json()
    listed = token_client(personas.owner).get(f"/api/v1/cases/{case.pk}/sessions/").json()
    assert [row["id"] for row in listed] == [session.pk]


def test_a_session_that_cannot_be_logged_leaves_no_draft(case, plan, personas, token_client):
    response = token_client(personas.therapist).post(
        f"/api/v1/cases/{case.pk}/sessions/",
        session_body(case, location="other", goals=[2**40]),
        format="json",
    )
    assert response.status_code == 400
    assert set(fejl(response)["felter"]) == {"goals"}
    response = token_client(personas.therapist).post(
        f"/api/v1/cases/{case.pk}/sessions/",
        session_body(case, location="other", date="2001-01-01"),
        format="json",
    )
    assert response.status_code == 400
    assert set(fejl(response)["felter"]) == {"date", "location_other"}
    assert not Session.objects.exists()


def test_own_reminders_only(case, personas, token_client):
    mine = Reminder.objects.create(
        recipient=personas.owner,
        case=case,
        item="deadline:1",
        level="due",
        title="Frist i dag",
        due_at=timezone.now(),
    )
    Reminder.objects.create(
        recipient=personas.team_lead,
        case=case,
        item="deadline:1",
        level="escalated",
        title="Overskredet",
        due_at=timezone.now(),
    )
    body = token_client(personas.owner).get("/api/v1/reminders/").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
