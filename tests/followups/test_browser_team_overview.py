"""In real Chromium at 1366 px: the team overview's table, wider than its box when a team has
many deadline rules, scrolls sideways with the people's names standing still, and a hint
says so; at a width where it fits, there is no hint.

Runs against pytest-django's live server, like tests/followups/test_browser_therapist_home.py.
"""

import os

import pytest

from accounts.models import Role
from cases.models import CaseStatus
from demo import factories as f
from tests.browser import ARTIFACTS, TIMEOUT_MS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def lead():
    team = f.TeamFactory(name="Team Nord")
    lead = f.UserFactory(username="teamleder", role=Role.TEAM_LEAD, first_name="Hanne")
    f.add_member(team, lead, lead=True)
    for name in ("Mette Kristensen-Vestergaard", "Peter Mikkelsen"):
        first, last = name.split(" ")
        worker = f.UserFactory(role=Role.CASEWORKER, first_name=first, last_name=last)
        f.add_member(team, worker)
        f.CaseFactory(owner=worker, team=team, status=CaseStatus.MEASURE)
    return lead


def test_the_wide_table_scrolls_with_its_names_in_view(live_server, browser, lead):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Brugernavn").fill(lead.username)
        page.get_by_label("Adgangskode").fill(f.PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        page.goto(f"{live_server.url}/team/")
        box = page.locator(".table-scroll").first
        hint = page.get_by_text("rul sidelæns for at se alle frister")
        assert box.evaluate("b => b.scrollWidth > b.clientWidth")
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        expect(hint).to_be_visible()
        name = page.get_by_role("rowheader", name="Peter Mikkelsen")
        before = name.bounding_box()
        box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
        after = name.bounding_box()
        assert before and after and abs(after["x"] - before["x"]) < 1  # the names stay
        last = page.get_by_role("columnheader").last.bounding_box()
        assert last and last["x"] + last["width"] <= 1366
        page.screenshot(path=str(ARTIFACTS / "team-overview-scrolled.png"), full_page=True)

        # A table that fits its box has no hint (here: the figures' columns hidden).
        page.evaluate(
            "document.querySelectorAll('.team-table td, .team-table th:not(:first-child)')"
            ".forEach(c => { c.style.display = 'none'; });"
            "window.dispatchEvent(new Event('resize'))"
        )
        assert not box.evaluate("b => b.scrollWidth > b.clientWidth")
        expect(hint).to_be_hidden()
    finally:
        context.close()
