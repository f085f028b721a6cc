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


def test_the_case_tabs_are_one_row_and_a_menu_on_a_phone(live_server, browser, caseworker):
    """At 1366 px every tab of a case fits one row; on a phone the tabs are a menu of one line
    naming the current tab, opened on demand, instead of rows above the content."""
    from playwright.sync_api import expect

    case = f.CaseFactory(owner=caseworker, team=caseworker.memberships.get().team)
    url = f"{live_server.url}{case.get_absolute_url()}adgangslog/"
    for width in (1366, 390):
        page = new_page(browser, width=width)
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Brugernavn").fill(caseworker.username)
        page.get_by_label("Adgangskode").fill(f.PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), width
        menu = page.locator(".tabs-menu")
        if width == 1366:
            expect(menu).to_be_hidden()
            row = page.evaluate(
                """() => {
                  const row = document.querySelector('.tabs');
                  const tops = new Set([...row.querySelectorAll('li')].map(li => li.offsetTop));
                  return {rows: tops.size, overflow: row.scrollWidth > row.clientWidth};
                }"""
            )
            assert row == {"rows": 1, "overflow": False}, "every tab fits one row at 1366 px"
        else:
            expect(page.locator(".case-tabs .tabs")).to_be_hidden()
            expect(menu.locator("summary")).to_contain_text("Fane: Adgangslog")
            # One line: the content starts right under it.
            assert menu.bounding_box()["height"] < 60
            page.screenshot(path=str(ARTIFACTS / "case-tabs-390-closed.png"))
            menu.locator("summary").click()
            links = menu.get_by_role("link")
            expect(links).to_have_count(page.locator(".case-tabs .tabs a").count())
            expect(menu.get_by_role("link", name="Plan")).to_be_visible()
            menu.get_by_role("link", name="Journal").click()
            page.wait_for_url(re.compile(r"/journal/$"))
            expect(page.locator(".tabs-menu summary")).to_contain_text("Fane: Journal")
        page.screenshot(path=str(ARTIFACTS / f"case-tabs-{width}.png"))
        page.context.close()
