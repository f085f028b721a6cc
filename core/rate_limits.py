"""Rate limits (django-ratelimit) and the Danish 429 answer.

Invitation links (per client address, as ``accounts.client_ip.client_ip`` sees it) and
API-key creation (per user) are limited here; failed API keys in
``accounts.api_authentication``. A refusal by a rate limit answers 429 and is logged to the
``access.refusals`` logger only (never to the access log), so a flood cannot fill the access
log.
"""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from core.refusal_marks import safe_path

# The refusals' logger (access.refusals writes the access log's refusals to it too).
logger = logging.getLogger("access.refusals")


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
