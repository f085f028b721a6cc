"""The network pages as the caseworker and the therapist use them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from network import services
from network.models import Meeting, NetworkMember
from plans import services as plan_services
from plans.models import Area


@pytest.fixture
def members(case, personas):
    return [
        services.network_member_add(
            case=case, user=personas.owner, name=name, sector=sector, circle=circle
        )
        for name, sector, circle in (
            ("Mormor Inge", "relatives", 1),
            ("Lærer Hanne", "school", 2),
            ("Træner Ali", "friends", 3),
        )
    ]


def test_network_page_shows_map_and_list(case, members, personas, login):
    response = login(personas.owner).get(reverse("network:network_detail", args=[case.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="member"') >= 6  # 3 in the drawing, 3 in the list
    assert reverse("network:network_map_svg", args=[case.pk]) in body
    assert "Mormor Inge" in body


def test_add_member_without_js_redirects(case, personas, login):
    url = reverse("network:network_member_add", args=[case.pk])
    response = login(personas.therapist).post(
        url,
        {
            "name": "Farfar",
            "sector": "relatives",
            "circle": "2",
            "child_wants_invited": "yes",
            "given_by_family": "1",
        },
    )
    assert response.status_code == 302
    assert NetworkMember.objects.get(case=case, name="Farfar").child_wants_invited == "yes"


def test_add_member_with_htmx_swaps_map_and_list(case, personas, login):
    url = reverse("network:network_member_add", args=[case.pk])
    response = login(personas.owner).post(
        url,
        {
            "name": "Naboen Grethe",
            "sector": "friends",
            "circle": "3",
            "child_wants_invited": "not_asked",
            "given_by_family": "1",
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<div id="netvaerk"')
    assert body.count("Naboen Grethe") >= 3  # drawing title, drawing text, list
    assert "HX-Trigger-After-Settle" in response


def test_add_member_errors_come_back_in_place(case, personas, login):
    url = reverse("network:network_member_add", args=[case.pk])
    response = login(personas.owner).post(url, {"name": "", "sector": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "ny-person-errors" in response.content.decode()
    assert not NetworkMember.objects.filter(case=case).exists()


def test_move_closer_by_button(case, members, personas, login):
    hanne = members[1]
    url = reverse("network:network_member_move", args=[case.pk, hanne.pk])
    response = login(personas.owner).post(url, {"direction": "closer"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    hanne.refresh_from_db()
    assert hanne.circle == 1


def test_remove_asks_first(case, members, personas, login):
    url = reverse("network:network_member_remove", args=[case.pk, members[0].pk])
    client = login(personas.owner)
    assert "Fjern fra kortet" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    members[0].refresh_from_db()
    assert members[0].removed_at is not None


def test_svg_url_is_an_svg(case, members, personas, login):
    response = login(personas.team_lead).get(reverse("network:network_map_svg", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"Mormor Inge" in response.content


def test_compare_and_versions(case, members, personas, login):
    services.network_snapshot_take(case=case, user=personas.owner, reason="Netværksmøde")
    client = login(personas.owner)
    assert client.get(reverse("network:network_snapshots", args=[case.pk])).status_code == 200
    response = client.get(reverse("network:network_compare", args=[case.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("<svg") >= 2


def test_meeting_flow(case, members, personas, login):
    client = login(personas.therapist)
    starts = timezone.localtime() + dt.timedelta(days=3)
    response = client.post(
        reverse("network:meeting_create", args=[case.pk]),
        {
            "kind": "network_meeting",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "place": "Familiehuset",
            "purpose": "Hvem kan hjælpe om morgenen?",
            f"invite_{members[0].pk}": "on",
            f"wish_{members[0].pk}": "yes",
            f"invite_{members[1].pk}": "on",
            f"wish_{members[1].pk}": "no",
            f"wish_{members[2].pk}": "not_asked",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(case=case)
    assert {i.member.name: i.child_wish for i in meeting.invitees.all()} == {
        "Mormor Inge": "yes",
        "Lærer Hanne": "no",
    }
    detail = client.get(meeting.get_absolute_url())
    assert detail.status_code == 200
    response = client.post(
        reverse("network:meeting_decision_add", args=[case.pk, meeting.pk]),
        {"member": members[0].pk, "what": "Henter Emma om fredagen", "due_on": ""},
    )
    assert response.status_code == 302
    decision = meeting.decisions.get()
    plan = plan_services.plan_create(case=case, user=personas.owner)
    goal = plan_services.plan_goal_add(plan=plan, area=Area.SCHOOL, family_wording="I skole")
    response = client.post(
        reverse("network:meeting_decision_to_plan", args=[case.pk, decision.pk]), {"goal": goal.pk}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.responsibility.assignee_name == "Mormor Inge"


def test_family_sees_the_coming_meeting_and_the_map(case, members, personas, login):
    services.network_member_add(
        case=case,
        user=personas.owner,
        name="Psykolog Pia",
        sector="professionals",
        phone="12345678",
        given_by_family=False,
    )
    services.network_member_add(
        case=case, user=personas.owner, name="Moster Ulla", sector="relatives", phone="87654321"
    )
    services.meeting_create(
        case=case,
        user=personas.owner,
        kind=Meeting.Kind.DIALOGUE_MEETING,
        starts_at=timezone.now() + dt.timedelta(days=5),
        place="Skolen",
        purpose="Skoledagen",
    )
    client = login(personas.family_user)
    home = client.get(reverse("family:home")).content.decode()
    assert "Dialogmøde" in home
    assert reverse("family:network", args=[case.pk]) in home
    page = client.get(reverse("family:network", args=[case.pk])).content.decode()
    assert "Psykolog Pia" in page and "Moster Ulla" in page
    assert "87654321" in page  # the family named her
    assert "12345678" not in page  # a professional named by staff: no contact details
    assert "Skoledagen" in page


def test_plan_print_embeds_the_map(case, members, personas, login):
    plan_services.plan_create(case=case, user=personas.owner)
    page = login(personas.owner).get(reverse("plans:plan_print", args=[case.pk])).content.decode()
    assert 'class="network-map"' in page
    assert "Mormor Inge" in page
