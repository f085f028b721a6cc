"""Invitations to the family portal: bound to one family member, creating that member's login
and never touching another; the link goes to the member by e-mail only, lands once, and its
token moves into the session; 7 days, single use, earlier ones revoked; the staff form on the
Familie tab."""

import datetime as dt
import hashlib
import logging

import pytest
import time_machine
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from accounts.models import Role, User
from cases import invitations as invitations
from cases.models import FamilyInvitation, FamilyMember, FamilyRelation
from demo import factories as f

PASSWORD = "Rødgrød med fløde 42"
LINK = f.INVITATION_LINK


@pytest.fixture
def member(case):
    """The child's other parent: known by name and e-mail, no portal login yet."""
    first = FamilyMember.objects.filter(user__username="parent").get()
    other_parent = FamilyMember.objects.create(
        family=first.family, first_name="Mette", last_name="Sørensen", email="Mette@Example.dk"
    )
    FamilyRelation.objects.create(
        member=other_parent,
        child=FamilyMember.objects.get(citizen=case.citizen),
        kind=FamilyRelation.Kind.PARENT_CUSTODY,
    )
    return other_parent


def invite(case, member, user, email="mette@example.dk"):
    """Invite ``member``; returns the invitation and the token read from the e-mail sent."""
    return f.invitation_with_token(case=case, member=member, user=user, email=email)


def accept_url(token):
    return reverse("family:invitation_accept", args=[token])


def open_link(client, token):
    """Follow the e-mailed link: it lands, moves the token into the session, redirects."""
    return client.get(accept_url(token))


def accept(client, token, password=PASSWORD, password2=None):
    open_link(client, token)
    return client.post(
        reverse("family:invitation"), {"password1": password, "password2": password2 or password}
    )


def test_the_token_is_never_stored_in_clear_and_goes_only_to_the_member(case, member, personas):
    invitation, token = invite(case, member, personas.owner)
    assert len(token) >= 43
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = FamilyInvitation.objects.filter(pk=invitation.pk).values()[0]
    assert token not in str(row)
    assert invitation.expires_at - timezone.now() > dt.timedelta(days=6, hours=23)
    assert not AccessLogEntry.objects.filter(target__contains=token).exists()
    # The e-mail goes to the member and carries the link, but neither the child's name nor
    # a CPR number.
    (message,) = mail.outbox
    assert message.to == ["mette@example.dk"]
    child = case.citizen
    for secret in (child.first_name, child.last_name, child.cpr, case.number):
        assert secret not in message.body and secret not in message.subject


def test_the_link_lands_once_and_the_token_leaves_the_address(case, member, personas, client):
    _inv, token = invite(case, member, personas.owner)
    landing = open_link(client, token)
    assert landing.status_code == 302
    assert landing["Location"] == reverse("family:invitation")
    assert token not in landing["Location"]
    assert landing["Referrer-Policy"] == "no-referrer"
    page = client.get(reverse("family:invitation"))
    assert page.status_code == 200 and token not in page.content.decode()
    assert "mette@example.dk" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"


def test_the_page_without_a_landed_link_is_the_friendly_404(db, client):
    response = client.get(reverse("family:invitation"))
    assert response.status_code == 404
    assert "Linket kan ikke bruges" in response.content.decode()


def test_a_token_in_a_log_line_is_redacted(caplog):
    from core.redaction import RedactCPRFilter

    record = logging.LogRecord(
        "gunicorn.access",
        logging.INFO,
        __file__,
        1,
        '"GET /familie/invitation/%s/ HTTP/1.1" 302',
        ("Zq3-secret_TOKEN",),
        None,
    )
    RedactCPRFilter().filter(record)
    assert "Zq3-secret_TOKEN" not in record.getMessage()
    assert "/familie/invitation/…/" in record.getMessage()


def test_a_new_invitation_revokes_the_earlier_unused_one(case, member, personas, client):
    first, first_token = invite(case, member, personas.owner)
    _second, second_token = invite(case, member, personas.therapist)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert open_link(client, first_token).status_code == 404
    assert open_link(client, second_token).status_code == 302


def test_accepting_creates_the_family_login_and_logs_in(case, member, personas, client):
    _inv, token = invite(case, member, personas.owner)
    response = accept(client, token)
    assert response.status_code == 302
    assert response["Location"] == reverse("family:home")
    user = User.objects.get(username="mette@example.dk")
    assert user.role == Role.FAMILY and user.check_password(PASSWORD)
    member.refresh_from_db()
    assert member.user == user
    assert client.get(reverse("family:home")).status_code == 200


