"""The client's address, as the reverse proxy in front of the app saw it.

Behind TRUSTED_PROXY_COUNT proxies that each append the address they saw to
X-Forwarded-For, the client is the entry that many places from the right: anything further
left was written by the client and may be forged. Used by the lock-out (django-axes) and the
login rate limit (django-ratelimit).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part
        ]
        if len(forwarded) >= count:
            address = _valid(forwarded[-count])
            if address:
                return address
    # Not behind the proxy (a health check from inside, a test): the direct peer.
    return _valid(remote) or "0.0.0.0"  # noqa: S104 (a key for counting, never bound to)
