"""Refused requests: every refusal written to the access log, in one place.

Every refusal is written to the access log as an ``AccessLogEntry`` with action "denied" (the
case left empty where none is involved), with the path, the user (when known) and a short
reason; administrators read them in the admin under *Afviste forsøg*
(``access.admin.RefusalAdmin``), and each also goes to the ``access.refusals``
logger.

* Pages that refuse a case (404 or 403) log through ``access_log_denied`` (``cases.pages.
  case_page``, ``portal.pages.family_case_page``, the API's ``case_for_api``), which marks the
  request as logged.
* ``RefusalLogMiddleware`` logs every other 401 or 403 answer: DRF's 401/403, Django's
  ``PermissionDenied``, a CSRF failure (``csrf_failure`` gives the reason).
* Code below access does not write here: accounts sends ``accounts.signals.request_refused``
  (received by ``request_refused_receiver``, connected in AccessConfig.ready()), and core
  marks the request (``core.refusal_marks``) for the middleware.
* The rate limits themselves live in ``core.rate_limits`` (invitation links, API-key creation)
  and ``accounts.api_authentication`` (failed API keys). A refusal by a rate limit answers 429
  with a Danish page or error and is logged to the ``access.refusals`` logger only, so a flood
  cannot fill the access log; for the same reason refusals of requests from nobody in
  particular (no login, no known key) are written to the access log at most
  ``ANONYMOUS_REFUSALS_LOGGED`` per client address, and past that to the logger only.
"""

import logging
import uuid
from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth import get_user
from django.db import DatabaseError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.log import Action, access_log_record
from access.models import AccessLogEntry
from core.rate_limits import rate_limited
from core.refusal_marks import LOGGED, REASON, django_request, mark_refusal_logged, safe_path

logger = logging.getLogger("access.refusals")

# Refusals of anonymous requests written to the access log per client address and hour.
ANONYMOUS_REFUSALS_LOGGED = "100/h"


def _user_of(request: HttpRequest) -> Any:
    """The request's user; when an API authentication failed (a CSRF check, say), DRF has made
    it anonymous, but the browser session still says who asked."""
    user = getattr(request, "user", None)
    if (user is None or not user.is_authenticated) and hasattr(request, "session"):
        user = get_user(request)
    return user


def access_log_denied(request: HttpRequest, *, case: Any = None) -> None:
    """Record a refused attempt on a case's data, tied to the case when it exists."""
    access_log_record(user=request.user, action=Action.DENIED, case=case, target=request.path)
    mark_refusal_logged(request)


def _logged_model(field: str) -> type[Model]:
    """cases.Case or cases.Citizen, through the log's foreign key: cases sits above access."""
    return cast(type[Model], AccessLogEntry._meta.get_field(field).related_model)


def as_uuid(value: Any) -> uuid.UUID | None:
    """An id from a URL or a request body; None if it cannot be one."""
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def case_access_denied(request: Any, case_id: Any) -> None:
    """Record a refused attempt on a case by its id (an API gate that has not loaded the
    case), tied to the case when it exists."""
    case_uuid = as_uuid(case_id)
    case = (
        _logged_model("case")._default_manager.filter(pk=case_uuid).only("pk", "citizen_id").first()
        if case_uuid
        else None
    )
    access_log_denied(request, case=case)


def citizen_access_denied(request: Any, citizen_id: Any) -> None:
    """Record a refused read of a citizen by its id (an API path with ``citizen_id``), tied
    to the citizen when it exists."""
    citizen = (
        _logged_model("citizen")._default_manager.filter(pk=citizen_id).only("pk").first()
        if citizen_id
        else None
    )
    access_log_record(user=request.user, action=Action.DENIED, citizen=citizen, target=request.path)
    mark_refusal_logged(request)


def log_refusal(request: Any, reason: str, *, user: Any = None) -> None:
    """Write one refused attempt without a case: path, user, reason."""
    django_req = django_request(request)
    who = user if user is not None else _user_of(django_req)
    known = who is not None and who.is_authenticated
    target = safe_path(django_req)
    mark_refusal_logged(django_req)
    logger.warning(
        "refused %s %s user=%s reason=%s",
        django_req.method,
        target,
        who.get_username() if known else "-",
        reason,
    )
    # Nobody's refusals cost nothing to make: past a limit per address they go to the log
    # file only, so anonymous requests cannot fill the (append-only) access log.
    if not known and rate_limited(django_req, "anonymous-refusals", ANONYMOUS_REFUSALS_LOGGED):
        return
    access_log_record(user=who, action=Action.DENIED, target=target, reason=reason)


def request_refused_receiver(
    sender: Any, *, request: Any, reason: str, user: Any = None, **kwargs: Any
) -> None:
    """``accounts.signals.request_refused``: the refusal goes to the access log."""
    log_refusal(request, reason, user=user)


class RefusalLogMiddleware:
    """Logs each 401/403 answer that was not logged where it was decided."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in (401, 403) and not getattr(request, LOGGED, False):
            reason = getattr(request, REASON, "") or f"HTTP {response.status_code}"
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
