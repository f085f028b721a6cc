"""In real Chromium: in a meeting, a caseworker writes the plan with the family — a goal with
the keyboard alone and a round of ratings, each appearing without a page reload — and the
family then finds the plan at /familie/ and sees the goal in its own words and the rating.

Runs against pytest-django's live server, like tests/test_browser.py: Debian's Chromium,
driven by Playwright's sync API (which runs an event loop, hence DJANGO_ALLOW_ASYNC_UNSAFE).
"""

import datetime as dt
import os
import re

import pytest
from django.utils import timezone

from accounts.models import OrganisationUnit, Role
from cases.models import CaseStatus
from demo import factories as f
from plans.models import Goal, Plan, Rating
from tests.browser import ARTIFACTS, new_page

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# serialized_rollback: the deadline rules and legal bases come from data migrations, and a
# transactional test's flush would otherwise leave them empty for the next one.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

GOAL_WORDS = "Ida sover i sin egen seng hele natten."


@pytest.fixture
def meeting():
    """A case with a measure: the caseworker owns it, the child's mother has a family login."""
    authority = f.OrganisationUnitFactory(
        name="Børne- og Ungeafdelingen", kind=OrganisationUnit.Kind.AUTHORITY
    )
    provider = f.OrganisationUnitFactory(name="Familiehuset", kind=OrganisationUnit.Kind.PROVIDER)
    team = f.TeamFactory(unit=authority, name="Team Nord")
    caseworker = f.UserFactory(
        username="sagsbehandler", role=Role.CASEWORKER, first_name="Sofie", last_name="Holm"
    )
    f.add_member(team, caseworker)
    parent = f.UserFactory(username="mor", role=Role.FAMILY, first_name="Anne")
    nine_years_ago = timezone.localdate() - dt.timedelta(days=9 * 365)
    child = f.CitizenFactory(
        first_name="Ida", last_name="Browsersen", cpr=f.fictitious_cpr(nine_years_ago)
    )
    case = f.CaseFactory(owner=caseworker, team=team, status=CaseStatus.MEASURE, citizen=child)
    f.MeasureFactory(case=case, provider_team=f.TeamFactory(unit=provider, name="Familiehuset"))
    f.family_with_child(child, parent)
    return case, caseworker, parent


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(user.username)
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()


