"""What a refused request carries to the refusal log, and paths safe to write in a log.

The access log of refusals is written by ``access.refusals`` (``log_refusal`` and the
``RefusalLogMiddleware``); code below access marks the request here instead (a reason for
the refusal, or that it was logged already). Nothing here writes the access log.
"""

import re
from typing import Any

from django.http import HttpRequest

# An invitation link's token is a password in all but name: never written to any log.
INVITATION_PATH = re.compile(r"^(/familie/invitation/)[^/]+/")
INVITATION_TARGET = "/familie/invitation/…/"

LOGGED = "_familievaerft_refusal_logged"
REASON = "_familievaerft_refusal_reason"


def django_request(request: Any) -> HttpRequest:
    """DRF wraps the request; flags must go on Django's own, which the middleware sees."""
    return getattr(request, "_request", request)


# So is a password reset link's (accounts.views.password_reset).
RESET_PATH = re.compile(r"^(/login/nulstil/[^/]+/)(?!set-password/)[^/]+/")


def safe_path(request: HttpRequest) -> str:
    path = INVITATION_PATH.sub(INVITATION_TARGET, request.path)
    return RESET_PATH.sub(r"\1…/", path)


def mark_refusal_logged(request: Any) -> None:
    setattr(django_request(request), LOGGED, True)


def set_refusal_reason(request: Any, reason: str) -> None:
    """A reason for the refusal the middleware will log (when the view does not log it)."""
    setattr(django_request(request), REASON, reason)
