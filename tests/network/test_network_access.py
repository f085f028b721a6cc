"""The persona matrix for every network page, generated from network/urls.py.

Every URL pattern is requested by every persona, with its ids filled from real objects of the
case's network. A new pattern is covered the moment it is added, and it fails
``test_every_pattern_is_classified`` until someone decides who may use it.
"""

import datetime as dt
import uuid

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from access.models import AccessLogEntry
from access.rules import Need
from cases.models import Case, CaseStatus
from demo import factories as f
from network import services, urls
from network.models import MapSnapshot, Meeting, MeetingDecision, MeetingInvitee, NetworkMember
from plans import services as plan_services
from plans.models import Area, Goal
from portal import urls as portal_urls

READ_PAGES = {
    "network_detail",
    "network_map_svg",
    "network_snapshots",
    "network_snapshot_svg",
    "network_compare",
    "meeting_list",
    "meeting_detail",
}
# The owner, the team lead and the therapist assigned to one of the case's measures.
WORK = {
    "network_member_add",
    "network_member_edit",
    "network_member_move",
    "network_member_remove",
    "network_snapshot_take",
    "meeting_create",
    "meeting_edit",
    "meeting_record",
    "meeting_invite",
    "meeting_decision_add",
    "meeting_decision_remove",
    "meeting_decision_to_plan",
}
FAMILY = {"network"}  # the family portal's map (portal/urls.py)
CATEGORIES = (READ_PAGES, WORK, FAMILY)
ACCESS = {0: Need.READ, 1: Need.GOALS}

# persona -> (read page, network work, family page)
EXPECTED = {
    "owner": (200, 200, 404),
    "colleague": (404, 404, 404),
    "team_lead": (200, 200, 404),
    "therapist": (200, 200, 404),
    "other_therapist": (404, 404, 404),
    "family_user": (404, 404, 200),
    "other_family_user": (404, 404, 404),
}
OUTSIDERS = ["colleague", "other_therapist", "family_user", "other_family_user"]
# GET of these answers with a redirect to the meeting page (the forms live there).
GET_REDIRECTS = {"meeting_record", "meeting_decision_add"}

PATTERNS: list[URLPattern] = [
    *(p for p in urls.urlpatterns if isinstance(p, URLPattern)),
    *(p for p in portal_urls.urlpatterns if isinstance(p, URLPattern) and p.name in FAMILY),
]
NAMES = [p.name for p in PATTERNS]
SECRET = "Hemmelig Hansen"


def category(name: str) -> int:
    for index, names in enumerate(CATEGORIES):
        if name in names:
            return index
    raise AssertionError(f"URL {name!r} is not classified in tests/network/test_network_access.py")


@pytest.fixture
def network(case, personas):
    owner = personas.owner
    network = f.network_with_meeting(case, owner, member_name=SECRET)
    plan = plan_services.plan_create(case=case, user=owner)
    plan_services.plan_goal_add(plan=plan, area=Area.SCHOOL, family_wording="Skole hver dag")
    return {
        "member_id": network.member.pk,
        "snapshot_id": network.snapshot.pk,
        "meeting_id": network.meeting.pk,
        "decision_id": network.decision.pk,
    }


def url_for(pattern: URLPattern, case: Case, objects: dict[str, object]) -> str:
    kwargs: dict[str, object] = {"case_id": case.pk}
    for name in pattern.pattern.converters:  # type: ignore[attr-defined]
        if name != "case_id":
            assert name in objects, f"no object for {name!r}: add it to the network fixture"
            kwargs[name] = objects[name]
    namespace = "family" if pattern.name in FAMILY else "network"
    return reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)


def test_every_pattern_is_classified():
    classified = READ_PAGES | WORK | FAMILY
    assert set(NAMES) == classified, (
        f"classify new network URLs (read / work / family) here: {set(NAMES) ^ classified}"
    )
    assert len(NAMES) == len(set(NAMES))
    assert sum(len(names) for names in CATEGORIES) == len(classified), "classified twice"


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_every_view_loads_the_case_and_checks_its_right(pattern):
    if pattern.name in FAMILY:
        assert getattr(pattern.callback, "family_page", False), pattern.name
        return
    assert pattern.callback.case_need == ACCESS[category(pattern.name)], pattern.name


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_get_matrix(pattern, persona, case, network, personas, login):
    user = getattr(personas, persona)
    url = url_for(pattern, case, network)
    response = login(user).get(url)

    expected = EXPECTED[persona][category(pattern.name)]
    if expected == 200 and pattern.name in GET_REDIRECTS:
        expected = 302
    assert response.status_code == expected, f"{persona} GET {pattern.name}"
    log = AccessLogEntry.objects.filter(case=case, user=user, target=url)
    if expected in (200, 302):
        assert log.filter(action="view").exists()
        assert not log.filter(action="denied").exists()
    else:
        assert log.filter(action="denied").exists()
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize("pattern", PATTERNS, ids=NAMES)
def test_anonymous_is_sent_to_login(pattern, case, network, client):
    response = client.get(url_for(pattern, case, network))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_case_is_404_and_logged(personas, login):
    missing = uuid.uuid4()
    response = login(personas.owner).get(reverse("network:network_detail", args=[missing]))
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(
        user=personas.owner, action="denied", case=None, target__contains=str(missing)
    ).exists()


