"""In real Chromium: a caseworker logs in and registers a notification for a new child.

Runs against pytest-django's live server. Debian's Chromium, driven by Playwright's sync API
(which runs an event loop, hence DJANGO_ALLOW_ASYNC_UNSAFE for the ORM calls in this module).
"""

import os
import re

import pytest

from accounts.models import Role
from cases.models import Case, Notification
from core.cpr import format_cpr
from demo import factories as f
from tests.browser import ARTIFACTS, new_page

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# serialized_rollback: the deadline rules and legal bases come from data migrations, and a
# transactional test's flush would otherwise leave them empty for the next one.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page(browser):
    return new_page(browser)


@pytest.fixture
def caseworker():
    team = f.TeamFactory(name="Team Nord")
    user = f.UserFactory(username="sagsbehandler", role=Role.CASEWORKER, first_name="Sofie")
    f.add_member(team, user)
    return user


def test_register_a_notification_for_a_new_child(live_server, page, caseworker):
    from playwright.sync_api import expect

    cpr = f.fictitious_cpr()

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(caseworker.username)
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine sager")

    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Ny underretning"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ny underretning")

    page.get_by_label("Barnets CPR-nummer").fill(format_cpr(cpr))
    page.get_by_label("Barnets CPR-nummer").press("Tab")  # "change" fires the htmx lookup
    expect(page.locator("#cpr-lookup")).to_contain_text("Nyt barn")

    page.get_by_label("Fornavn").fill("Ida")
    page.get_by_label("Efternavn").fill("Browsersen")
    page.get_by_label("Adresse").fill("Vestergade 12")
    page.get_by_label("Postnummer").fill("7100")
    page.get_by_label("By", exact=True).fill("Vejle")
    page.get_by_label("Skole eller dagtilbud").fill("Kirkebakkeskolen")
    page.get_by_label("Fagperson").check()
    page.get_by_label("Underretters navn").fill("Lærer Hansen")
    page.get_by_label("Organisation").fill("Kirkebakkeskolen")
    page.get_by_label("Hvad er underretteren bekymret for?").fill(
        "Ida kommer ofte sulten i skole og virker træt."
    )
    page.screenshot(path=str(ARTIFACTS / "register-notification-form.png"), full_page=True)
    page.get_by_role("button", name="Registrér underretning").click()

    page.wait_for_url(re.compile(r"/sager/[0-9a-f-]{36}/$"))
    case = Case.objects.get(citizen__cpr=cpr)
    assert page.url == f"{live_server.url}{case.get_absolute_url()}"
    assert cpr not in page.url
    assert case.owner == caseworker
    assert Notification.objects.filter(case=case).count() == 1
    page.screenshot(path=str(ARTIFACTS / "register-notification-done.png"), full_page=True)
    # The case page is another helper's; if it has a heading yet, it names the child.
    heading = page.locator("h1")
    if heading.count():
        assert "Ida Browsersen" in (heading.first.text_content() or "")


def test_the_case_tabs_are_one_row_and_the_current_tab_is_in_view(live_server, browser, caseworker):
    """At 1366 px every tab of a case fits one row; on a phone the row scrolls sideways with the
    current tab in view, instead of wrapping into rows above the content."""
    case = f.CaseFactory(owner=caseworker, team=caseworker.memberships.get().team)
    url = f"{live_server.url}{case.get_absolute_url()}adgangslog/"
    for width in (1366, 390):
        page = new_page(browser, width=width)
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Brugernavn").fill(caseworker.username)
        page.get_by_label("Adgangskode").fill(f.PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        page.goto(url)
        row = page.evaluate(
            """() => {
              const row = document.querySelector('.tabs');
              const current = row.querySelector('[aria-current]').getBoundingClientRect();
              const box = row.getBoundingClientRect();
              const tops = new Set([...row.querySelectorAll('li')].map(li => li.offsetTop));
              return {rows: tops.size, overflow: row.scrollWidth > row.clientWidth,
                      inView: current.left >= box.left - 1 && current.right <= box.right + 1,
                      pageWidth: document.documentElement.scrollWidth, innerWidth: innerWidth};
            }"""
        )
        assert row["rows"] == 1, width
        assert row["inView"], width
        assert row["pageWidth"] <= row["innerWidth"], width
        if width == 1366:
            assert not row["overflow"], "every tab fits at 1366 px"
        page.screenshot(path=str(ARTIFACTS / f"case-tabs-{width}.png"))
        page.context.close()
