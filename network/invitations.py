"""Invitations to a network meeting, sent by e-mail through the outbox (``core.outbox``).

The rules, as this module enforces them:

* **When**: only a planned meeting that has not begun, on an open case.
* **Who**: each invited network person with an e-mail address and the family's consent to
  the municipality contacting them (``NetworkMember.has_consent``); and each member of the
  child's family who may see the child's case in the portal (``cases.portal_rights``: custody,
  the child itself, consent from 18, a grant) and has an e-mail address. Each gets one
  invitation per meeting: what was sent is recorded (``MeetingInvitee.invitation_sent_at``,
  ``Meeting.family_invited_at``), so sending again reaches only people invited since; an
  address that is both (a parent on the map) gets one mail, the family's.
* **What**: the kind of meeting, its time and place, and whom to ask (the caseworker's name,
  phone and e-mail from the profile); the family's mail also points to the portal. Never the
  meeting's purpose, its minutes or anything else of the case: an e-mail is not a secure
  channel. The place is the one text typed by staff that goes into a mail, because a meeting
  cannot be attended without it. Mails are written in Danish, the portal's language.
* The mails are written to the outbox in the transaction that records them as sent, and the
  sending is written to the case's access log.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from access.log import Action, access_log_record
from accounts.models import User
from cases.models import FamilyMember
from cases.portal_rights import member_rights
from core import outbox
from network.models import Meeting, MeetingInvitee


@dataclass(frozen=True)
class Recipient:
    """One person an invitation to the meeting is for, and why it cannot go (if it cannot)."""

    name: str
    email: str
    is_family: bool
    invitee: MeetingInvitee | None = None
    sent_at: dt.datetime | None = None
    problem: str = ""

    @property
    def will_get_one(self) -> bool:
        return not self.problem and self.sent_at is None


def _family_recipients(meeting: Meeting) -> list[Recipient]:
    case = meeting.case
    members = list(
        FamilyMember.objects.filter(family__members__citizen_id=case.citizen_id)
        .select_related("user", "citizen")
        .distinct()
        .order_by("first_name", "pk")
    )
    rights = member_rights(case, members)
    result = []
    for member in members:
        if not rights[member.pk].sees_case:
            continue
        email = member.email or (member.user.email if member.user else "")
        result.append(
            Recipient(
                name=member.name,
                email=email,
                is_family=True,
                sent_at=meeting.family_invited_at,
                problem="" if email else _("Ingen e-mailadresse"),
            )
        )
    return result


def recipients(meeting: Meeting) -> list[Recipient]:
    """Everyone the meeting's invitations are for: the invited network persons first, then
    the family members who see the child's case."""
    result = []
    for invitee in meeting.invitees.select_related("member").order_by("member__name", "pk"):
        member = invitee.member
        problem = ""
        if not member.email:
            problem = _("Ingen e-mailadresse på netværkskortet")
        elif not member.has_consent:
            problem = _("Familien har ikke givet samtykke til, at kommunen kontakter personen")
        result.append(
            Recipient(
                name=member.name,
                email=member.email,
                is_family=False,
                invitee=invitee,
                sent_at=invitee.invitation_sent_at,
                problem=problem,
            )
        )
    return result + _family_recipients(meeting)


def _mail(meeting: Meeting, *, family: bool) -> tuple[str, str]:
    """The subject and text of an invitation (see the module's rules for what it holds)."""
    owner = meeting.case.owner
    local = timezone.localtime(meeting.starts_at)
    with override(settings.LANGUAGE_CODE):
        kind = meeting.get_kind_display()
        when = _("%(weekday)s %(date)s kl. %(time)s") % {
            "weekday": date_format(local, "l"),
            "date": f"{local:%d.%m.%Y}",
            "time": f"{local:%H.%M}",
        }
        subject = _("Invitation: %(kind)s %(date)s") % {
            "kind": kind,
            "date": f"{local:%d.%m.%Y}",
        }
        lines = [
            _("Du er inviteret til et møde: %(kind)s.") % {"kind": kind.lower()},
            "",
            _("Tidspunkt: %(when)s") % {"when": when},
            _("Sted: %(place)s") % {"place": meeting.place},
            "",
        ]
        contact = [owner.get_full_name() or owner.username]
        if owner.phone:
            contact.append(_("telefon %(phone)s") % {"phone": owner.phone})
        if owner.email:
            contact.append(owner.email)
        lines.append(
            _("Har du spørgsmål, eller kan du ikke komme, så kontakt %(contact)s.")
            % {"contact": ", ".join(contact)}
        )
        if family:
            lines += [
                "",
                _("Du kan se mødet i familieportalen: %(url)s")
                % {"url": settings.SITE_URL.rstrip("/") + reverse("family:home")},
            ]
    return str(subject), "\n".join(str(line) for line in lines)


@transaction.atomic
def invitations_send(*, meeting: Meeting, user: User) -> int:
    """Queue the invitations not yet sent (module rules); the number queued. A refusal is a
    ValidationError in Danish, and nothing is queued or recorded."""
    # The meeting's row only (not the case's or the owner's): two clicks send once.
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("case__owner")
        .get(pk=meeting.pk)
    )
    if not meeting.case.is_open:
        raise ValidationError(_("Sagen er lukket, og netværket kan ikke ændres."))
    if meeting.status != Meeting.Status.PLANNED or meeting.starts_at <= timezone.now():
        raise ValidationError(
            _("Der kan kun sendes invitationer til et møde, der ikke er begyndt.")
        )
    due = [r for r in recipients(meeting) if r.will_get_one]
    if not due:
        raise ValidationError(_("Der er ingen at sende en invitation til."))
    now = timezone.now()
    # One mail per address: a parent on the map and in the family gets the family's (it
    # points to the portal), and is recorded as invited on both counts.
    mailed: set[str] = set()
    for recipient in sorted(due, key=lambda r: not r.is_family):
        address = recipient.email.strip().lower()
        if address in mailed:
            continue
        mailed.add(address)
        subject, body = _mail(meeting, family=recipient.is_family)
        outbox.email_queue(to=recipient.email, subject=subject, body=body)
    sent_to = [r.invitee.pk for r in due if r.invitee is not None]
    MeetingInvitee.objects.filter(pk__in=sent_to).update(invitation_sent_at=now)
    if any(r.is_family for r in due):
        meeting.family_invited_at = now
        meeting.save(update_fields=["family_invited_at", "updated_at"])
    access_log_record(
        user=user,
        action=Action.CHANGE,
        case=meeting.case,
        target=f"Invitationer sendt: {meeting} ({len(mailed)})",
    )
    return len(mailed)
