"""The network services: members, versions, meetings, decisions into the plan."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import CaseStatus
from demo import factories as f
from network import services
from network.models import MapSnapshot, Meeting, NetworkMember
from network.services import Invitation
from plans import services as plan_services
from plans.models import Area, Responsibility


def add(case, user, name="Mormor", sector="relatives", circle=2, **kw):
    return services.network_member_add(
        case=case, user=user, name=name, sector=sector, circle=circle, **kw
    )


def test_add_checks_fields(case, personas):
    with pytest.raises(ValidationError) as error:
        add(case, personas.owner, name=" ", sector="nowhere", circle=7, email="nej")
    assert set(error.value.message_dict) == {"name", "sector", "circle", "email"}
    assert not NetworkMember.objects.exists()


def test_consent_rules(case, personas):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        add(case, personas.owner, consent_given_on=today)
    assert "consent_given_by" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        add(case, personas.owner, consent_withdrawn_on=today)
    assert "consent_withdrawn_on" in error.value.message_dict
    member = add(
        case,
        personas.owner,
        consent_given_by="Mor",
        consent_given_on=today - dt.timedelta(days=3),
    )
    assert member.has_consent
    services.network_member_update(member=member, user=personas.owner, consent_withdrawn_on=today)
    member.refresh_from_db()
    assert not member.has_consent


def test_a_system_user_must_be_staff(case, personas):
    with pytest.raises(ValidationError) as error:
        add(case, personas.owner, sector="professionals", system_user=personas.family_user)
    assert "user" in error.value.message_dict
    member = add(case, personas.owner, sector="professionals", system_user=personas.therapist)
    assert member.user == personas.therapist


def test_move_within_the_three_circles(case, personas):
    member = add(case, personas.owner, circle=1)
    with pytest.raises(ValidationError):
        services.network_member_move(member=member, user=personas.owner, direction="closer")
    services.network_member_move(member=member, user=personas.owner, direction="further")
    services.network_member_move(member=member, user=personas.owner, direction="further")
    assert member.circle == 3
    with pytest.raises(ValidationError):
        services.network_member_move(member=member, user=personas.owner, direction="further")


def test_closed_case_cannot_change(case, personas):
    member = add(case, personas.owner)
    case.status = CaseStatus.CLOSED
    case.save()
    with pytest.raises(ValidationError):
        add(case, personas.owner, name="Ny")
    member.case = case
    with pytest.raises(ValidationError):
        services.network_member_remove(member=member, user=personas.owner)


def test_one_automatic_version_a_day_updated_in_place(case, personas):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        add(case, personas.owner, name="A")
        b = add(case, personas.owner, name="B")
    with time_machine.travel(dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC), tick=False):
        services.network_member_move(member=b, user=personas.owner, direction="closer")
    snapshots = list(MapSnapshot.objects.filter(case=case))
    assert len(snapshots) == 1
    assert {m["name"]: m["circle"] for m in snapshots[0].members} == {"A": 2, "B": 1}
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC), tick=False):
        services.network_member_remove(member=b, user=personas.owner)
        services.network_snapshot_take(case=case, user=personas.owner, reason="Møde")
    assert MapSnapshot.objects.filter(case=case, automatic=True).count() == 2
    assert MapSnapshot.objects.filter(case=case, automatic=False).count() == 1
    assert "phone" not in MapSnapshot.objects.filter(case=case).first().members[0]


def test_manual_version_needs_a_reason(case, personas):
    with pytest.raises(ValidationError) as error:
        services.network_snapshot_take(case=case, user=personas.owner, reason="  ")
    assert "reason" in error.value.message_dict


def test_compare_maps():
    before = [
        {"id": 1, "name": "Mor", "circle": 1},
        {"id": 2, "name": "Naboen", "circle": 3},
        {"id": 3, "name": "Træner", "circle": 2},
        {"id": 4, "name": "Lærer", "circle": 2},
    ]
    after = [
        {"id": 1, "name": "Mor", "circle": 1},
        {"id": 2, "name": "Naboen", "circle": 2},
        {"id": 4, "name": "Lærer", "circle": 3},
        {"id": 5, "name": "Mormor", "circle": 1},
        {"id": 6, "name": "Farmor", "circle": 2},
    ]
    result = services.network_maps_compare(before=before, after=after)
    assert [m["name"] for m in result.joined] == ["Farmor", "Mormor"]
    assert [m["name"] for m in result.left] == ["Træner"]
    assert [(m.member["name"], m.before, m.after) for m in result.closer] == [("Naboen", 3, 2)]
    assert [(m.member["name"], m.before, m.after) for m in result.further] == [("Lærer", 2, 3)]
    assert result.unchanged == 1
    assert result.growth == 1


def meeting(case, user, invitations=(), days=3):
    return services.meeting_create(
        case=case,
        user=user,
        kind=Meeting.Kind.NETWORK_MEETING,
        starts_at=timezone.now() + dt.timedelta(days=days),
        place="Familiehuset",
        purpose="Morgenerne",
        invitations=invitations,
    )


def test_meeting_with_the_childs_wishes(case, personas):
    mormor = add(case, personas.owner)
    lærer = add(case, personas.owner, name="Lærer", sector="school")
    m = meeting(
        case,
        personas.owner,
        [Invitation(mormor, "yes"), Invitation(lærer, "no")],
    )
    assert {i.member.name: i.child_wish for i in m.invitees.all()} == {
        "Mormor": "yes",
        "Lærer": "no",
    }
    mormor.refresh_from_db()
    assert mormor.child_wants_invited == "yes"
    services.meeting_update(
        meeting=m,
        kind=m.kind,
        starts_at=m.starts_at,
        place=m.place,
        purpose=m.purpose,
        invitations=[Invitation(mormor, "yes")],
    )
    assert [i.member.name for i in m.invitees.all()] == ["Mormor"]


def test_meeting_refuses_members_of_another_case(case, org, personas):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    stranger = add(other, personas.owner)
    with pytest.raises(ValidationError) as error:
        meeting(case, personas.owner, [Invitation(stranger, "yes")])
    assert "invitees" in error.value.message_dict
    assert not Meeting.objects.filter(case=case).exists()


def test_meeting_needs_its_fields(case, personas):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            case=case, user=personas.owner, kind="x", starts_at=None, place="", purpose=""
        )
    assert set(error.value.message_dict) == {"kind", "starts_at", "place", "purpose"}


def test_record_attendance_and_minutes(case, personas):
    mormor = add(case, personas.owner)
    m = meeting(case, personas.owner, [Invitation(mormor, "yes")])
    invitee = m.invitees.get()
    with pytest.raises(ValidationError):
        services.meeting_record(meeting=m, minutes="x", attended=[invitee.pk], held=True)
    m.starts_at = timezone.now() - dt.timedelta(hours=1)
    m.save()
    services.meeting_record(meeting=m, minutes="Godt møde", attended=[invitee.pk], held=True)
    invitee.refresh_from_db()
    assert invitee.attended is True
    assert m.status == Meeting.Status.HELD


def test_decisions_need_exactly_one_who(case, personas):
    mormor = add(case, personas.owner)
    m = meeting(case, personas.owner)
    with pytest.raises(ValidationError):
        services.meeting_decision_add(meeting=m, what="x")
    with pytest.raises(ValidationError):
        services.meeting_decision_add(meeting=m, what="x", member=mormor, who_text="Far")
    d = services.meeting_decision_add(meeting=m, what="Henter", who_text="Far")
    assert d.who == "Far"


def test_decision_becomes_a_plan_responsibility(case, personas):
    mormor = add(case, personas.owner)
    pro = add(
        case, personas.owner, name="Sara", sector="professionals", system_user=personas.therapist
    )
    m = meeting(case, personas.owner)
    plan = plan_services.plan_create(case=case, user=personas.owner)
    goal = plan_services.plan_goal_add(
        plan=plan, area=Area.FAMILY, family_wording="Rolige morgener"
    )
    d1 = services.meeting_decision_add(
        meeting=m, what="Henter fredag", member=mormor, due_on=dt.date(2026, 11, 22)
    )
    d2 = services.meeting_decision_add(meeting=m, what="Guider morgenen", member=pro)
    r1 = services.meeting_decision_to_responsibility(decision=d1, goal=goal)
    r2 = services.meeting_decision_to_responsibility(decision=d2, goal=goal)
    assert (r1.assignee_kind, r1.assignee_name, r1.when) == ("network", "Mormor", "22.11.2026")
    assert (r2.assignee_kind, r2.professional) == ("professional", personas.therapist)
    with pytest.raises(ValidationError):
        services.meeting_decision_to_responsibility(decision=d1, goal=goal)
    assert Responsibility.objects.filter(goal=goal).count() == 2


def test_decision_refuses_a_goal_of_another_case(case, org, personas):
    other = f.CaseFactory(owner=personas.owner, team=org.team_a, status=CaseStatus.MEASURE)
    other_plan = plan_services.plan_create(case=other, user=personas.owner)
    goal = plan_services.plan_goal_add(plan=other_plan, area=Area.FAMILY, family_wording="x")
    m = meeting(case, personas.owner)
    d = services.meeting_decision_add(meeting=m, what="x", who_text="Far")
    with pytest.raises(ValidationError):
        services.meeting_decision_to_responsibility(decision=d, goal=goal)
    assert not Responsibility.objects.exists()
