"""Families log in with MitID through NemLog-in's OpenID Connect broker (the second provider
of accounts.oidc's machinery, ``OIDC_CITIZEN_*`` settings).

What belongs here: matching the person the broker vouches for to family members, by the CPR
claim (``OIDC_CITIZEN_CPR_CLAIM``, ``dk:gov:cpr`` by default) against the member's citizen
record (``FamilyMember.citizen.cpr``: a child, a young person, or an adult the municipality has
registered with a CPR number); the assurance-level check (``OIDC_CITIZEN_LOA_CLAIM``: only
substantial or high); and the login that follows: a ``Role.FAMILY`` user without a password,
linked to those members (``FamilyMember.user``), made at the first login. What the login then
sees is access.rules' ``_portal_rights`` (custody, the young person's own case, consents,
grants), nothing more. Adults known by name only have no CPR here: they keep the invitation
links.

The CPR claim is never logged, stored on the user or kept in the session.
"""

import logging
import re
import secrets
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from accounts import oidc
from accounts.models import Role, User
from cases.models import FamilyMember

log = logging.getLogger("familievaerft.auth")

CITIZEN = oidc.Provider(
    key="citizen",
    prefix="OIDC_CITIZEN",
    login_url_name="oidc_citizen_login",
    callback_url_name="oidc_citizen_callback",
    store_id_token=False,  # the ID token holds the CPR number: not kept in the session
)
oidc.register_provider(CITIZEN)

_CPR_DIGITS = re.compile(r"^\d{10}$")


def _cpr(claims: dict[str, Any]) -> str:
    value = str(claims.get(settings.OIDC_CITIZEN_CPR_CLAIM) or "").replace("-", "").strip()
    return value if _CPR_DIGITS.match(value) else ""


def assurance_accepted(claims: dict[str, Any]) -> bool:
    """The broker's level of assurance is substantial or high (NSIS)."""
    return str(claims.get(settings.OIDC_CITIZEN_LOA_CLAIM) or "") in set(
        settings.OIDC_CITIZEN_ACCEPTED_LOA
    )


class CitizenOIDCBackend(oidc.ProviderBackend):
    """A MitID login: the assurance level checked, the family members found by CPR number,
    and their one portal login returned (made, without a password, at the first login)."""

    provider = CITIZEN

    def user_for_claims(self, claims: dict[str, Any]) -> User:
        if not assurance_accepted(claims):
            log.warning("mitid login refused: assurance level too low")
            raise oidc.Refused(
                _(
                    "Dit MitID-login var ikke på et højt nok sikringsniveau. Log ind igen med "
                    "MitID-appen eller en kodeviser (betydeligt eller højt niveau)."
                )
            )
        cpr = _cpr(claims)
        members = list(
            FamilyMember.objects.select_for_update(of=("self",))
            .filter(citizen__cpr=cpr)
            .select_related("user", "citizen")
            if cpr
            else []
        )
        if not members:
            log.warning("mitid login refused: no family member with that CPR number")
            raise oidc.Refused(
                _(
                    "Vi kan ikke finde dig i Familieværft. Kontakt din sagsbehandler, hvis du "
                    "mener, du skal have adgang."
                )
            )
        users = {m.user for m in members if m.user is not None}
        if len(users) > 1:
            log.warning("mitid login refused: members linked to %d logins", len(users))
            raise oidc.Refused(
                _("Dit login kunne ikke afgøres entydigt. Kontakt din sagsbehandler.")
            )
        user = users.pop() if users else None
        if user is not None and (user.role != Role.FAMILY or not user.is_active):
            log.warning("mitid login refused user_id=%s: not an active family login", user.pk)
            raise oidc.Refused(
                _("Du kan ikke logge ind i familieportalen. Kontakt din sagsbehandler.")
            )
        if user is None:
            citizen = members[0].citizen
            assert citizen is not None
            user = User(
                username=f"mitid-{secrets.token_hex(8)}",
                role=Role.FAMILY,
                first_name=citizen.first_name[:150],
                last_name=citizen.last_name[:150],
            )
            user.set_unusable_password()
            user.save()
            log.info("mitid login made a family login user_id=%s", user.pk)
        FamilyMember.objects.filter(pk__in=[m.pk for m in members], user=None).update(user=user)
        log.info("mitid login user_id=%s members=%d", user.pk, len(members))
        return user


class CitizenLoginView(oidc.ProviderLoginView):
    provider = CITIZEN


class CitizenCallbackView(oidc.ProviderCallbackView):
    provider = CITIZEN