def test_a_goal_and_a_rating_in_a_meeting_then_the_family_sees_them(live_server, browser, meeting):
    from playwright.sync_api import expect

    case, caseworker, parent = meeting

    # --- the caseworker, in the meeting --------------------------------------------------
    page = new_page(browser)
    log_in(page, live_server, caseworker)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_role("navigation", name="Sagens faner").get_by_role("link", name="Plan").click()
    expect(page.get_by_role("heading", level=2, name="Plan")).to_be_visible()
    page.get_by_role("button", name="Opret plan").click()
    expect(page.get_by_role("heading", level=2, name="Barnets plan")).to_be_visible()
    plan = Plan.objects.get(case=case)

    # No page load from here on: a marker on the window survives only htmx swaps.
    page.evaluate("window.__samePage = true")

    # The purpose, edited in place: Escape restores it, "Gem" saves it, focus comes back.
    page.locator("#afsnit-formaal-rediger").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#afsnit-formaal-text")).to_be_focused()
    page.keyboard.type("Noget, vi fortryder")
    page.keyboard.press("Escape")
    expect(page.locator("#afsnit-formaal-rediger")).to_be_focused()
    expect(page.locator("#afsnit-formaal")).not_to_contain_text("Noget, vi fortryder")
    page.keyboard.press("Enter")
    expect(page.locator("#afsnit-formaal-text")).to_be_focused()
    page.keyboard.type("At Ida sover godt og kommer udhvilet i skole.")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Gem")
    page.keyboard.press("Enter")
    expect(page.locator("#afsnit-formaal")).to_contain_text("At Ida sover godt")
    expect(page.locator("#afsnit-formaal-rediger")).to_be_focused()
    expect(page.locator("#plan-live")).to_have_text("Formålet er gemt.")
    plan.refresh_from_db()
    assert plan.purpose == "At Ida sover godt og kommer udhvilet i skole."

    # A goal, with the keyboard alone: the add-form opens on demand (its summary, Enter),
    # then its first field, type, Tab, Enter.
    expect(page.locator("#nyt-maal-area")).to_be_hidden()
    page.locator("#nyt-maal > summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#nyt-maal-area")).to_be_visible()
    page.locator("#nyt-maal-area").focus()
    page.keyboard.type("Sundhed")  # a closed select picks the option typed
    page.keyboard.press("Tab")
    page.keyboard.type(GOAL_WORDS)
    page.keyboard.press("Tab")
    page.keyboard.type("Søvn uden afbrydelser")
    page.keyboard.press("Tab")
    page.keyboard.type("Ida og mor")
    page.keyboard.press("Enter")  # Enter in a text field submits the form

    goal_heading = page.locator(".goal__wording", has_text=GOAL_WORDS)
    expect(goal_heading).to_be_visible()
    expect(page.locator("#plan-live")).to_have_text("Målet er tilføjet.")
    # The form is blank again and the focus is back in its first field, ready for the next.
    expect(page.locator("#nyt-maal-area")).to_be_focused()
    expect(page.locator("#nyt-maal-family_wording")).to_have_value("")
    goal = Goal.objects.get(plan=plan)
    assert goal.area == "health" and goal.formulated_by == "Ida og mor"
    assert page.evaluate("window.__samePage") is True
    page.screenshot(path=str(ARTIFACTS / "plan-goal-added.png"), full_page=True)

    # A round of ratings (its form opened on demand): the child and the mother are
    # prefilled; blank rows are ignored.
    page.locator("#ny-runde-heading").click()
    expect(page.locator("#runde-p0_name")).to_have_value("Ida")
    page.locator("#runde-p0_overall").fill("6")
    page.locator(f"#runde-p0_goal{goal.pk}").fill("4")
    page.locator(f"#runde-p1_goal{goal.pk}").fill("3")
    page.locator("#runde-note").fill("Planmøde")
    page.locator("#runde-note").press("Enter")  # Enter in a text field submits the form

    expect(page.locator("#plan-live")).to_have_text("Skaleringsrunden er gemt.")
    expect(
        page.locator("#plan-scaling svg[aria-labelledby^='chart-overall-title']")
    ).to_be_visible()
    goal_chart = page.locator(f"#maal-{goal.pk} svg[aria-labelledby^='chart-goal-{goal.pk}-title']")
    expect(goal_chart).to_be_visible()
    expect(page.locator("#runde-held_on")).to_be_focused()
    assert page.evaluate("window.__samePage") is True
    assert set(Rating.objects.values_list("rater_name", "value")) == {
        ("Ida", 6),
        ("Ida", 4),
        ("Forælder Browsersen", 3),
    }
    page.screenshot(path=str(ARTIFACTS / "plan-rating-round.png"), full_page=True)
    page.context.close()

    # --- the family, at home ---------------------------------------------------------------
    page = new_page(browser, width=390)
    log_in(page, live_server, parent)
    page.goto(f"{live_server.url}/familie/")
    page.get_by_role("link", name=re.compile("Se planen for Ida")).click()
    page.wait_for_url(re.compile(r"/familie/sager/[0-9a-f-]{36}/plan/$"))

    article = page.locator(f"article[aria-labelledby='maal-{goal.pk}']")
    expect(article.get_by_role("heading", name=GOAL_WORDS)).to_be_visible()
    # The rating: in the goal's chart, and in its table of figures.
    expect(article.locator("svg").first).to_be_attached()
    article.locator("summary").first.click()
    expect(article.locator("tr", has_text="Ida")).to_contain_text("4")
    expect(article.locator("tr", has_text="Forælder Browsersen")).to_contain_text("3")
    assert "intern" not in page.content().lower()
    page.screenshot(path=str(ARTIFACTS / "plan-family-view.png"), full_page=True)
    page.context.close()
