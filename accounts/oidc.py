"""Single sign-on through OpenID Connect (mozilla-django-oidc): the machinery shared by every
provider, and the staff provider (the municipality's identity provider).

What belongs here: a provider's configuration (``OIDC_<NAME>_*`` settings), the discovery of its
endpoints (``<issuer>/.well-known/openid-configuration``, fetched at the first use and cached
in the process), the authorisation-code flow with PKCE (login and callback views), the checks
of the ID token (signature against the provider's JWKS, issuer, audience, expiry, nonce), the
staff backend (the ``groups`` claim mapped to role and team through ``GroupMapping``), and the
logout that ends the provider's session too (RP-initiated logout). The families' provider
(MitID through NemLog-in) is ``portal.mitid``: it matches people to family members, which
live above this app.

No provider configured (``make run``, the demo): nothing here is reachable, and the password
logins work as before. Claims are never logged (the citizen provider's hold a CPR number).
"""

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as django_auth_views
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from accounts.models import STAFF_ROLES, GroupMapping, Role, TeamMembership, User

log = logging.getLogger("familievaerft.auth")

# Session keys: which provider the login came through, and (staff only) its ID token, sent
# back as id_token_hint when logging out at the provider.
PROVIDER_SESSION_KEY = "fv_oidc_provider"
ID_TOKEN_SESSION_KEY = "fv_oidc_id_token"  # noqa: S105 (a key name)

DISCOVERY_TTL_SECONDS = 3600
# When a user has several groups, the role that wins (the first in this order).
ROLE_PRECEDENCE = [
    Role.ADMIN,
    Role.TEAM_LEAD,
    Role.CASEWORKER,
    Role.PSYCHOLOGIST,
    Role.THERAPIST,
]


@dataclass(frozen=True)
class Provider:
    """One OpenID Connect provider: ``prefix`` names its settings (``OIDC_STAFF``), the URL
    names are its login and callback views."""

    key: str
    prefix: str
    login_url_name: str
    callback_url_name: str
    store_id_token: bool

    def setting(self, name: str, default: Any = "") -> Any:
        return getattr(settings, f"{self.prefix}_{name}", default)

    @property
    def issuer(self) -> str:
        return str(self.setting("ISSUER")).rstrip("/")

    @property
    def client_id(self) -> str:
        return str(self.setting("CLIENT_ID"))

    @property
    def client_secret(self) -> str:
        return str(self.setting("CLIENT_SECRET"))

    @property
    def scopes(self) -> str:
        return str(self.setting("SCOPES", "openid"))

    @property
    def configured(self) -> bool:
        return bool(self.issuer and self.client_id)

    def metadata(self) -> dict[str, Any]:
        return discover(self.issuer)


STAFF = Provider(
    key="staff",
    prefix="OIDC_STAFF",
    login_url_name="oidc_staff_login",
    callback_url_name="oidc_staff_callback",
    store_id_token=True,
)

_discovery_lock = threading.Lock()
_discovery_cache: dict[str, tuple[float, dict[str, Any]]] = {}


def discover(issuer: str) -> dict[str, Any]:
    """The provider's metadata (``/.well-known/openid-configuration``), cached for an hour."""
    now = time.monotonic()
    with _discovery_lock:
        cached = _discovery_cache.get(issuer)
        if cached and now - cached[0] < DISCOVERY_TTL_SECONDS:
            return cached[1]
    response = requests.get(
        f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
    )
    response.raise_for_status()
    metadata = response.json()
    if str(metadata.get("issuer", "")).rstrip("/") != issuer:
        raise ImproperlyConfigured("the provider's metadata names another issuer")
    with _discovery_lock:
        _discovery_cache[issuer] = (now, metadata)
    return metadata


def forget_discovery() -> None:
    """Drop the cached metadata (tests, or after a provider changed its keys)."""
    with _discovery_lock:
        _discovery_cache.clear()


def signed_in_with_provider(request: HttpRequest) -> str | None:
    """The key of the provider this session's login came through, or None (a password)."""
    session = getattr(request, "session", None)
    return session.get(PROVIDER_SESSION_KEY) if session is not None else None


