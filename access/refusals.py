"""Refused requests and rate limits, in one place.

Every refusal is written to the access log as an ``AccessLogEntry`` with action "denied" (the
case left empty where none is involved), with the path, the user (when known) and a short
reason; administrators read them in the admin under *Afviste forsøg*
(``accounts.admin.RefusalAdmin``), and each also goes to the ``access.refusals``
logger.

* Views that refuse a case (404 or 403) log through ``permissions.access_log_denied``, which
  marks the request as logged.
* ``RefusalLogMiddleware`` logs every other 401 or 403 answer: DRF's 401/403, Django's
  ``PermissionDenied``, a CSRF failure (``csrf_failure`` gives the reason).
* Invitation links (per client address, as ``accounts.client_ip.client_ip`` sees it) and
  API-key creation (per user) are rate limited here with django-ratelimit; failed API keys in
  ``accounts.api_authentication``. A refusal by a rate limit answers 429 with a Danish
  page or error and is logged to the ``access.refusals`` logger only, so a flood cannot
  fill the access log.
"""

import logging
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from access.log import Action, access_log_record

logger = logging.getLogger("access.refusals")

# An invitation link's token is a password in all but name: never written to any log.
INVITATION_PATH = re.compile(r"^(/familie/invitation/)[^/]+/")
INVITATION_TARGET = "/familie/invitation/…/"

# Refusals of anonymous requests written to the access log per client address and hour.
ANONYMOUS_REFUSALS_LOGGED = "100/h"

_LOGGED = "_familievaerft_refusal_logged"
_REASON = "_familievaerft_refusal_reason"


def _django_request(request: Any) -> HttpRequest:
    """DRF wraps the request; flags must go on Django's own, which the middleware sees."""
    return getattr(request, "_request", request)


def safe_path(request: HttpRequest) -> str:
    return INVITATION_PATH.sub(INVITATION_TARGET, request.path)


def mark_refusal_logged(request: Any) -> None:
    setattr(_django_request(request), _LOGGED, True)


def set_refusal_reason(request: Any, reason: str) -> None:
    """A reason for the refusal the middleware will log (when the view does not log it)."""
    setattr(_django_request(request), _REASON, reason)


def _user_of(request: HttpRequest) -> Any:
    """The request's user; when an API authentication failed (a CSRF check, say), DRF has made
    it anonymous, but the browser session still says who asked."""
    user = getattr(request, "user", None)
    if (user is None or not user.is_authenticated) and hasattr(request, "session"):
        user = get_user(request)
    return user


def log_refusal(request: Any, reason: str, *, user: Any = None) -> None:
    """Write one refused attempt without a case: path, user, reason."""
    django_request = _django_request(request)
    who = user if user is not None else _user_of(django_request)
    known = who is not None and who.is_authenticated
    target = safe_path(django_request)
    mark_refusal_logged(django_request)
    logger.warning(
        "refused %s %s user=%s reason=%s",
        django_request.method,
        target,
        who.get_username() if known else "-",
        reason,
    )
    # Nobody's refusals cost nothing to make: past a limit per address they go to the log
    # file only, so anonymous requests cannot fill the (append-only) access log.
    if not known and rate_limited(django_request, "anonymous-refusals", ANONYMOUS_REFUSALS_LOGGED):
        return
    access_log_record(user=who, action=Action.DENIED, target=target, reason=reason)


class RefusalLogMiddleware:
    """Logs each 401/403 answer that was not logged where it was decided."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in (401, 403) and not getattr(request, _LOGGED, False):
            reason = getattr(request, _REASON, "") or f"HTTP {response.status_code}"
            try:
                log_refusal(request, reason)
            except DatabaseError:
                # The answer is a refusal either way; the console log still has it.
                logger.exception("could not write the refusal of %s", safe_path(request))
        return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF_FAILURE_VIEW: the friendly page, and the refusal logged with its reason."""
    log_refusal(request, f"CSRF: {reason}"[:300])
    return render(request, "403_csrf.html", status=403)


# --- rate limits -----------------------------------------------------------------------------


def rate_limited(request: HttpRequest, group: str, rate: str, key: str = "ip") -> bool:
    """Count this request against ``rate`` per client address (or per ``key``); True if over
    the limit."""
    limited = is_ratelimited(request, group=group, key=key, rate=rate, method=ALL, increment=True)
    if limited:
        logger.warning("rate limit %s reached: %s %s", group, request.method, safe_path(request))
    return limited


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """The Danish 429 page."""
    response = render(
        request,
        "429.html",
        {"message": _("Du har prøvet for mange gange. Vent lidt, og prøv så igen.")},
        status=429,
    )
    response["Retry-After"] = "3600"
    return response


def invitation_rate_limited(request: HttpRequest) -> bool:
    return rate_limited(request, "invitation", settings.INVITATION_RATE_LIMIT)


def api_token_create_rate_limited(request: HttpRequest) -> bool:
    """Per user: a stolen session cannot mint keys in bulk."""
    return rate_limited(
        request, "api-token-create", settings.API_TOKEN_CREATE_RATE_LIMIT, key="user"
    )
