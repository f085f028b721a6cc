"""In real Chromium against the test provider (tests/oidc_provider, its own process): a
caseworker clicks "Log ind som medarbejder", logs in at the provider, and lands on Mine sager
with the role and team its group gives, without a code from the local authenticator."""

import os

import pytest

from accounts import oidc
from accounts.models import GroupMapping, Role, TeamMembership, User
from demo import factories as f
from tests.browser import new_page
from tests.oidc_provider.process import PASSWORD, started

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.processes,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def provider(tmp_path, settings):
    users = {
        "anna": {
            "claims": {
                "sub": "staff-anna",
                "name": "Anna Andersen",
                "email": "anna@kommune.example",
                "groups": ["fv-sagsbehandlere-nord"],
            }
        }
    }
    with started(tmp_path, users) as running:
        for name, value in running.settings().items():
            setattr(settings, name, value)
        settings.TWO_FACTOR_REQUIRED = True
        oidc.forget_discovery()
        yield running
    oidc.forget_discovery()


def test_staff_single_sign_on_in_chromium(live_server, browser, provider):
    from playwright.sync_api import expect

    team = f.TeamFactory(name="Team Nord")
    GroupMapping.objects.create(
        group_name="fv-sagsbehandlere-nord", role=Role.CASEWORKER, team=team
    )
    page = new_page(browser)
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Log ind som medarbejder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Testudbyder")
    page.get_by_label("Brugernavn").fill("anna")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind hos udbyderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine sager")
    assert page.url.startswith(live_server.url)
    user = User.objects.get(oidc_subject="staff-anna")
    assert user.role == Role.CASEWORKER
    assert TeamMembership.objects.filter(user=user, team=team).exists()
    page.context.close()
