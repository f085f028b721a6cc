"""Who of a child's family sees the child's case in the family portal, and the caseworker's two
ways of widening it: a young person's consent and a time-limited grant.

The rule itself is ``access.rules._portal_rights``: custody of a child under 18, the child
itself from 10 years, from 18 the adults the young person has consented to, and adults the
caseworker has granted access to until a last day while the child is under 18. This module
records and revokes the consents and grants (the case's owner or team lead does), writes each
to the case's access log, and lays out each member's right for the case's Familie tab:

* a **consent** (``PortalConsent``) is the young person's, from 18: recorded with the day it
  was given, revocable, and shown to the young person in the portal;
* a **grant** (``PortalGrant``) is for an adult without a right of their own (a parent without
  custody, a step-parent, another adult) while the child is under 18: with a reason and a last
  day; its end is written to the access log once by the daily ``log_ended_portal_grants``.

Custody is sole when one member of the child's households holds it, joint when two do.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access import rules
from access.log import Action, access_log_record
from accounts.models import User
from cases.models import (
    Case,
    Citizen,
    FamilyMember,
    FamilyRelation,
    PortalConsent,
    PortalGrant,
    age_on,
)

ADULT_AGE = rules.ADULT_AGE
# The longest a grant may run before the caseworker looks at it again.
GRANT_MAX_DAYS = 366

SOLE_CUSTODY = gettext_lazy("Eneforældremyndighed")
JOINT_CUSTODY = gettext_lazy("Fælles forældremyndighed")


@dataclass(frozen=True)
class MemberRight:
    """One member's right to see this child's case in the portal, for the Familie tab."""

    sees_case: bool  # what access.rules answers, were the member to log in
    reason: str  # why, in words ("" when the member sees nothing)
    consent: PortalConsent | None
    grant: PortalGrant | None
    may_consent: bool  # the young person (18+) may consent to this adult
    may_grant: bool  # the caseworker may grant this adult access (child under 18)


def custody_kind(child: Citizen) -> str:
    """Sole or joint custody of ``child``, in words ("" when nobody holds it)."""
    holders = (
        FamilyRelation.objects.filter(child__citizen=child, kind=FamilyRelation.Kind.PARENT_CUSTODY)
        .values("member_id")
        .distinct()
        .count()
    )
    if not holders:
        return ""
    return str(SOLE_CUSTODY if holders == 1 else JOINT_CUSTODY)


def member_rights(case: Case, members: Sequence[FamilyMember]) -> dict[int, MemberRight]:
    """Each member's right to see ``case`` in the portal: three queries, however many
    members."""
    child = case.citizen
    is_adult = child.age >= ADULT_AGE
    ids = [m.pk for m in members]
    seeing = set(
        FamilyMember.objects.filter(pk__in=ids)
        .filter(
            Exists(
                Citizen.objects.filter(pk=child.pk).filter(
                    rules.member_portal_rights(OuterRef("pk"))
                )
            )
        )
        .values_list("pk", flat=True)
    )
    today = timezone.localdate()
    consents = {
        c.member_id: c
        for c in PortalConsent.objects.filter(
            young_person=child, member_id__in=ids, revoked_at=None
        )
    }
    grants = {
        g.member_id: g
        for g in PortalGrant.objects.filter(
            child=child, member_id__in=ids, revoked_at=None, valid_until__gte=today
        )
    }
    custody = custody_kind(child)
    result = {}
    for member in members:
        is_child_itself = member.citizen_id == child.pk
        relation_kinds = {r.kind for r in getattr(member, "relations_to_this_child", [])}
        sees = member.pk in seeing
        reason = ""
        if sees:
            if is_child_itself:
                reason = _("Barnet selv")
            elif FamilyRelation.Kind.PARENT_CUSTODY in relation_kinds and not is_adult:
                reason = custody
            elif member.pk in consents:
                reason = _("Den unges samtykke fra %(date)s") % {
                    "date": consents[member.pk].given_on.strftime("%d.%m.%Y")
                }
            elif member.pk in grants:
                reason = _("Tidsbegrænset adgang til og med %(date)s") % {
                    "date": grants[member.pk].valid_until.strftime("%d.%m.%Y")
                }
        adult_member = not member.is_child
        result[member.pk] = MemberRight(
            sees_case=sees,
            reason=reason,
            consent=consents.get(member.pk),
            grant=grants.get(member.pk),
            may_consent=is_adult and adult_member and member.pk not in consents,
            may_grant=not is_adult and adult_member and not sees,
        )
    return result


def has_any_portal_right(member: FamilyMember) -> bool:
    """Whether ``member`` would see any child's case in the portal with a login (who may be
    invited)."""
    return Citizen.objects.filter(rules.member_portal_rights(member.pk)).exists()


def _adult_of_the_family(case: Case, member: FamilyMember) -> FamilyMember:
    if (
        member.is_child
        or not FamilyMember.objects.filter(
            pk=member.pk, family__members__citizen_id=case.citizen_id
        ).exists()
    ):
        raise ValidationError({"member": _("Vælg en voksen i barnets familie.")})
    return member


@transaction.atomic
def portal_consent_record(
    *, case: Case, member: FamilyMember, given_on: dt.date, recorded_by: User
) -> PortalConsent:
    """Record the young person's consent (from 18) that ``member`` sees the case."""
    child = case.citizen
    member = _adult_of_the_family(case, member)
    if child.age < ADULT_AGE:
        raise ValidationError(
            _(
                "Den unge er under 18 år. Et samtykke kan først gives fra 18 år; giv i stedet "
                "en tidsbegrænset adgang."
            )
        )
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("Datoen for samtykket kan ikke ligge i fremtiden.")})
    if age_on(child.birth_date, given_on) < ADULT_AGE:
        raise ValidationError(
            {"given_on": _("Samtykket kan tidligst være givet den dag, den unge fyldte 18 år.")}
        )
    try:
        with transaction.atomic():
            consent = PortalConsent.objects.create(
                young_person=child, member=member, given_on=given_on, recorded_by=recorded_by
            )
    except IntegrityError:
        raise ValidationError(
            _("%(name)s har allerede den unges samtykke.") % {"name": member.name}
        ) from None
    access_log_record(
        user=recorded_by,
        action=Action.CHANGE,
        case=case,
        target=f"samtykke til familieportalen: {member.name}",
    )
    return consent


