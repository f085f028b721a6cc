"""Session lifetime (idle and absolute) and the two-factor requirement for staff."""

import time
from collections.abc import Callable
from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from accounts import two_factor as auth_otp
from accounts.models import User
from accounts.oidc import signed_in_with_provider
from accounts.sessions import SEEN, STARTED

# How often the last-seen time (and with it the session's expiry) is written: not on every
# request, so reading a page does not mean writing the session.
SEEN_PRECISION_SECONDS = 60

# Pages an unverified staff member may still reach: the login itself (and single sign-on's),
# the second step, enrolment, logging out, the language switcher and the health check.
TWO_FACTOR_EXEMPT = frozenset(
    {
        "login",
        "logout",
        "two_factor_verify",
        "two_factor_setup",
        "set_language",
        "healthz",
        "oidc_staff_login",
        "oidc_staff_callback",
        "oidc_citizen_login",
        "oidc_citizen_callback",
    }
)


class SessionLifetimeMiddleware:
    """Logs out a session idle for SESSION_IDLE_SECONDS, or older than
    SESSION_ABSOLUTE_SECONDS since its login. The view then sees an anonymous user (and
    login_required sends it to the login page, where a message says why)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            started = session.get(STARTED)
            seen = session.get(SEEN)
            if not isinstance(started, int) or not isinstance(seen, int):
                session[STARTED] = session[SEEN] = now  # a session from before this code
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                self._end(request, _("Du er logget ud, fordi din session var for gammel."))
            elif now - seen > settings.SESSION_IDLE_SECONDS:
                minutes = settings.SESSION_IDLE_SECONDS // 60
                self._end(
                    request,
                    _("Du er logget ud efter %(minutes)d minutter uden aktivitet.")
                    % {"minutes": minutes},
                )
            elif now - seen >= SEEN_PRECISION_SECONDS:
                session[SEEN] = now  # saved by SessionMiddleware, with a fresh expiry
        return self.get_response(request)

    @staticmethod
    def _end(request: HttpRequest, message: str) -> None:
        logout(request)
        messages.info(request, message)


class RequireTwoFactorMiddleware:
    """A staff member logged in with the password only is sent to enter a code (or, without
    a device, to set one up) before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.TWO_FACTOR_REQUIRED:
            user = cast(User, request.user)
            if (
                auth_otp.two_factor_applies(user)
                and not user.is_verified()  # type: ignore[attr-defined]
                # A login through the identity provider: its own second factor counted there.
                and not signed_in_with_provider(request)
                and self._url_name(request) not in TWO_FACTOR_EXEMPT
            ):
                return self._redirect(request, user)
        return self.get_response(request)

    @staticmethod
    def _url_name(request: HttpRequest) -> str | None:
        try:
            return resolve(request.path_info).url_name
        except Resolver404:
            return None

    @staticmethod
    def _redirect(request: HttpRequest, user: User) -> HttpResponse:
        target = "two_factor_verify" if auth_otp.has_device(user) else "two_factor_setup"
        url = reverse(target)
        if request.method in ("GET", "HEAD"):
            url += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            # htmx would swap the code page into a fragment: send the whole page there.
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return HttpResponseRedirect(url)
