"""Follow-ups, sessions, reminders, network and letters over the API."""

from django.utils import timezone

from access.models import AccessLogEntry
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


def test_letter_metadata_and_pdf(case, letter, personas, token_client):
    client = token_client(personas.owner)
    listed = client.get(f"/api/v1/cases/{case.pk}/letters/").json()
    assert [(row["id"], row["status"], row["pdf_ready"]) for row in listed] == [
        (letter.pk, letter.status, True)
    ]
    response = client.get(f"/api/v1/cases/{case.pk}/letters/{letter.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    entry = AccessLogEntry.objects.filter(case=case).latest("id")
    assert "PDF hentet" in entry.target
    missing = client.get(f"/api/v1/cases/{case.pk}/letters/{letter.pk + 1000}/pdf/")
    assert missing.status_code == 404
    assert AccessLogEntry.objects.filter(case=case).latest("id").action == "denied"


def test_network(case, personas, token_client):
    from network.models import NetworkMember

    NetworkMember.objects.create(
        case=case, name="Mormor", sector="family", circle=1, created_by=personas.owner
    )
    gone = NetworkMember.objects.create(
        case=case,
        name="Gammel ven",
        sector="friends",
        circle=3,
        removed_at=timezone.now(),
        created_by=personas.owner,
    )
    body = token_client(personas.therapist).get(f"/api/v1/cases/{case.pk}/network/members/")
    assert [row["name"] for row in body.json()] == ["Mormor"]
    assert gone.pk not in [row["id"] for row in body.json()]
