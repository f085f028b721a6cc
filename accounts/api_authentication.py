"""Who is calling: a personal API token, or the browser session (with CSRF)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, throttling
from rest_framework.request import Request

from accounts.api_tokens import api_token_for_secret, hash_secret
from accounts.client_ip import client_ip
from accounts.models import ApiToken, User
from accounts.signals import report_refusal

KEYWORD = "Token"


class FailedTokenThrottle(throttling.SimpleRateThrottle):
    """Failed API-key authentications per client address (rate ``failed_token``).

    DRF's own throttles run after authentication, so a wrong key never reaches them: this one
    is consulted by the authentication itself. Once an address has used up its failures, every
    key from it is refused with 429 until the window has passed, the right one too.
    """

    scope = "failed_token"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

    def exhausted(self, request: Request) -> bool:
        if self.rate is None:
            return False
        self.key = self.get_cache_key(request, None)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
        return len(self.history) >= self.num_requests

    def record_failure(self, request: Request) -> None:
        self.allow_request(request, None)


def _why_refused(secret: str) -> tuple[User | None, str]:
    """For the log: whose key it was (if anyone's) and why it did not work."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_secret(secret)).first()
    if token is None:
        return None, "ukendt API-nøgle"
    if token.revoked_at is not None:
        return token.user, f"tilbagekaldt API-nøgle {token.prefix}…"
    if not token.user.is_active:
        return token.user, f"API-nøgle {token.prefix}… tilhører en deaktiveret bruger"
    return token.user, f"udløbet API-nøgle {token.prefix}…"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <secret>``. Expired, revoked or unknown tokens answer 401."""

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        throttle = FailedTokenThrottle()
        if throttle.exhausted(request):
            raise exceptions.Throttled(wait=throttle.wait())
        if len(header) != 2:
            self._failed(request, throttle, "ugyldig Authorization-header")
            raise exceptions.AuthenticationFailed(
                _("Ugyldig Authorization-header. Brug: Token <nøgle>.")
            )
        try:
            secret = header[1].decode()
        except UnicodeError:
            self._failed(request, throttle, "ugyldig API-nøgle (ikke UTF-8)")
            raise exceptions.AuthenticationFailed(_("Ugyldig API-nøgle.")) from None
        token = api_token_for_secret(secret)
        if token is None:
            owner, reason = _why_refused(secret)
            self._failed(request, throttle, reason, owner)
            raise exceptions.AuthenticationFailed(
                _("API-nøglen er ugyldig, udløbet eller tilbagekaldt.")
            )
        return token.user, token

    @staticmethod
    def _failed(
        request: Request, throttle: FailedTokenThrottle, reason: str, owner: User | None = None
    ) -> None:
        throttle.record_failure(request)
        report_refusal(request, reason, user=owner)

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """The browser session; DRF enforces the CSRF token on unsafe methods. A class of its own
    so the schema can describe it (schema.CsrfSessionScheme)."""
