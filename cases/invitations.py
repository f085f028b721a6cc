"""Invitations to the family portal: a single-use link that creates one family member's login.

An invitation is bound to one family member record and, when accepted, creates that member's
login — it never reuses, reactivates or changes the password of an existing login:

* an e-mail address that already belongs to any login (staff or family) is refused;
* a member who already has a login is told to log in instead;
* a child under 10 years is never invited (from 10 a child is a party to its own case);
* a member without a right to see any child's case in the portal (``cases.portal_rights``:
  a parent without custody, a step-parent, another adult) is not invited until the
  caseworker has granted access or the young person has consented.

The token is random (``secrets.token_urlsafe(32)``) and exists in clear only in the link that
is e-mailed to the member; the staff member sees that it was sent and when it expires, never
the link, and the database keeps only its SHA-256. An invitation expires after
``INVITATION_DAYS``; a new one revokes the member's earlier unused ones; using it is a
conditional update, so a double submit cannot use it twice. The e-mail names neither the
child nor a CPR number. It is written to the outbox (``core.outbox``) in the invitation's own
transaction and sent by the worker; the outbox holds the link only until the mail is sent (the
row's body is then emptied).
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from access import rules as permissions
from access.log import Action, access_log_record
from accounts.models import Role, User
from cases import portal_rights
from cases.models import Case, FamilyInvitation, FamilyMember
from core import outbox

INVITATION_DAYS = 7


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "family:invitation_accept", kwargs={"token": token}
    )


def may_invite(user: User, case: Case) -> bool:
    """The case's owner or team lead, or a therapist assigned to one of its measures."""
    return permissions.case_access(user, case).can_work_goals


def invitable_members(case: Case) -> "list[FamilyMember]":
    """The members of the child's households (the child included: from 10 years a child may
    read its own closing letter)."""
    return list(
        FamilyMember.objects.filter(family__members__citizen_id=case.citizen_id)
        .distinct()
        .select_related("citizen", "user")
    )


def login_exists(email: str) -> bool:
    """Whether any login, staff or family, already has ``email`` as its username or e-mail."""
    return User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()


def member_refusal(member: FamilyMember) -> str:
    """Why ``member`` cannot be invited (empty if they can)."""
    if member.user_id is not None:
        return _("Personen har allerede et login til familieportalen og skal logge ind med det.")
    if member.is_too_young_for_the_portal:
        return _("Børn under 10 år kan ikke inviteres til familieportalen.")
    if not portal_rights.has_any_portal_right(member):
        return _(
            "Personen har ikke ret til at se et barns sag i familieportalen. Giv først en "
            "tidsbegrænset adgang (eller registrér den unges samtykke fra 18 år)."
        )
    return ""


@transaction.atomic
def invitation_create(
    *, case: Case, member: FamilyMember, user: User, email: str
) -> FamilyInvitation:
    """A new invitation for ``member`` (earlier unused ones revoked), e-mailed to ``email``
    when the transaction commits. The link is never returned: it goes to the member only."""
    if not may_invite(user, case):
        raise ValidationError(
            _("Kun sagens sagsbehandler, teamlederen eller en behandler på sagen kan invitere.")
        )
    if member.pk not in {m.pk for m in invitable_members(case)}:
        raise ValidationError(_("Personen hører ikke til barnets familie."))
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Skriv personens e-mailadresse.")})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Skriv en gyldig e-mailadresse.")}) from None
    member = FamilyMember.objects.select_for_update().get(pk=member.pk)
    refusal = member_refusal(member)
    if refusal:
        raise ValidationError(refusal)
    if login_exists(email):
        raise ValidationError(
            {
                "email": _(
                    "E-mailadressen bruges allerede af et andet login. Brug personens egen "
                    "e-mailadresse, som ikke er i brug."
                )
            }
        )
    now = timezone.now()
    FamilyInvitation.objects.filter(member=member, used_at=None, revoked_at=None).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = FamilyInvitation.objects.create(
        member=member,
        email=email,
        token_hash=token_hash(token),
        created_by=user,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )
    access_log_record(
        user=user,
        action=Action.CHANGE,
        case=case,
        target=f"Invitation til familieportalen: {member.name}",
    )
    _mail_invitation(email, invitation_url(token), timezone.localtime(invitation.expires_at))
    return invitation


def _mail_invitation(email: str, url: str, expires: dt.datetime) -> None:
    """The invitation mail, into the outbox in the caller's transaction (sent on commit)."""
    with override(settings.LANGUAGE_CODE):
        subject = _("Invitation til Familieværft")
        body = _(
            "Du er inviteret til Familieværft, kommunens familieportal. Her kan du læse jeres "
            "plan og de breve, kommunen sender jer.\n\n"
            "Åbn linket og vælg en adgangskode. Dit brugernavn er din e-mailadresse.\n"
            "%(url)s\n\n"
            "Linket kan bruges én gang og udløber %(date)s."
        ) % {"url": url, "date": f"{expires:%d.%m.%Y %H:%M}"}
    outbox.email_queue(to=email, subject=subject, body=body, body_is_secret=True)


def invitation_for_token(token: str) -> FamilyInvitation | None:
    """The usable invitation behind a token, or None (unknown, used, revoked or expired)."""
    if not token or len(token) > 100:
        return None
    invitation = (
        FamilyInvitation.objects.select_related("member")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Use the invitation (once): a new portal login for its family member, with ``password``.

    The login's username is the invitation's e-mail. An existing login is never touched: if
    the member has one by now, or any login uses the e-mail, the link cannot be used. Raises
    ValidationError: ``token`` when the link cannot be used (any more), ``password`` when the
    password is too weak (the invitation is then still usable).
    """
    invalid = ValidationError({"token": _("Linket kan ikke bruges.")})
    invitation = invitation_for_token(token)
    if invitation is None:
        raise invalid
    now = timezone.now()
    # The claim: only one request can turn used_at from NULL to now; a double submit gets 0.
    claimed = FamilyInvitation.objects.filter(
        pk=invitation.pk, used_at=None, revoked_at=None, expires_at__gt=now
    ).update(used_at=now)
    if claimed != 1:
        raise invalid
    member = FamilyMember.objects.select_for_update().get(pk=invitation.member_id)
    email = invitation.email
    if member.user_id is not None or login_exists(email):
        raise ValidationError({"token": _("Linket kan ikke bruges. Kontakt kommunen.")})
    user = User(username=email, email=email, role=Role.FAMILY, is_active=True)
    if member.citizen_id is None:
        user.first_name, user.last_name = member.first_name, member.last_name
    else:
        user.first_name = member.citizen.first_name  # type: ignore[union-attr]
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save()
    member.user = user
    member.save(update_fields=["user"])
    access_log_record(
        user=user,
        action=Action.CHANGE,
        citizen=member.citizen,
        target="Invitation til familieportalen brugt",
    )
    return user
