"""In real Chromium at a phone's size (390 × 844): the therapist logs in and lands on "Min
forside"; nothing sticks out sideways, axe finds no violation, and "Ny session" on a
measure's card opens the session form of that measure.

Runs against pytest-django's live server, like tests/test_browser_session.py.
"""

import datetime as dt
import os
import re

import pytest
from django.utils import timezone

from accounts.models import OrganisationUnit, Role
from cases.models import CaseStatus
from demo import factories as f
from followups.models import Session
from tests.a11y import pages as a11y
from tests.browser import ARTIFACTS, TIMEOUT_MS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
LONG_PURPOSE = (
    "At forældrene får struktur på hverdagen og hjælp til at samarbejde med skolen, så "
    "Ida-Marie kommer i skole hver dag og har det godt derhjemme; samværsordningen, "
    "madpakker, lektier og sengetider gennemgås ugentligt."
)


@pytest.fixture
def therapist_world():
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
    parent = f.UserFactory(username="parent", role=Role.FAMILY)
    today = timezone.localdate()
    measures = []
    for first, last in [("Ida-Marie", "Telefonsen-Vestergaard"), ("Bo", "Berg")]:
        child = f.CitizenFactory(first_name=first, last_name=last)
        case = f.CaseFactory(owner=caseworker, team=team, status=CaseStatus.MEASURE, citizen=child)
        f.family_with_child(child, parent if first == "Bo" else None)
        measure = f.MeasureFactory(
            case=case,
            provider_team=house,
            purpose=LONG_PURPOSE,
            start_date=today - dt.timedelta(days=40),
        )
        f.assign(measure, therapist)
        f.FollowUpFactory(measure=measure, number=2, due_on=today + dt.timedelta(days=5))
        measures.append(measure)
    f.logged_session(measures[1].case, therapist, measures[1])
    f.letter_in_review(measures[1], therapist, parent)
    return therapist, measures


def test_the_start_page_on_a_phone(live_server, browser, therapist_world):
    from playwright.sync_api import expect

    therapist, measures = therapist_world
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Brugernavn").fill(therapist.username)
        page.get_by_label("Adgangskode").fill(f.PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Min forside")
        assert page.url == f"{live_server.url}/behandler/"
        for name in ("Sessioner", "Mine indsatser", "Breve der venter på familien"):
            expect(page.get_by_role("heading", level=2, name=re.compile(name))).to_be_visible()
        expect(page.get_by_text("Ingen session i 14 dage eller mere")).to_be_visible()

        # Nothing sticks out sideways at 390 px.
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        assert page.evaluate(
            "[...document.querySelectorAll('#main *')].every("
            "e => e.getBoundingClientRect().right <= 390.5)"
        )
        page.screenshot(path=str(ARTIFACTS / "therapist-home-phone.png"), full_page=True)

        violations = a11y.axe_violations(page)
        assert not violations, a11y.describe("Min forside 390px", violations)

        # "Ny session" on the first card starts a draft of that measure and opens its form.
        first = measures[0]
        page.get_by_role("button", name=f"Ny session med {first.case.citizen.full_name}, ").click()
        page.wait_for_url(re.compile(r"/sessioner/\d+/$"))
        expect(page.get_by_role("heading", level=2, name="Registrér session")).to_be_visible()
        draft = Session.objects.get(status=Session.Status.DRAFT)
        assert draft.measure_id == first.pk
    finally:
        context.close()


def test_the_start_page_on_a_desktop(live_server, browser, therapist_world):
    from playwright.sync_api import expect

    therapist, _measures = therapist_world
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Brugernavn").fill(therapist.username)
        page.get_by_label("Adgangskode").fill(f.PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Min forside")
        assert page.url == f"{live_server.url}/behandler/"
        for name in ("Sessioner", "Mine indsatser", "Breve der venter på familien"):
            expect(page.get_by_role("heading", level=2, name=re.compile(name))).to_be_visible()
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        page.screenshot(path=str(ARTIFACTS / "therapist-home-desktop.png"), full_page=True)
    finally:
        context.close()