@transaction.atomic
def portal_consent_revoke(*, case: Case, consent: PortalConsent, revoked_by: User) -> None:
    """The young person has withdrawn the consent: the adult loses the case at once."""
    updated = PortalConsent.objects.filter(pk=consent.pk, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    if updated:
        access_log_record(
            user=revoked_by,
            action=Action.CHANGE,
            case=case,
            target=f"samtykke til familieportalen tilbagekaldt: {consent.member.name}",
        )


@transaction.atomic
def portal_grant(
    *, case: Case, member: FamilyMember, reason: str, valid_until: dt.date, granted_by: User
) -> PortalGrant:
    """Give an adult without a right of their own access to the case until ``valid_until``."""
    child = case.citizen
    member = _adult_of_the_family(case, member)
    if child.age >= ADULT_AGE:
        raise ValidationError(
            _("Den unge er fyldt 18 år og bestemmer selv: registrér den unges samtykke i stedet.")
        )
    today = timezone.localdate()
    errors: dict[str, Any] = {}
    if not reason.strip():
        errors["reason"] = _("Skriv hvorfor personen skal kunne se sagen.")
    if valid_until < today:
        errors["valid_until"] = _("Den sidste dag kan ikke ligge før i dag.")
    elif valid_until > today + dt.timedelta(days=GRANT_MAX_DAYS):
        errors["valid_until"] = _("Adgangen kan højst gives for et år ad gangen.")
    if errors:
        raise ValidationError(errors)
    if Citizen.objects.filter(pk=child.pk).filter(rules.member_portal_rights(member.pk)).exists():
        raise ValidationError(
            _("%(name)s kan allerede se sagen i familieportalen.") % {"name": member.name}
        )
    # An ended grant that was never revoked is closed now (its end logged, if the beat has
    # not yet), so the new one is the open one.
    for ended in PortalGrant.objects.filter(child=child, member=member, revoked_at=None):
        _log_end(ended)
    PortalGrant.objects.filter(child=child, member=member, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    grant = PortalGrant.objects.create(
        child=child,
        member=member,
        reason=reason.strip(),
        valid_until=valid_until,
        granted_by=granted_by,
    )
    access_log_record(
        user=granted_by,
        action=Action.CHANGE,
        case=case,
        target=(f"adgang til familieportalen for {member.name} til og med {valid_until:%d.%m.%Y}"),
        reason=grant.reason,
    )
    return grant


@transaction.atomic
def portal_grant_revoke(*, case: Case, grant: PortalGrant, revoked_by: User) -> None:
    updated = PortalGrant.objects.filter(pk=grant.pk, revoked_at=None).update(
        revoked_at=timezone.now(), expiry_logged_at=timezone.now()
    )
    if updated:
        access_log_record(
            user=revoked_by,
            action=Action.CHANGE,
            case=case,
            target=f"adgang til familieportalen ophævet: {grant.member.name}",
        )


def log_ended_portal_grants() -> int:
    """Write the end of every grant whose last day has passed to the child's case's access
    log, once per grant (the beat runs this daily; a repeated run writes nothing)."""
    ended = PortalGrant.objects.filter(
        valid_until__lt=timezone.localdate(), revoked_at=None, expiry_logged_at=None
    ).select_related("member")
    return sum(_log_end(grant) for grant in ended)


@transaction.atomic
def _log_end(grant: PortalGrant) -> bool:
    """Write the end of ``grant`` to the access log, once (a conditional update claims it)."""
    claimed = PortalGrant.objects.filter(pk=grant.pk, expiry_logged_at=None).update(
        expiry_logged_at=timezone.now()
    )
    if not claimed:
        return False
    case = Case.objects.filter(citizen_id=grant.child_id).order_by("-opened_at").first()
    access_log_record(
        user=None,
        action=Action.CHANGE,
        case=case,
        citizen=grant.child if case is None else None,
        target=(
            f"adgang til familieportalen for {grant.member.name} udløbet "
            f"{grant.valid_until:%d.%m.%Y}"
        ),
    )
    return True
