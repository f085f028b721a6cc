"""In real Chromium: representative pages under the enforced Content Security Policy, with
their htmx requests, charts, the network map, the session form's server-side draft and the API
documentation, and not one violation reported.

Violations are caught twice: Chromium's console message ("Refused to … because it violates the
following Content Security Policy directive") and the page's ``securitypolicyviolation``
events. The test first makes a violation of its own to prove it would see one.
"""

import datetime as dt
import os
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from cases.models import CaseStatus
from demo import factories as f
from network import services as network_services
from plans import services as plan_services
from plans.models import Area
from plans.services import RatingInput
from tests.browser import new_page

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COLLECT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def family_case(org):
    team, house = org.team_a, org.family_house
    caseworker = f.UserFactory(username="sagsbehandler", role=Role.CASEWORKER)
    therapist = f.UserFactory(username="behandler", role=Role.THERAPIST, first_name="Sara")
    parent = f.UserFactory(username="forælder", role=Role.FAMILY)
    f.add_member(team, caseworker)
    f.add_member(house, therapist)
    child = f.CitizenFactory(first_name="Ida", last_name="Politik")
    case = f.CaseFactory(owner=caseworker, team=team, status=CaseStatus.MEASURE, citizen=child)
    measure = f.MeasureFactory(case=case, provider_team=house)
    f.assign(measure, therapist)
    f.family_with_child(child, parent)
    plan = plan_services.plan_create(case=case, user=caseworker)
    goal = plan_services.plan_goal_add(plan=plan, area=Area.FAMILY, family_wording="Ro om aftenen")
    for weeks, value in ((4, 3), (1, 6)):
        plan_services.plan_rating_round_record(
            plan=plan,
            user=caseworker,
            held_on=timezone.localdate() - dt.timedelta(weeks=weeks),
            ratings=[RatingInput(goal=goal, rater_kind="parent", rater_name="Mor", value=value)],
        )
    plan_services.plan_version_freeze(plan=plan, user=caseworker)
    network_services.network_member_add(
        case=case, user=caseworker, name="Mormor", sector="relatives", circle=1
    )
    return case, therapist, parent


def logged_in_page(browser, live_server, user):
    """A page whose browser carries a session of ``user`` (the login form has its own tests)."""
    client = Client()
    client.force_login(user)
    page = new_page(browser)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return page


class Watch:
    """Every CSP violation a page reports, by console message and by event."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.on("console", self._console)
        page.add_init_script(COLLECT)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response.status == 200, url
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
        self.page.wait_for_load_state("networkidle")

    def violations(self) -> list[str]:
        found = self.console + self.page.evaluate("window.__cspViolations || []")
        return found

    def reset(self) -> None:
        self.console.clear()
        self.page.evaluate("window.__cspViolations = []")


def test_no_page_violates_the_content_security_policy(live_server, browser, family_case, settings):
    from playwright.sync_api import expect

    settings.TWO_FACTOR_REQUIRED = False
    case, therapist, parent = family_case
    base = live_server.url
    page = logged_in_page(browser, live_server, therapist)
    watch = Watch(page)

    # The watch sees a violation when there is one: an inline style attribute from a script.
    watch.visit(f"{base}/sager/{case.pk}/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')"
        )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert any("style-src" in v for v in watch.violations())
    watch.reset()
    browser.problems.forget()  # the browser fixture fails a test on any other console error

    for path in (
        f"/sager/{case.pk}/",
        f"/sager/{case.pk}/plan/",
        f"/sager/{case.pk}/plan/udskriv/",
        f"/sager/{case.pk}/netvaerk/",
        f"/sager/{case.pk}/sessioner/",
        "/frister/",
    ):
        watch.visit(base + path)
        assert watch.violations() == [], path

    # htmx in action: the network form puts a person on the map and in the list in place.
    watch.visit(f"{base}/sager/{case.pk}/netvaerk/")
    page.locator("#ny-person-name").fill("Lærer Jens")
    page.get_by_role("radio", name="Skole, dagtilbud og arbejde", exact=True).check()
    page.get_by_role("radio", name="Tæt på", exact=True).check()
    page.get_by_role("button", name="Sæt på kortet").click()
    expect(page.locator("svg.network-map g.member", has_text="Lærer Jens")).to_have_count(1)
    page.get_by_role("button", name="Længere væk – Mormor").click()
    expect(page.locator("svg.network-map g.member[data-circle='2']")).to_have_count(2)
    assert watch.violations() == [], "network htmx"

    # The session form: the draft is saved on the server as she types (htmx autosave).
    watch.visit(f"{base}/sager/{case.pk}/sessioner/")
    page.get_by_role("button", name="Ny session").click()
    page.wait_for_url(re.compile(r"/sessioner/\d+/$"))
    page.get_by_label("Internt notat").fill("Aftensmad sammen.")
    expect(page.locator("#session-status")).to_contain_text(re.compile(r"Kladde gemt"))
    assert watch.violations() == [], "session draft"

    # The API documentation: Swagger UI renders the schema.
    watch.visit(f"{base}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Familieværft API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert watch.violations() == [], "API docs"

    # The administrators' side: the refusals and the users in the admin.
    admin = f.UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    administration = Watch(logged_in_page(browser, live_server, admin))
    for path in ("/admin/access/accesslogentry/", "/admin/accounts/user/"):
        administration.visit(base + path)
        assert administration.violations() == [], path

    # The family's side: the portal and the child's plan with its chart and map.
    family = Watch(logged_in_page(browser, live_server, parent))
    for path in ("/familie/", f"/familie/sager/{case.pk}/plan/", "/login/"):
        family.visit(base + path)
        assert family.violations() == [], path