def post_data(network: dict[str, object]) -> dict[str, object]:
    """One payload that is valid for every network form."""
    starts = timezone.localtime() - dt.timedelta(hours=1)
    return {
        "name": "Ny Person",
        "relation": "nabo",
        "sector": "friends",
        "circle": "1",
        "role": "Kan hente",
        "child_wants_invited": "yes",
        "given_by_family": "1",
        "direction": "closer",
        "reason": "Opfølgning",
        "kind": "dialogue_meeting",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "place": "Rådhuset",
        "purpose": "Dialog",
        f"invite_{network['member_id']}": "on",
        f"wish_{network['member_id']}": "no",
        "minutes": "Vi talte om morgenerne.",
        "what": "Ringer til skolen",
        "who_text": "Far",
        "goal": str(Goal.objects.values_list("pk", flat=True).first()),
    }


def prepare(name: str, network: dict[str, object]) -> None:
    """What must hold before a form's valid payload can work: the fixture's meeting is still
    to come (invitations go out before it, to people with an address who may be contacted);
    minutes are written once it has begun."""
    if name == "meeting_record":
        Meeting.objects.filter(pk=network["meeting_id"]).update(
            starts_at=timezone.now() - dt.timedelta(hours=1)
        )
    if name == "meeting_invite":  # the invited person has an address and may be contacted
        NetworkMember.objects.filter(pk=network["member_id"]).update(
            email="mormor@example.dk", consent_given_on=timezone.localdate()
        )


def snapshot(case: Case) -> tuple:
    """Everything a network form could change, for the case in the URL."""
    return (
        sorted(
            NetworkMember.objects.filter(case=case).values_list(
                "id", "name", "circle", "removed_at", "updated_at"
            )
        ),
        sorted(MapSnapshot.objects.filter(case=case).values_list("id", "members", "taken_at")),
        sorted(
            Meeting.objects.filter(case=case).values_list(
                "id", "kind", "minutes", "status", "family_invited_at", "updated_at"
            )
        ),
        sorted(
            MeetingInvitee.objects.filter(meeting__case=case).values_list(
                "id", "attended", "invitation_sent_at"
            )
        ),
        sorted(
            MeetingDecision.objects.filter(meeting__case=case).values_list(
                "id", "what", "responsibility_id"
            )
        ),
    )


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize("name", sorted(WORK))
def test_post_by_outsider_is_404_and_changes_nothing(name, persona, case, network, personas, login):
    pattern = next(p for p in PATTERNS if p.name == name)
    url = url_for(pattern, case, network)
    prepare(name, network)
    before = snapshot(case)

    outsider = getattr(personas, persona)
    response = login(outsider).post(url, post_data(network))

    assert response.status_code == 404
    assert snapshot(case) == before
    assert AccessLogEntry.objects.filter(
        case=case, user=outsider, action="denied", target=url
    ).exists()

    # Control: the same payload from the assigned therapist does change the network.
    response = login(personas.therapist).post(url, post_data(network))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot(case) != before, f"the payload did not work for {name}"


@pytest.mark.parametrize("name", sorted(READ_PAGES | FAMILY))
def test_post_to_read_only_page_is_refused(name, case, network, personas, login):
    pattern = next(p for p in PATTERNS if p.name == name)
    before = snapshot(case)
    user = personas.family_user if name in FAMILY else personas.owner
    response = login(user).post(url_for(pattern, case, network), post_data(network))
    assert response.status_code == 405
    assert snapshot(case) == before


def test_a_colleague_with_a_share_reads_but_cannot_change(case, network, org, personas, login):
    from access import rules as permissions

    sharer = f.UserFactory(username="cover", role="caseworker")
    f.add_member(org.team_b, sharer)
    permissions.case_share_grant(
        case=case,
        user=sharer,
        valid_until=timezone.localdate() + dt.timedelta(days=14),
        reason="Ferieafløsning",
        granted_by=personas.owner,
    )
    client = login(sharer)
    assert client.get(reverse("network:network_detail", args=[case.pk])).status_code == 200
    before = snapshot(case)
    response = client.post(
        reverse("network:network_member_add", args=[case.pk]), post_data(network)
    )
    assert response.status_code == 403
    assert snapshot(case) == before


def test_objects_of_another_case_are_404_and_logged(case, network, org, personas, login):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    stranger = services.network_member_add(
        case=other, user=personas.owner, name="Fremmed", sector="family"
    )
    url = reverse("network:network_member_move", args=[case.pk, stranger.pk])
    response = login(personas.owner).post(url, {"direction": "further"})
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.circle == 2
    assert AccessLogEntry.objects.filter(
        case=case, user=personas.owner, action="denied", target=url
    ).exists()


def test_family_does_not_see_a_case_at_the_notification_stage(case, network, personas, login):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.NOTIFICATION)
    url = reverse("family:network", args=[case.pk])
    assert login(personas.family_user).get(url).status_code == 404
