"""Invitations to a network meeting (network/invitations.py): who gets one, what it says (and
what it never says), once per person, only before the meeting; minutes only after its start;
the meeting form's default type."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from cases.models import FamilyMember
from core.models import OutboxMessage
from network import invitations, services
from network.models import Meeting
from network.services import Invitation

PURPOSE = "Morgenerne og mors sygdom"


def member(case, user, name, **kw):
    return services.network_member_add(
        case=case, user=user, name=name, sector="relatives", circle=2, **kw
    )


@pytest.fixture
def meeting(case, personas):
    owner = personas.owner
    today = timezone.localdate()
    mormor = member(
        case,
        owner,
        "Mormor Grethe",
        email="grethe@example.dk",
        consent_given_by="Mor",
        consent_given_on=today,
    )
    no_consent = member(case, owner, "Onkel Bo", email="bo@example.dk")
    no_address = member(case, owner, "Nabo Lis")
    # The custody holder sees the child's case; an adult without a right does not.
    FamilyMember.objects.filter(user=personas.family_user).update(email="mor@example.dk")
    holder = FamilyMember.objects.get(user=personas.family_user)
    FamilyMember.objects.create(
        family=holder.family, first_name="Ny", last_name="Kæreste", email="ny@example.dk"
    )
    return services.meeting_create(
        case=case,
        user=owner,
        kind=Meeting.Kind.DIALOGUE_MEETING,
        starts_at=timezone.make_aware(dt.datetime(2031, 3, 4, 15, 30)),
        place="Familiehuset, Vestergade 3",
        purpose=PURPOSE,
        invitations=[Invitation(m, "yes") for m in (mormor, no_consent, no_address)],
    )


def mails() -> dict[str, OutboxMessage]:
    return {m.recipient: m for m in OutboxMessage.objects.all()}


def test_who_gets_an_invitation_and_why_not(meeting, personas):
    plan = {r.name: (r.will_get_one, r.problem) for r in invitations.recipients(meeting)}
    assert plan["Mormor Grethe"] == (True, "")
    assert plan["Onkel Bo"][0] is False and "samtykke" in plan["Onkel Bo"][1]
    assert plan["Nabo Lis"] == (False, "Ingen e-mailadresse på netværkskortet")
    holder = FamilyMember.objects.get(user=personas.family_user)
    assert plan[holder.name] == (True, "")
    assert "Ny Kæreste" not in plan  # no right to see the child's case


def test_the_mails_say_when_and_where_and_whom_to_ask_never_the_purpose(meeting, personas):
    personas.owner.phone = "72 34 56 78"
    personas.owner.save()
    count = invitations.invitations_send(meeting=meeting, user=personas.owner)

    sent = mails()
    holder = FamilyMember.objects.get(user=personas.family_user)
    assert count == 2 and set(sent) == {"grethe@example.dk", "mor@example.dk"}
    network_mail, family_mail = sent["grethe@example.dk"], sent["mor@example.dk"]
    assert network_mail.subject == "Invitation: Dialogmøde 04.03.2031"
    for mail in (network_mail, family_mail):
        assert "Tidspunkt: tirsdag 04.03.2031 kl. 15.30" in mail.body
        assert "Sted: Familiehuset, Vestergade 3" in mail.body
        assert "72 34 56 78" in mail.body and personas.owner.get_full_name() in mail.body
        assert PURPOSE not in mail.body and "Morgenerne" not in mail.body
        assert meeting.case.citizen.first_name not in mail.body
    assert reverse("family:home") in family_mail.body
    assert reverse("family:home") not in network_mail.body

    meeting.refresh_from_db()
    assert meeting.family_invited_at is not None
    sent_at = {i.member.name: i.invitation_sent_at for i in meeting.invitees.all()}
    assert sent_at["Mormor Grethe"] is not None and sent_at["Onkel Bo"] is None
    assert AccessLogEntry.objects.filter(
        case=meeting.case, user=personas.owner, target__startswith="Invitationer sendt"
    ).exists()
    assert holder.name in {r.name for r in invitations.recipients(meeting) if r.sent_at}


def test_each_person_gets_one_invitation(meeting, case, personas):
    invitations.invitations_send(meeting=meeting, user=personas.owner)
    with pytest.raises(ValidationError) as error:
        invitations.invitations_send(meeting=meeting, user=personas.owner)
    assert error.value.messages == ["Der er ingen at sende en invitation til."]
    assert OutboxMessage.objects.count() == 2

    # Someone invited later gets theirs, and only they.
    later = member(
        case,
        personas.owner,
        "Lærer Jens",
        email="jens@example.dk",
        consent_given_by="Mor",
        consent_given_on=timezone.localdate(),
    )
    invitees = [Invitation(i.member, i.child_wish) for i in meeting.invitees.all()]
    services.meeting_update(
        meeting=meeting,
        kind=meeting.kind,
        starts_at=meeting.starts_at,
        place=meeting.place,
        purpose=meeting.purpose,
        invitations=[*invitees, Invitation(later, "yes")],
    )
    assert invitations.invitations_send(meeting=meeting, user=personas.owner) == 1
    assert set(mails()) == {"grethe@example.dk", "mor@example.dk", "jens@example.dk"}


def test_no_invitations_once_the_meeting_has_begun(meeting, personas):
    with (
        time_machine.travel(meeting.starts_at + dt.timedelta(minutes=1)),
        pytest.raises(ValidationError) as error,
    ):
        invitations.invitations_send(meeting=meeting, user=personas.owner)
    assert "ikke er begyndt" in error.value.messages[0]
    assert not OutboxMessage.objects.exists()
    meeting.refresh_from_db()
    assert meeting.family_invited_at is None


def test_minutes_only_from_the_meetings_start(meeting, personas):
    with pytest.raises(ValidationError) as error:
        services.meeting_record(meeting=meeting, minutes="Skrevet i forvejen.")
    assert error.value.message_dict["minutes"] == [
        "Referat og deltagere kan først skrives, når mødet er begyndt (04.03.2031 kl. 15.30)."
    ]
    meeting.refresh_from_db()
    assert meeting.minutes == ""
    with time_machine.travel(meeting.starts_at + dt.timedelta(minutes=5)):
        services.meeting_record(meeting=meeting, minutes="Vi talte om morgenerne.")
    meeting.refresh_from_db()
    assert meeting.minutes == "Vi talte om morgenerne."


def test_the_pages_invite_and_hide_the_minutes_form_until_the_start(meeting, personas, login):
    client = login(personas.owner)
    page = client.get(meeting.get_absolute_url()).content.decode()
    invite = reverse("network:meeting_invite", args=[meeting.case_id, meeting.pk])
    assert f'href="{invite}"' in page
    assert 'name="minutes"' not in page and "skrives, når mødet er begyndt" in page

    confirm = client.get(invite).content.decode()
    assert "Sendes nu" in confirm and "Sendes ikke: Ingen e-mailadresse" in confirm
    response = client.post(invite, follow=True)
    assert "Invitationerne er sendt til 2 personer." in response.content.decode()
    assert OutboxMessage.objects.count() == 2
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{invite}"' not in page  # nobody left to invite

    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'name="minutes"' in page


def test_a_new_meeting_is_a_network_meeting_unless_chosen_otherwise(case, personas, login):
    page = login(personas.owner).get(reverse("network:meeting_create", args=[case.pk]))
    html = page.content.decode()
    checked = [line for line in html.split("<input") if "checked" in line and 'name="kind"' in line]
    assert len(checked) == 1 and 'value="network_meeting"' in checked[0]


def test_a_parent_on_the_map_and_in_the_family_gets_one_mail(meeting, case, personas):
    """The custody holder is also on the network map with the same address: one mail, the
    family's (it points to the portal), and both are recorded as invited."""
    holder = FamilyMember.objects.get(user=personas.family_user)
    parent_on_map = member(
        case,
        personas.owner,
        holder.name,
        email="MOR@example.dk",
        consent_given_by="Mor",
        consent_given_on=timezone.localdate(),
    )
    invitees = [Invitation(i.member, i.child_wish) for i in meeting.invitees.all()]
    services.meeting_update(
        meeting=meeting,
        kind=meeting.kind,
        starts_at=meeting.starts_at,
        place=meeting.place,
        purpose=meeting.purpose,
        invitations=[*invitees, Invitation(parent_on_map, "yes")],
    )
    assert invitations.invitations_send(meeting=meeting, user=personas.owner) == 2
    sent = mails()
    assert set(sent) == {"grethe@example.dk", "mor@example.dk"}
    assert reverse("family:home") in sent["mor@example.dk"].body
    assert meeting.invitees.get(member=parent_on_map).invitation_sent_at is not None
