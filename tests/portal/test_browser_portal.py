"""The family portal in real Chromium (issue 16), at 1366 × 900 and on a phone at 390 × 844:
a parent logs in and reads the front page, the plan, the closing letter waiting for them and
the network map, all on Det Fælles Designsystem. On every page: DKFDS's header with the
municipality's name, IBM Plex Sans loaded from the app's own static files, no sideways
scrolling, and (the ``browser`` fixture) no console error, CSP violation or failed request. An
accordion opens with DKFDS's script. Screenshots of each page are saved under test-artifacts/
for a reviewer to look at.

Runs against pytest-django's live server, like tests/test_browser_session.py.
"""

import datetime as dt
import os

import pytest
from django.utils import timezone

from accounts.models import OrganisationUnit, Role
from cases.models import CaseStatus
from demo import factories as f
from letters import services as letters
from letters.models import LetterSection
from network.models import NetworkMember
from plans import services as plan_services
from plans.models import Area, Goal, Rating, RatingRound
from tests.browser import ARTIFACTS, TIMEOUT_MS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MUNICIPALITY = "Fjordby Kommune"
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture
def family():
    authority = f.OrganisationUnitFactory(
        name="Børne- og Ungeafdelingen",
        kind=OrganisationUnit.Kind.AUTHORITY,
        municipality=MUNICIPALITY,
        address="Rådhustorvet 1, 4991 Fjordby",
    )
    provider = f.OrganisationUnitFactory(
        name="Familiehuset", kind=OrganisationUnit.Kind.PROVIDER, municipality=MUNICIPALITY
    )
    team = f.TeamFactory(unit=authority, name="Team Nord")
    house = f.TeamFactory(unit=provider, name="Familiehuset")
    caseworker = f.UserFactory(
        username="sagsbehandler",
        role=Role.CASEWORKER,
        first_name="Mette",
        last_name="Kristensen",
        title="Socialrådgiver",
        phone="72 36 40 10",
        phone_hours="Mandag–torsdag kl. 9–12",
        email="mette@fjordby.example",
    )
    f.add_member(team, caseworker)
    therapist = f.UserFactory(
        username="familiebehandler",
        role=Role.THERAPIST,
        first_name="Louise",
        last_name="Dam",
        title="Familiebehandler",
        phone="72 36 48 98",
        phone_hours="Mandag–fredag kl. 8–9",
        email="louise@fjordby.example",
    )
    f.add_member(house, therapist)
    parent = f.UserFactory(
        username="familie", role=Role.FAMILY, first_name="Katrine", last_name="Holm"
    )
    child = f.CitizenFactory(first_name="Emma", last_name="Holm")
    case = f.CaseFactory(owner=caseworker, team=team, status=CaseStatus.MEASURE, citizen=child)
    measure = f.MeasureFactory(case=case, provider_team=house)
    f.assign(measure, therapist)
    f.family_with_child(child, parent)
    plan = plan_services.plan_create(case=case, user=caseworker)
    school = plan_services.plan_goal_add(
        plan=plan, area=Area.SCHOOL, family_wording="Emma kommer i skole hver dag"
    )
    dropped = plan_services.plan_goal_add(
        plan=plan, area=Area.LEISURE, family_wording="Emma går til spejder"
    )
    plan_services.plan_goal_set_status(
        goal=dropped, status=Goal.Status.DROPPED, reason="Emma vil hellere spille fodbold"
    )
    today = timezone.localdate()
    for days, values in ((70, (3, 4)), (10, (6, 7))):
        rating_round = RatingRound.objects.create(
            plan=plan, held_on=today - dt.timedelta(days=days), recorded_by=caseworker
        )
        for rater, value in zip(("Mor", "Far"), values, strict=True):
            Rating.objects.create(
                round=rating_round, goal=school, rater_kind="parent", rater_name=rater, value=value
            )
    NetworkMember.objects.create(
        case=case,
        name="Mormor Grethe",
        relation="mormor",
        sector="relatives",
        circle=1,
        created_by=caseworker,
    )
    letter = letters.letter_start(measure=measure, user=therapist)
    sections = dict(letters.letter_latest_version(letter).sections)
    sections[LetterSection.COLLABORATION] = "Samarbejdet har været godt og åbent."
    letters.letter_update_draft(letter=letter, user=therapist, sections=sections)
    letters.letter_send_for_review(
        letter=letter,
        user=therapist,
        reviewers=list(letter.case.citizen.family_memberships.none())
        or [parent.family_memberships.get()],
        review_due_on=today + dt.timedelta(days=14),
    )
    return case, letter, parent


def fits_and_uses_plex(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, f"{page.url}: {width} px wide in a {inner} px window"
    page.evaluate("document.fonts.ready.then(() => true)")
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.family.replace(/\"/g, '') === 'IBM Plex Sans'"
        " && f.status === 'loaded').length"
    )
    assert loaded >= 1, "IBM Plex Sans is loaded from the app's static files"
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.replace('"', "").startswith("IBM Plex Sans"), family


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_family_portal_on_dkfds(live_server, browser, family, viewport):
    from playwright.sync_api import expect

    case, letter, parent = family
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(parent.username)
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}/familie/")

    # The front page: DKFDS's header with the municipality, the Kontakt box, an accordion.
    expect(page.locator(".header .authority-name")).to_have_text(MUNICIPALITY)
    expect(page.locator(".portal-authority__name")).to_have_text(MUNICIPALITY)
    expect(page.get_by_role("heading", level=1, name="Min familie")).to_be_visible()
    contact = page.locator(".contact-box")
    for text in ("Mette Kristensen", "72 36 40 10", "Mandag–torsdag kl. 9–12", "Louise Dam"):
        expect(contact).to_contain_text(text)
    support = page.get_by_role("button", name="Den støtte, I får")
    expect(support).to_have_attribute("aria-expanded", "false")
    support.click()
    expect(support).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_text(case.measures.get().purpose.splitlines()[0])).to_be_visible()
    fits_and_uses_plex(page)
    page.screenshot(path=str(ARTIFACTS / f"portal-home-{viewport}.png"), full_page=True)

    # The plan.
    page.goto(f"{live_server.url}/familie/sager/{case.pk}/plan/")
    expect(
        page.get_by_role("heading", level=3, name="Emma kommer i skole hver dag")
    ).to_be_visible()
    fits_and_uses_plex(page)
    page.screenshot(path=str(ARTIFACTS / f"portal-plan-{viewport}.png"), full_page=True)

    # The letter waiting for the parent: plain Danish, Danish numbers, whom to call.
    page.goto(f"{live_server.url}/familie/sager/{case.pk}/breve/{letter.pk}/")
    body = page.locator("main").inner_text()
    assert "3,5" in body and "3.5" not in body
    assert "Vi holdt op med at arbejde med målet" in body and "opgivet" not in body
    assert "Familiehuset, Familiehuset" not in body
    expect(page.locator("#afsnit-kontakt")).to_contain_text("Mandag–fredag kl. 8–9")
    expect(page.locator(".legal-note")).to_contain_text("Indsatsen er givet efter")
    fits_and_uses_plex(page)
    page.screenshot(path=str(ARTIFACTS / f"portal-letter-{viewport}.png"), full_page=True)

    # The network map.
    page.goto(f"{live_server.url}/familie/sager/{case.pk}/netvaerk/")
    expect(page.locator(".network-list")).to_contain_text("Mormor Grethe")
    fits_and_uses_plex(page)
    page.screenshot(path=str(ARTIFACTS / f"portal-network-{viewport}.png"), full_page=True)
    context.close()
