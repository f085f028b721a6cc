"""The network over the API: the people on a case's network map (/api/v1/cases/<id>/network/)."""

from django.utils import timezone

from network.models import NetworkMember


def test_network(case, personas, token_client):
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
