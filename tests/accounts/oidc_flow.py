"""The authorisation-code flow run for real: the Django test client for Familieværft, and an
HTTP session (``requests``) for the browser's visits to the test provider (its login form,
its consent, which is given, and its redirect back). Shared by the single sign-on tests."""

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlparse

import requests
from django.test import Client

from tests.oidc_provider.process import PASSWORD, RunningProvider

STAFF_START = "/login/medarbejder/"
CITIZEN_START = "/login/mitid/"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Flow:
    response: object  # the relying party's answer to the callback
    provider_session: requests.Session


def _follow_at_provider(
    session: requests.Session, provider: RunningProvider, response: requests.Response
) -> str:
    """Follow the provider's redirects until one leaves it; that address."""
    while response.is_redirect:
        location = urljoin(response.url, response.headers["Location"])
        if not location.startswith(provider.url):
            return location
        response = session.get(location, allow_redirects=False, timeout=30)
    raise AssertionError(f"the provider answered {response.status_code} at {response.url}")


def log_in(
    client: Client,
    provider: RunningProvider,
    username: str,
    start: str = STAFF_START,
    session: requests.Session | None = None,
) -> Flow:
    """Start at Familieværft, log in at the provider as ``username``, and come back."""
    started = client.get(start)
    assert started.status_code == 302, started.status_code
    authorize = started["Location"]
    assert authorize.startswith(provider.issuer + "/authorize/")
    assert "code_challenge=" in authorize and "code_challenge_method=S256" in authorize
    session = session or requests.Session()
    answer = session.get(authorize, allow_redirects=False, timeout=30)
    back = None
    if answer.is_redirect:
        location = urljoin(answer.url, answer.headers["Location"])
        if location.startswith(provider.url):
            form = session.get(location, timeout=30)  # the provider's login form
            assert form.status_code == 200
            token = _CSRF.search(form.text)
            assert token, "no login form at the provider"
            posted = session.post(
                form.url,
                data={
                    "csrfmiddlewaretoken": token.group(1),
                    "username": username,
                    "password": PASSWORD,
                },  # the form's address carries ?next= (the authorisation request)
                allow_redirects=False,
                timeout=30,
            )
            back = _follow_at_provider(session, provider, posted)
        else:
            back = location  # already logged in at the provider (single sign-on)
    assert back, "the provider did not send the browser back"
    parsed = urlparse(back)
    assert parsed.hostname == "testserver", back
    return Flow(client.get(f"{parsed.path}?{parsed.query}"), session)
