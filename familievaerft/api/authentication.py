"""Who is calling: a personal API token, or the browser session (with CSRF)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from familievaerft.models import ApiToken, User

from .tokens import api_token_for_secret

KEYWORD = "Token"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <secret>``. Expired, revoked or unknown tokens answer 401."""

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Ugyldig Authorization-header. Brug: Token <nøgle>.")
            )
        try:
            secret = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Ugyldig API-nøgle.")) from None
        token = api_token_for_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("API-nøglen er ugyldig, udløbet eller tilbagekaldt.")
            )
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """The browser session; DRF enforces the CSRF token on unsafe methods. A class of its own
    so the schema can describe it (schema.CsrfSessionScheme)."""