class Refused(Exception):
    """A login the provider vouched for that Familieværft refuses; the message is shown.
    ``deactivate``: a user to deactivate once the login's transaction is rolled back."""

    def __init__(self, message: str, *, deactivate: User | None = None) -> None:
        super().__init__(message)
        self.deactivate = deactivate


def _settings_for(provider: Provider, attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's setting names, answered for one provider."""
    metadata_keys = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
        "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
        "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
        "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    }
    if attr in metadata_keys:
        return provider.metadata().get(metadata_keys[attr], *default)
    fixed: dict[str, Any] = {
        "OIDC_RP_CLIENT_ID": provider.client_id,
        "OIDC_RP_CLIENT_SECRET": provider.client_secret,
        "OIDC_RP_SCOPES": provider.scopes,
        "OIDC_RP_SIGN_ALGO": settings.OIDC_SIGN_ALGORITHM,
        "OIDC_AUTHENTICATION_CALLBACK_URL": provider.callback_url_name,
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_TIMEOUT": settings.OIDC_TIMEOUT,
        "OIDC_CREATE_USER": True,
        "OIDC_STORE_ID_TOKEN": False,  # kept by the callback view, for staff only
        "OIDC_STORE_ACCESS_TOKEN": False,
        "LOGIN_REDIRECT_URL": settings.LOGIN_REDIRECT_URL,
        "LOGIN_REDIRECT_URL_FAILURE": settings.LOGIN_URL,
    }
    if attr in fixed:
        return fixed[attr]
    return getattr(settings, attr, *default) if default else getattr(settings, attr)


class ProviderBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend for one provider (``provider``), stricter about the ID
    token and quiet about the claims. It answers only on its own provider's callback (the view
    marks the request), so the password logins never reach it and two providers never try
    each other's codes. Subclasses map the checked claims to a user in ``user_for_claims``."""

    provider: ClassVar[Provider]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # No discovery here: backends are made for every authenticate() call, the password
        # logins' too. The endpoints are looked up when the flow needs them.
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    def get_settings(self, attr: str, *args: Any) -> Any:  # type: ignore[override]
        return _settings_for(self.provider, attr, *args)

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return str(self.provider.metadata()["token_endpoint"])

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str | None:
        return self.provider.metadata().get("userinfo_endpoint")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return str(self.provider.metadata()["jwks_uri"])

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return self.provider.client_id

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:
        return self.provider.client_secret

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:
        return str(settings.OIDC_SIGN_ALGORITHM)

    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:  # type: ignore[override]
        if request is None or getattr(request, "fv_oidc_provider", None) != self.provider.key:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except Refused as refusal:
            request.fv_oidc_refusal = str(refusal)  # type: ignore[attr-defined]
        except (
            SuspiciousOperation,
            ImproperlyConfigured,
            jwt.PyJWTError,
            requests.RequestException,
            KeyError,
            ValueError,
        ) as exc:
            # The class name only: a message could quote a token.
            log.warning(
                "oidc login refused provider=%s reason=%s", self.provider.key, type(exc).__name__
            )
            request.fv_oidc_refusal = _(  # type: ignore[attr-defined]
                "Login-udbyderens svar kunne ikke godkendes. Prøv at logge ind igen."
            )
        return None

    def _verify_jws(self, payload: Any, key: Any) -> dict[str, Any]:
        """The ID token's signature, issuer, audience, expiry and issue time."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("unexpected signing algorithm")
        return jwt.decode(
            payload,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            audience=self.provider.client_id,
            issuer=self.provider.metadata()["issuer"],
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            leeway=settings.OIDC_CLOCK_LEEWAY_SECONDS,
        )

    def store_tokens(self, access_token: str, id_token: str) -> None:
        if self.provider.store_id_token:
            self.request.fv_oidc_id_token = id_token  # type: ignore[attr-defined]

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> Any:
        """The ID token's (verified) claims, completed by the userinfo endpoint's for the
        same subject, mapped to a user by ``user_for_claims``."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo for another subject")
            for name, value in userinfo.items():
                claims.setdefault(name, value)
        try:
            with transaction.atomic():
                return self.user_for_claims(claims)
        except Refused as refusal:
            if refusal.deactivate is not None:
                _deactivate(refusal.deactivate)
            raise

    def user_for_claims(self, claims: dict[str, Any]) -> User:
        raise NotImplementedError

    def get_user(self, user_id: Any) -> Any:
        return ModelBackend.get_user(self, user_id)  # type: ignore[arg-type]


