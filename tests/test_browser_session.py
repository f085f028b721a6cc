"""In real Chromium at phone size (360 × 740): the assigned therapist, leaving the family's
home, opens the case's sessions tab, starts a session, picks the place, a method and a goal,
writes a note, reloads the page half-way and finds everything kept (the draft lives on the
server, saved as she types), logs the session and sees it in the list.

Runs against pytest-django's live server, like tests/test_browser_plan.py.
"""

import os
import re

import pytest

from accounts.models import OrganisationUnit, Role
from cases.models import CaseStatus
from demo import factories as f
from followups.models import Session
from plans import services as plan_services
from plans.models import Area
from tests.browser import ARTIFACTS, TIMEOUT_MS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

GOAL_WORDS = "Vi spiser aftensmad sammen ved bordet"
NOTE = "Far lavede mad med børnene. Aftalt at prøve igen torsdag."


@pytest.fixture
def family_case():
    authority = f.OrganisationUnitFactory(
        name="Børne- og Ungeafdelingen", kind=OrganisationUnit.Kind.AUTHORITY
    )
    provider = f.OrganisationUnitFactory(name="Familiehuset", kind=OrganisationUnit.Kind.PROVIDER)
    team = f.TeamFactory(unit=authority, name="Team Nord")
    house = f.TeamFactory(unit=provider, name="Familiehuset")
    caseworker = f.UserFactory(username="sagsbehandler", role=Role.CASEWORKER)
    f.add_member(team, caseworker)
    therapist = f.UserFactory(
        username="therapist", role=Role.THERAPIST, first_name="Mads", last_name="Lund"
    )
    f.add_member(house, therapist)
    child = f.CitizenFactory(first_name="Ida", last_name="Telefonsen")
    case = f.CaseFactory(owner=caseworker, team=team, status=CaseStatus.MEASURE, citizen=child)
    measure = f.MeasureFactory(case=case, provider_team=house)
    f.assign(measure, therapist)
    f.family_with_child(child)
    plan = plan_services.plan_create(case=case, user=caseworker)
    plan_services.plan_goal_add(plan=plan, area=Area.FAMILY, family_wording=GOAL_WORDS)
    return case, therapist


def test_a_therapist_logs_a_session_from_a_phone(live_server, browser, family_case):
    from playwright.sync_api import expect

    case, therapist = family_case
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(therapist.username)
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/sager/{case.pk}/sessioner/")
    expect(page.get_by_role("heading", level=2, name="Sessioner")).to_be_visible()
    page.get_by_role("button", name="Ny session").click()
    page.wait_for_url(re.compile(r"/sessioner/\d+/$"))
    session = Session.objects.get()
    expect(page.get_by_role("heading", level=2, name="Registrér session")).to_be_visible()

    # Phone-first: nothing of the form sticks out sideways, and the targets are big.
    assert page.evaluate(
        "(() => { const f = document.getElementById('session-form');"
        " return f.scrollWidth <= f.clientWidth && f.getBoundingClientRect().right <= 360; })()"
    )
    home = page.get_by_label("I hjemmet")
    assert home.locator("xpath=..").bounding_box()["height"] >= 44

    # Today's date and the current time are filled in.
    expect(page.get_by_label("Dato")).not_to_have_value("")
    expect(page.get_by_label("Starttidspunkt")).not_to_have_value("")

    home.check()
    page.get_by_label("60 min").check()
    page.get_by_label("Familiesamtale", exact=True).check()
    page.get_by_label(GOAL_WORDS).check()
    page.get_by_label("Internt notat").fill(NOTE)

    status = page.locator("#session-status")
    expect(status).to_contain_text(re.compile(r"Kladde gemt \d\d:\d\d"))
    expect(status).to_have_attribute("aria-live", "polite")
    page.wait_for_function(
        "() => !document.querySelector('#session-form.htmx-request')", timeout=TIMEOUT_MS
    )
    session.refresh_from_db()
    assert session.internal_note == NOTE  # saved on the server, not only in the browser

    # Half-way: the phone reloads the page. Everything comes back from the server's draft.
    page.reload()
    expect(page.get_by_label("Internt notat")).to_have_value(NOTE)
    expect(page.get_by_label("I hjemmet")).to_be_checked()
    expect(page.get_by_label("60 min")).to_be_checked()
    expect(page.get_by_label("Familiesamtale", exact=True)).to_be_checked()
    expect(page.get_by_label(GOAL_WORDS)).to_be_checked()
    page.screenshot(path=str(ARTIFACTS / "session-draft-phone.png"), full_page=True)

    page.get_by_role("button", name="Registrér session").click()
    page.wait_for_url(re.compile(r"/sessioner/(#session-\d+)?$"))
    expect(page.get_by_text("Sessionen er registreret.")).to_be_visible()
    entry = page.locator(f"#session-{session.pk}")
    expect(entry).to_contain_text(NOTE)
    expect(entry).to_contain_text("I hjemmet")
    expect(entry).to_contain_text("Familiesamtale")
    expect(entry).to_contain_text(GOAL_WORDS)
    expect(page.get_by_role("heading", name="Mine kladder")).to_have_count(0)
    session.refresh_from_db()
    assert session.status == Session.Status.LOGGED and session.duration_minutes == 60
    page.screenshot(path=str(ARTIFACTS / "session-logged-phone.png"), full_page=True)
    context.close()
