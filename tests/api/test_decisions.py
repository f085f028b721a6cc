"""The API's decisions, party hearings (with the answers) and complaints (cases.api.decisions):
read-only, for the authority's staff who see the case; a provider's therapist and outsiders get
a logged 404, writes 405; lists are cursor pages; the schema has them."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from access.models import AccessLogEntry
from demo import factories as f

pytestmark = pytest.mark.django_db

CASE_URLS = [
    "/api/v1/cases/{case}/decisions/",
    "/api/v1/cases/{case}/decisions/{decision}/",
    "/api/v1/cases/{case}/hearings/",
    "/api/v1/cases/{case}/complaints/",
]


def urls(case, decision) -> list[str]:
    return [u.format(case=case.pk, decision=decision.pk) for u in CASE_URLS]


def test_the_owner_reads_a_decision_with_its_hearing_answers_and_complaints(
    case, decision, personas, token_client
):
    client = token_client(personas.owner, read_only=True)
    body = client.get(f"/api/v1/cases/{case.pk}/decisions/{decision.pk}/").json()
    assert body["id"] == decision.pk and body["status"] == "decided"
    assert body["reasons"] == f.DECISION_REASONS
    assert body["decided_by"]["id"] == personas.owner.pk
    assert body["url"] == decision.get_absolute_url()
    (hearing,) = body["hearings"]
    assert hearing["parties"] == ["Mor", "Far"]
    assert [a["party"] for a in hearing["answers"]] == ["Mor"]
    (complaint,) = body["complaints"]
    assert complaint["complainant"] == "Far" and complaint["outcome"] == ""

    page = client.get(f"/api/v1/cases/{case.pk}/decisions/").json()
    assert [d["id"] for d in page["results"]] == [decision.pk]
    assert "next" in page and "hearings" not in page["results"][0]
    hearings = client.get(f"/api/v1/cases/{case.pk}/hearings/").json()["results"]
    assert hearings[0]["answers"][0]["text"] == "Vi er enige."
    complaints = client.get(f"/api/v1/cases/{case.pk}/complaints/").json()["results"]
    assert complaints[0]["decision"] == decision.pk
    assert AccessLogEntry.objects.filter(
        case=case, user=personas.owner, action="view", target__contains="/decisions/"
    ).exists()


def test_the_list_across_cases_is_paginated_and_logged(case, decision, personas, org, login):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status="measure")
    f.decision_made(other, personas.owner)
    client = login(personas.owner)
    first = client.get("/api/v1/decisions/?page_size=1").json()
    assert len(first["results"]) == 1 and first["next"]
    second = client.get(first["next"]).json()
    ids = {first["results"][0]["id"], second["results"][0]["id"]}
    assert decision.pk in ids and len(ids) == 2
    assert (
        AccessLogEntry.objects.filter(
            user=personas.owner, action="view", target="/api/v1/decisions/"
        ).count()
        == 2
    )

    # Lists filter: the team's other caseworker and the provider's therapist see none.
    assert login(personas.colleague).get("/api/v1/decisions/").json()["results"] == []
    assert login(personas.therapist).get("/api/v1/decisions/").json()["results"] == []
    assert login(personas.team_lead).get("/api/v1/decisions/").json()["results"]


@pytest.mark.parametrize("persona", ["therapist", "colleague", "other_therapist"])
def test_a_provider_and_outsiders_get_a_logged_404(persona, case, decision, personas, login):
    client = login(getattr(personas, persona))
    for url in urls(case, decision):
        response = client.get(url)
        assert response.status_code == 404, (persona, url)
        assert "Vi er enige" not in response.content.decode()
        assert AccessLogEntry.objects.filter(
            case=case, user=getattr(personas, persona), action="denied", target=url
        ).exists()


def test_a_decision_of_another_case_is_a_404(case, personas, org, login):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status="measure")
    foreign = f.decision_made(other, personas.owner)
    response = login(personas.owner).get(f"/api/v1/cases/{case.pk}/decisions/{foreign.pk}/")
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(case=case, action="denied").exists()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_not_allowed(method, case, decision, personas, login):
    client = login(personas.owner)
    for url in [*urls(case, decision), "/api/v1/decisions/"]:
        response = getattr(client, method)(url, data={}, content_type="application/json")
        assert response.status_code == 405, (method, url)
        assert response.json()["fejl"]["kode"]


def test_families_and_anonymous_are_refused(case, decision, personas, login, client):
    for url in [*urls(case, decision), "/api/v1/decisions/"]:
        assert login(personas.family_user).get(url).status_code == 403
        assert client.get(url).status_code == 401


def test_the_schema_has_them_read_only():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    expected = {
        "/api/v1/decisions/": "decisions_list",
        "/api/v1/cases/{case_id}/decisions/": "case_decisions_list",
        "/api/v1/cases/{case_id}/decisions/{decision_id}/": "case_decisions_retrieve",
        "/api/v1/cases/{case_id}/hearings/": "case_hearings_list",
        "/api/v1/cases/{case_id}/complaints/": "case_complaints_list",
    }
    for path, operation_id in expected.items():
        assert set(paths[path]) == {"get"}, path
        assert paths[path]["get"]["operationId"] == operation_id
    detail = schema["components"]["schemas"]["DecisionDetail"]["properties"]
    assert {"hearings", "complaints", "reasons", "legal_reference"} <= set(detail)
    hearing = schema["components"]["schemas"]["PartyHearing"]["properties"]
    assert "answers" in hearing