def _deactivate(user: User) -> None:
    """A staff user the provider no longer gives a role: deactivated (accounts.sessions ends
    its sessions and revokes its API keys) and out of every team."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        TeamMembership.objects.filter(user=user).delete()


def _groups(claims: dict[str, Any]) -> list[str]:
    value = claims.get(settings.OIDC_STAFF_GROUPS_CLAIM) or []
    if isinstance(value, str):
        value = [value]
    return [str(group) for group in value]


class StaffOIDCBackend(ProviderBackend):
    """Staff through the municipality's identity provider: the user is found by the stable
    subject (``sub``; at the first login by e-mail, so existing accounts are taken over), its
    name and e-mail follow the claims, and its role and team memberships are recomputed from
    the ``groups`` claim through ``GroupMapping`` at every login. No mapped group: the login is
    refused and the user deactivated (its sessions end, its API keys are revoked); an
    administrator reactivates it once the groups are right again."""

    provider = STAFF

    def user_for_claims(self, claims: dict[str, Any]) -> User:
        subject = str(claims["sub"])
        user = User.objects.select_for_update().filter(oidc_subject=subject).first()
        email = str(claims.get("email") or "")
        if user is None and email and claims.get("email_verified", True):
            candidates = list(
                User.objects.select_for_update().filter(
                    email__iexact=email, oidc_subject=None, role__in=STAFF_ROLES
                )
            )
            user = candidates[0] if len(candidates) == 1 else None
        mappings = list(
            GroupMapping.objects.filter(group_name__in=_groups(claims)).exclude(role=Role.FAMILY)
        )
        if user is not None and not user.is_active:
            log.warning("oidc staff login of an inactive user refused user_id=%s", user.pk)
            raise Refused(_("Din bruger er deaktiveret. Kontakt en administrator."))
        if not mappings:
            log.warning(
                "oidc staff login without a mapped group user_id=%s",
                user.pk if user is not None else None,
            )
            raise Refused(
                _(
                    "Du er ikke tildelt en rolle i Familieværft i kommunens login. Kontakt din "
                    "leder eller IT-afdelingen."
                ),
                deactivate=user,
            )
        if user is None:
            user = User(username=self._free_username(claims), oidc_subject=subject)
            user.set_unusable_password()
        user.oidc_subject = subject
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]
        if not claims.get("given_name") and claims.get("name"):
            first, _sep, last = str(claims["name"]).partition(" ")
            user.first_name, user.last_name = first[:150], last[:150]
        if email:
            user.email = email
        roles = {m.role for m in mappings}
        user.role = next(role for role in ROLE_PRECEDENCE if role in roles)
        user.is_staff = user.role == Role.ADMIN
        user.save()
        wanted: dict[int, bool] = {}
        for m in mappings:
            if m.team_id is not None:
                wanted[m.team_id] = wanted.get(m.team_id, False) or m.is_lead
        TeamMembership.objects.filter(user=user).exclude(team_id__in=wanted).delete()
        for team_id, is_lead in wanted.items():
            TeamMembership.objects.update_or_create(
                user=user, team_id=team_id, defaults={"is_lead": is_lead}
            )
        log.info("oidc staff login user_id=%s role=%s", user.pk, user.role)
        return user

    @staticmethod
    def _free_username(claims: dict[str, Any]) -> str:
        base = str(
            claims.get("preferred_username") or claims.get("email") or f"sso-{claims['sub']}"
        )[:140]
        name, n = base, 1
        while User.objects.filter(username=name).exists():
            n += 1
            name = f"{base}-{n}"
        return name


# --- views ------------------------------------------------------------------------------------


class ProviderLoginView(OIDCAuthenticationRequestView):
    """Starts the authorisation-code flow (state, nonce, PKCE) at ``provider``."""

    provider: ClassVar[Provider] = STAFF

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get_settings(self, attr: str, *args: Any) -> Any:  # type: ignore[override]
        return _settings_for(self.provider, attr, *args)

    def get(self, request: HttpRequest) -> HttpResponse:  # type: ignore[override]
        if not self.provider.configured:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.provider.metadata()["authorization_endpoint"]
        except (requests.RequestException, KeyError, ValueError, ImproperlyConfigured) as exc:
            log.warning(
                "oidc discovery failed provider=%s reason=%s",
                self.provider.key,
                type(exc).__name__,
            )
            messages.error(request, _("Login-udbyderen svarer ikke. Prøv igen om lidt."))
            return HttpResponseRedirect(reverse(settings.LOGIN_URL))
        self.OIDC_RP_CLIENT_ID = self.provider.client_id
        return super().get(request)


class ProviderCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: the code exchanged (with the PKCE verifier), the ID token
    checked, the user logged in; a refusal goes back to the login page with its reason."""

    provider: ClassVar[Provider] = STAFF

    def get_settings(self, attr: str, *args: Any) -> Any:  # type: ignore[override]
        return _settings_for(self.provider, attr, *args)

    def get(self, request: HttpRequest) -> HttpResponse:  # type: ignore[override]
        if not self.provider.configured:
            raise Http404
        request.fv_oidc_provider = self.provider.key  # type: ignore[attr-defined]
        try:
            return super().get(request)
        except SuspiciousOperation:
            log.warning("oidc callback with an unknown state provider=%s", self.provider.key)
            return self.login_failure()

    def login_success(self) -> HttpResponse:
        request = self.request
        response = super().login_success()
        request.session[PROVIDER_SESSION_KEY] = self.provider.key
        id_token = getattr(request, "fv_oidc_id_token", None)
        if id_token:
            request.session[ID_TOKEN_SESSION_KEY] = id_token
        return response

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, "fv_oidc_refusal", None) or _(
            "Du blev ikke logget ind. Prøv igen."
        )
        messages.error(self.request, reason)
        return HttpResponseRedirect(reverse(settings.LOGIN_URL))


