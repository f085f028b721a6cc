"""Health check of the ``web`` container: GET /healthz the way the reverse proxy would.

Usage: ``python deploy/healthcheck.py [URL]`` (default http://127.0.0.1:8000/healthz).
Exit status 0 on 200, 1 otherwise. The request carries a Host the app accepts (from
ALLOWED_HOSTS) and ``X-Forwarded-Proto: https``, so neither host validation (400) nor
SECURE_SSL_REDIRECT (301) gets in the way of the check.
"""

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/healthz"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect is a failed check, never somewhere to go


def allowed_host() -> str:
    """A Host header that Django's ALLOWED_HOSTS accepts."""
    for entry in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = entry.strip()
        if host == "*":
            return "localhost"
        if host:
            return host.lstrip(".")  # ".example.dk" also matches example.dk itself
    return "localhost"


def main(url: str) -> int:
    if not url.startswith("http://"):
        raise SystemExit(f"not an http:// URL: {url}")
    request = urllib.request.Request(  # noqa: S310 (http only, checked above)
        url, headers={"Host": allowed_host(), "X-Forwarded-Proto": "https"}
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            print(response.status, response.read(2000).decode(errors="replace"))
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as exc:
        print(exc.code, exc.read(2000).decode(errors="replace"))
    except OSError as exc:
        print("unreachable:", exc.__class__.__name__)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_URL))
