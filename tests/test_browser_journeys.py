"""The working day's journeys in real Chromium at 1366 × 900 and 390 × 844 (issue 16), each
page checked for sideways overflow, with screenshots under test-artifacts/. Console errors
and failed requests fail every browser test at its teardown (``browser`` in tests/conftest.py).

* The caseworker: a fresh notification on a child who already has a case puts its 24-hour
  judgement at the top of Mine sager, in the acute strip, with the time left.
* The team lead: the same strip on the team overview.
* The English pass: the language switched in the footer, Mine sager and the case page show
  no Danish deadline-rule or legal-basis text (tests/test_i18n_data.py checks more pages
  through the test client).
"""

import datetime as dt
import os
import re

import pytest
from django.utils import timezone

from accounts.models import Role
from cases import services
from cases.models import CaseStatus, Notification
from demo import factories as f
from tests.browser import ARTIFACTS, new_page
from tests.test_i18n_data import danish_texts

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = {1366: 900, 390: 844}


@pytest.fixture
def world():
    team = f.TeamFactory(name="Team Nord")
    caseworker = f.UserFactory(username="sagsbehandler", role=Role.CASEWORKER, first_name="Sofie")
    lead = f.UserFactory(username="teamleder", role=Role.TEAM_LEAD, first_name="Hanne")
    f.add_member(team, caseworker)
    f.add_member(team, lead, lead=True)
    child = f.CitizenFactory(first_name="Ida", last_name="Akutsen")
    case = f.CaseFactory(owner=caseworker, team=team, status=CaseStatus.MEASURE, citizen=child)
    f.MeasureFactory(case=case)
    # Older, overdue work on the same case must not hide the new 24-hour judgement.
    f.NotificationFactory(case=case, received_at=timezone.now() - dt.timedelta(days=200))
    services.notification_register(
        user=caseworker,
        citizen=child,
        received_at=timezone.now() - dt.timedelta(hours=2),
        reporter_kind=Notification.ReporterKind.PROFESSIONAL,
        reporter_name="Lærer Hansen",
        reporter_organisation="Kirkebakkeskolen",
        concern="Ida fortæller, at hun ikke tør gå hjem.",
    )
    return caseworker, lead, case


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(user.username)
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= innerWidth")


@pytest.mark.parametrize("width", list(SIZES))
def test_the_fresh_24_hour_judgement_is_at_the_top(live_server, browser, world, width):
    from playwright.sync_api import expect

    caseworker, lead, _case = world
    for user, path, name in (
        (caseworker, "/sager/", "mine-sager"),
        (lead, "/team/", "teamoverblik"),
    ):
        page = new_page(browser, width=width)
        page.set_viewport_size({"width": width, "height": SIZES[width]})
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}{path}")
        strip = page.locator(".acute-strip")
        expect(strip).to_be_visible()
        expect(strip).to_contain_text("Ida Akutsen")
        expect(strip).to_contain_text(re.compile(r"\d+ t \d+ min tilbage"))
        # It stands above everything else in the page's content.
        first = page.locator("main h2").first
        expect(first).to_have_id("acute-strip-heading")
        assert fits(page), f"{name} at {width}px"
        page.screenshot(path=str(ARTIFACTS / f"journey-{name}-{width}.png"), full_page=True)
        page.context.close()


@pytest.mark.parametrize("width", list(SIZES))
def test_the_english_pass(live_server, browser, world, width):
    from playwright.sync_api import expect

    caseworker, _lead, case = world
    danish = danish_texts()
    page = new_page(browser, width=width)
    page.set_viewport_size({"width": width, "height": SIZES[width]})
    log_in(page, live_server, caseworker)
    page.get_by_label("Sprog").select_option("en")
    page.get_by_role("button", name="Skift sprog").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My cases")
    for path, name in (("/sager/", "my-cases"), (case.get_absolute_url(), "case")):
        page.goto(f"{live_server.url}{path}")
        text = page.locator("body").inner_text()
        found = sorted(t for t in danish if t in text)
        assert not found, f"{path}: {found}"
        assert fits(page), f"{name} at {width}px"
        page.screenshot(path=str(ARTIFACTS / f"journey-english-{name}-{width}.png"), full_page=True)
    expect(page.locator("body")).to_contain_text("Judgement of the need for acute help")
    page.context.close()
