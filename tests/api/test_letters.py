"""Closing letters over the API: their metadata and the approved version's PDF, logged."""

from access.models import AccessLogEntry


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
