"""Personal API tokens: made and revoked by their user, stored as a SHA-256 hash only."""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import STAFF_ROLES, ApiToken, User

MAX_LIFETIME_DAYS = 365
NAME_MAX = 100
PREFIX_LENGTH = 8
# last_used_at is written at most this often per token: a busy integration should not turn
# every read into a write.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def expiry_problem(expires_on: dt.date | None) -> str:
    """Why this expiry date is not allowed ("" if it is): required, after today, ≤ 1 year."""
    today = timezone.localdate()
    if expires_on is None:
        return _("Vælg hvornår nøglen udløber.")
    if expires_on <= today:
        return _("Udløbsdatoen skal ligge efter i dag.")
    if expires_on > today + dt.timedelta(days=MAX_LIFETIME_DAYS):
        return _("En nøgle kan højst gælde et år.")
    return ""


def api_token_create(
    *, user: User, name: str, expires_on: dt.date | None, read_only: bool
) -> tuple[ApiToken, str]:
    """Make a token; returns it with its secret, which is never stored and shown only once."""
    errors: dict[str, str] = {}
    if user.role not in STAFF_ROLES or not user.is_active:
        raise ValidationError(_("Kun medarbejdere kan oprette API-nøgler."))
    name = name.strip()
    if not name:
        errors["name"] = _("Giv nøglen et navn, så du kan kende den igen.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Navnet kan højst være 100 tegn.")
    problem = expiry_problem(expires_on)
    if problem:
        errors["expires_on"] = problem
    if errors:
        raise ValidationError(errors)
    assert expires_on is not None
    secret = f"fv_{secrets.token_urlsafe(32)}"
    # Valid through the chosen day: it expires at the following local midnight.
    expires_at = timezone.make_aware(
        dt.datetime.combine(expires_on + dt.timedelta(days=1), dt.time.min)
    )
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        key_hash=hash_secret(secret),
        expires_at=expires_at,
        read_only=read_only,
    )
    return token, secret


def api_token_revoke(*, token: ApiToken, user: User) -> bool:
    """Revoke one of the user's own tokens; True if this call revoked it."""
    if token.user_id != user.pk:
        raise ValidationError(_("Du kan kun tilbagekalde dine egne nøgler."))
    now = timezone.now()
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=now)
    token.refresh_from_db(fields=["revoked_at"])
    return revoked == 1


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The active token with this secret (its user loaded), or None."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_secret(secret)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