class StaffLoginView(ProviderLoginView):
    provider = STAFF


class StaffCallbackView(ProviderCallbackView):
    provider = STAFF


PROVIDERS: dict[str, Provider] = {STAFF.key: STAFF}


def register_provider(provider: Provider) -> None:
    """Apps above this one add their providers (portal.mitid), so logout finds them."""
    PROVIDERS[provider.key] = provider


def end_session_url(request: HttpRequest) -> str | None:
    """Where to send the browser so the provider ends its session too (RP-initiated logout),
    or None: a password login, or a provider without an ``end_session_endpoint``."""
    provider = PROVIDERS.get(signed_in_with_provider(request) or "")
    if provider is None or not provider.configured:
        return None
    try:
        endpoint = provider.metadata().get("end_session_endpoint")
    except (requests.RequestException, ValueError, ImproperlyConfigured):
        return None
    if not endpoint:
        return None
    params = {
        "client_id": provider.client_id,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse(settings.LOGIN_URL)),
    }
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if id_token:
        params["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(params)}"


class LogoutView(django_auth_views.LogoutView):
    """Django's logout (POST), then on to the provider's end-session endpoint where the login
    came through one that has it."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_url = end_session_url(request) if request.user.is_authenticated else None
        response = super().post(request, *args, **kwargs)
        if provider_url:
            return HttpResponseRedirect(provider_url)
        return response


def sso_context() -> dict[str, bool]:
    """For the login page: which single sign-on buttons to show."""
    return {
        "oidc_staff_enabled": STAFF.configured,
        "oidc_citizen_enabled": any(
            p.configured for key, p in PROVIDERS.items() if key != STAFF.key
        ),
    }


def password_login_allowed(user: User) -> bool:
    """With staff single sign-on configured, staff log in through it; only break-glass
    accounts (and families) may still use a password."""
    if not STAFF.configured:
        return True
    is_staff = user.role in STAFF_ROLES or user.is_staff or user.is_superuser
    return not is_staff or user.break_glass
