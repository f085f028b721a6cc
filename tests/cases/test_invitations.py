"""Invitations to the family portal: random token stored only as a hash, 7 days, single use,
earlier ones revoked, the accept page, and the staff form on the Familie tab."""

import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from accounts.models import Role, User
from cases import invitations as invitations
from cases.models import FamilyInvitation, FamilyMember

PASSWORD = "Rødgrød med fløde 42"


@pytest.fixture
def member(case):
    """The child's other parent: known by name and e-mail, no portal login yet."""
    first = FamilyMember.objects.filter(user__username="parent").get()
    return FamilyMember.objects.create(
        family=first.family, first_name="Mette", last_name="Sørensen", email="Mette@Example.dk"
    )


def invite(case, member, user, email="mette@example.dk"):
    return invitations.invitation_create(case=case, member=member, user=user, email=email)


def accept_url(token):
    return reverse("family:invitation_accept", args=[token])


def test_the_token_is_never_stored_in_clear(
    case, member, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(case, member, personas.owner)
    assert len(token) >= 43
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = FamilyInvitation.objects.filter(pk=invitation.pk).values()[0]
    assert token not in str(row)
    assert invitation.expires_at - timezone.now() > dt.timedelta(days=6, hours=23)
    assert not AccessLogEntry.objects.filter(target__contains=token).exists()
    # The e-mail carries the link, but neither the child's name nor a CPR number.
    (message,) = mail.outbox
    assert token in message.body
    child = case.citizen
    for secret in (child.first_name, child.last_name, child.cpr, case.number):
        assert secret not in message.body and secret not in message.subject


def test_a_new_invitation_revokes_the_earlier_unused_one(case, member, personas, client):
    first, first_token = invite(case, member, personas.owner)
    _second, second_token = invite(case, member, personas.therapist)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert client.get(accept_url(first_token)).status_code == 404
    assert client.get(accept_url(second_token)).status_code == 200


def test_accepting_creates_the_family_login_and_logs_in(case, member, personas, client):
    _inv, token = invite(case, member, personas.owner)
    page = client.get(accept_url(token))
    assert page.status_code == 200
    assert "mette@example.dk" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    response = client.post(accept_url(token), {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("family:home")
    user = User.objects.get(username="mette@example.dk")
    assert user.role == Role.FAMILY and user.check_password(PASSWORD)
    member.refresh_from_db()
    assert member.user == user
    assert client.get(reverse("family:home")).status_code == 200


def test_it_can_be_used_once(case, member, personas, client):
    _inv, token = invite(case, member, personas.owner)
    client.post(accept_url(token), {"password1": PASSWORD, "password2": PASSWORD})
    response = client.post(
        accept_url(token), {"password1": "Noget helt andet 7", "password2": "Noget helt andet 7"}
    )
    assert response.status_code == 404
    assert "Linket kan ikke bruges" in response.content.decode()
    assert User.objects.get(username="mette@example.dk").check_password(PASSWORD)


def test_a_double_submit_cannot_use_it_twice(case, member, personas):
    _inv, token = invite(case, member, personas.owner)
    invitations.invitation_accept(token=token, password=PASSWORD)
    with pytest.raises(invitations.ValidationError) as error:
        invitations.invitation_accept(token=token, password="Noget helt andet 7")
    assert "token" in error.value.error_dict
    # Even if the usable row was read before the first submit marked it used, the claim
    # (a conditional update) refuses the second.
    invitation = FamilyInvitation.objects.get()
    assert (
        FamilyInvitation.objects.filter(pk=invitation.pk, used_at=None).update(
            used_at=timezone.now()
        )
        == 0
    )


def test_it_expires_after_seven_days(case, member, personas, client):
    _inv, token = invite(case, member, personas.owner)
    with time_machine.travel(timezone.now() + dt.timedelta(days=6, hours=23)):
        assert client.get(accept_url(token)).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        response = client.get(accept_url(token))
        assert response.status_code == 404
        response = client.post(accept_url(token), {"password1": PASSWORD, "password2": PASSWORD})
        assert response.status_code == 404
    assert not User.objects.filter(username="mette@example.dk").exists()


def test_an_unknown_token_is_a_friendly_404_logged_without_the_token(db, client):
    response = client.get(accept_url("not-a-real-token"))
    assert response.status_code == 404
    assert "Linket kan ikke bruges" in response.content.decode()
    entry = AccessLogEntry.objects.get(action="denied")
    assert "not-a-real-token" not in entry.target


def test_a_weak_or_mismatched_password_keeps_the_invitation(case, member, personas, client):
    _inv, token = invite(case, member, personas.owner)
    response = client.post(accept_url(token), {"password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert "udelukkende" in response.content.decode() or "almindelig" in response.content.decode()
    response = client.post(accept_url(token), {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert "ikke ens" in response.content.decode()
    assert FamilyInvitation.objects.get().used_at is None
    assert (
        client.post(accept_url(token), {"password1": PASSWORD, "password2": PASSWORD}).status_code
        == 302
    )


def test_an_existing_member_login_gets_the_new_password(case, personas, client):
    member = FamilyMember.objects.get(user=personas.family_user)
    _inv, token = invite(case, member, personas.owner, email="parent@example.dk")
    client.post(accept_url(token), {"password1": PASSWORD, "password2": PASSWORD})
    personas.family_user.refresh_from_db()
    assert personas.family_user.check_password(PASSWORD)
    assert User.objects.filter(role=Role.FAMILY).count() == 2


def test_a_staff_email_cannot_be_used(case, member, personas):
    personas.colleague.username = "kollega@kommune.dk"
    personas.colleague.save()
    with pytest.raises(invitations.ValidationError) as error:
        invite(case, member, personas.owner, email="kollega@kommune.dk")
    assert "email" in error.value.error_dict


def test_a_member_of_another_family_cannot_be_invited(case, personas):
    other = FamilyMember.objects.get(user=personas.other_family_user)
    with pytest.raises(invitations.ValidationError):
        invite(case, other, personas.owner)
    assert not FamilyInvitation.objects.exists()


# --- the staff form on the Familie tab -------------------------------------------------------


def test_the_family_tab_shows_the_form_and_the_link_is_shown_once(case, member, personas, login):
    client = login(personas.owner)
    tab = client.get(reverse("cases:case_family", args=[case.pk])).content.decode()
    assert reverse("cases:family_invite", args=[case.pk]) in tab
    assert 'value="Mette@Example.dk"' in tab  # prefilled from the member
    response = client.post(
        reverse("cases:family_invite", args=[case.pk]),
        {"member": member.pk, f"invitation-{member.pk}-email": "mette@example.dk"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    link = re.search(r'value="(http[^"]+/familie/invitation/([^/"]+)/)"', page)
    assert link is not None
    token = link.group(2)
    assert FamilyInvitation.objects.get().token_hash == invitations.token_hash(token)
    assert response["Cache-Control"] == "private, no-store"
    again = client.get(reverse("cases:case_family", args=[case.pk])).content.decode()
    assert token not in again


def test_the_staff_form_shows_errors_on_the_field(case, member, personas, login):
    response = login(personas.therapist).post(
        reverse("cases:family_invite", args=[case.pk]),
        {"member": member.pk, f"invitation-{member.pk}-email": "ikke en adresse"},
    )
    assert response.status_code == 400
    assert "Skriv en gyldig e-mailadresse." in response.content.decode()
    assert not FamilyInvitation.objects.exists()


@pytest.mark.parametrize("raw", ["²", "①", "abc", ""])
def test_a_member_id_that_is_not_a_number_is_404_not_500(raw, case, member, personas, login):
    # "²".isdigit() is true, but int("²") fails: found by tests/property.
    response = login(personas.owner).post(
        reverse("cases:family_invite", args=[case.pk]), {"member": raw, "email": "a@b.dk"}
    )
    assert response.status_code == 404
    assert not FamilyInvitation.objects.exists()