def test_it_can_be_used_once(case, member, personas, client):
    _inv, token = invite(case, member, personas.owner)
    accept(client, token)
    client.logout()
    response = accept(client, token, "Noget helt andet 7")
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
        assert open_link(client, token).status_code == 302
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        assert open_link(client, token).status_code == 404
        assert accept(client, token).status_code == 404
    assert not User.objects.filter(username="mette@example.dk").exists()


def test_an_unknown_token_is_a_friendly_404_logged_without_the_token(db, client):
    response = client.get(accept_url("not-a-real-token"))
    assert response.status_code == 404
    assert "Linket kan ikke bruges" in response.content.decode()
    entry = AccessLogEntry.objects.get(action="denied")
    assert "not-a-real-token" not in entry.target


def test_a_weak_or_mismatched_password_keeps_the_invitation(case, member, personas, client):
    _inv, token = invite(case, member, personas.owner)
    response = accept(client, token, "12345678")
    assert response.status_code == 200
    assert "udelukkende" in response.content.decode() or "almindelig" in response.content.decode()
    response = accept(client, token, PASSWORD, PASSWORD + "x")
    assert "ikke ens" in response.content.decode()
    assert FamilyInvitation.objects.get().used_at is None
    assert accept(client, token).status_code == 302


# --- nobody else's login: the takeover found by the security test -----------------------------


def test_an_email_of_another_familys_login_is_refused_and_no_password_changes(
    case, member, personas, org
):
    """A therapist not on a child's case could invite an e-mail already used by a parent of
    another family, open the link and set that parent's password: refused now."""
    parent = personas.other_family_user
    parent.set_password("Forældrenes egen kode 1")
    parent.email = "anden.forælder@example.dk"
    parent.save()
    for email in (parent.username, parent.email.upper()):
        with pytest.raises(invitations.ValidationError) as error:
            invite(case, member, personas.owner, email=email)
        assert "email" in error.value.error_dict
    assert not FamilyInvitation.objects.exists()
    parent.refresh_from_db()
    assert parent.check_password("Forældrenes egen kode 1") and parent.is_active


def test_a_login_made_after_the_invitation_is_not_taken_over(case, member, personas):
    _inv, token = invite(case, member, personas.owner)
    existing = f.UserFactory(username="mette@example.dk", role=Role.FAMILY, is_active=False)
    existing.set_password("Hendes egen kode 9")
    existing.save()
    with pytest.raises(invitations.ValidationError) as error:
        invitations.invitation_accept(token=token, password=PASSWORD)
    assert "token" in error.value.error_dict
    existing.refresh_from_db()
    assert existing.check_password("Hendes egen kode 9") and not existing.is_active
    member.refresh_from_db()
    assert member.user is None


def test_a_member_with_a_login_is_told_to_log_in(case, personas):
    member = FamilyMember.objects.get(user=personas.family_user)
    with pytest.raises(invitations.ValidationError) as error:
        invite(case, member, personas.owner, email="ny.adresse@example.dk")
    assert "logge ind" in str(error.value)
    assert not FamilyInvitation.objects.exists()


def test_a_child_under_ten_cannot_be_invited(case, member, personas):
    sibling = f.CitizenFactory(birth_date=timezone.localdate() - dt.timedelta(days=6 * 365))
    child = FamilyMember.objects.create(family=member.family, citizen=sibling, is_child=True)
    with pytest.raises(invitations.ValidationError) as error:
        invite(case, child, personas.owner, email="barn@example.dk")
    assert "under 10" in str(error.value)
    assert not FamilyInvitation.objects.exists()


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


def test_the_staff_member_sees_that_it_was_sent_never_the_link(case, member, personas, login):
    client = login(personas.owner)
    tab = client.get(reverse("cases:case_family", args=[case.pk])).content.decode()
    assert reverse("cases:family_invite", args=[case.pk]) in tab
    assert 'value="Mette@Example.dk"' in tab  # prefilled from the member
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("cases:family_invite", args=[case.pk]),
            {"member": member.pk, f"invitation-{member.pk}-email": "mette@example.dk"},
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Linket er sendt til mette@example.dk" in page
    (message,) = mail.outbox
    (token,) = LINK.findall(message.body)
    assert token not in page and "/familie/invitation/" not in page
    assert FamilyInvitation.objects.get().token_hash == invitations.token_hash(token)


def test_the_family_tab_offers_no_invitation_to_a_member_with_a_login(case, personas, login):
    tab = login(personas.owner).get(reverse("cases:case_family", args=[case.pk])).content
    member = FamilyMember.objects.get(user=personas.family_user)
    assert f'name="invitation-{member.pk}-email"'.encode() not in tab
    assert b"Logger ind med sit eget login." in tab


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
