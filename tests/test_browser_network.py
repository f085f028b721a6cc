"""In real Chromium: at the kitchen table, the therapist puts a person on the child's network
map and sees them drawn on the map and in the list at once (htmx, no page reload), then moves
them closer with a button.

Runs against pytest-django's live server, like tests/test_browser_plan.py.
"""

import datetime as dt
import os

import pytest
from django.utils import timezone

from accounts.models import OrganisationUnit, Role
from cases.models import CaseStatus
from demo import factories as f
from network.models import NetworkMember
from tests.browser import ARTIFACTS, new_page

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def kitchen_table():
    authority = f.OrganisationUnitFactory(
        name="Børne- og Ungeafdelingen", kind=OrganisationUnit.Kind.AUTHORITY
    )
    provider = f.OrganisationUnitFactory(name="Familiehuset", kind=OrganisationUnit.Kind.PROVIDER)
    team = f.TeamFactory(unit=authority, name="Team Nord")
    house = f.TeamFactory(unit=provider, name="Familiehuset")
    caseworker = f.UserFactory(username="sagsbehandler", role=Role.CASEWORKER)
    therapist = f.UserFactory(username="familiebehandler", role=Role.THERAPIST, first_name="Sara")
    f.add_member(team, caseworker)
    f.add_member(house, therapist)
    eight_years_ago = timezone.localdate() - dt.timedelta(days=8 * 365)
    child = f.CitizenFactory(
        first_name="Emil", last_name="Kortsen", cpr=f.fictitious_cpr(eight_years_ago)
    )
    case = f.CaseFactory(owner=caseworker, team=team, status=CaseStatus.MEASURE, citizen=child)
    measure = f.MeasureFactory(case=case, provider_team=house)
    f.assign(measure, therapist)
    return case, therapist


def test_add_a_person_and_see_them_on_the_map(live_server, browser, kitchen_table):
    from playwright.sync_api import expect

    case, therapist = kitchen_table
    page = new_page(browser)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(therapist.username)
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_role("navigation", name="Sagens faner").get_by_role("link", name="Netværk").click()
    expect(page.get_by_role("heading", level=2, name="Netværk")).to_be_visible()
    page.evaluate("window.__samePage = true")

    page.locator("#ny-person-name").fill("Mormor Inge")
    page.locator("#ny-person-relation").fill("mormor")
    page.get_by_role("radio", name="Slægt", exact=True).check()
    page.get_by_role("radio", name="Tættest på", exact=True).check()
    page.get_by_role("button", name="Sæt på kortet").click()

    drawn = page.locator("svg.network-map g.member", has_text="Mormor Inge")
    expect(drawn).to_have_count(1)
    expect(page.locator("#netvaerk ul.members")).to_contain_text("Mormor Inge")
    assert page.evaluate("window.__samePage") is True
    member = NetworkMember.objects.get(case=case)
    assert (member.sector, member.circle) == ("relatives", 1)

    page.get_by_role("button", name="Længere væk – Mormor Inge").click()
    expect(page.locator("svg.network-map g.member[data-circle='2']")).to_have_count(1)
    member.refresh_from_db()
    assert member.circle == 2
    page.screenshot(path=str(ARTIFACTS / "network-map.png"), full_page=True)


# The smallest label of the map as the eye sees it: its font size times the drawing's scale.
SMALLEST_LABEL_PX = """() => {
  const svg = document.querySelector('svg.network-map');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('g.member text')]
    .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return Math.min(...sizes);
}"""


def test_the_map_on_a_phone(live_server, browser, kitchen_table):
    """At 390 px: the list of people first, the map drawn at a readable size (labels of at
    least 12 px) in a box that pans, "Vis hele kortet" fits it to the screen and back, and the
    page never scrolls sideways."""
    from network import services as network_services

    case, therapist = kitchen_table
    for name, sector, circle in (
        ("Mormor Inge", "relatives", 1),
        ("Lærer Jens Sørensen", "school", 2),
        ("Fodboldtræner Ali", "friends", 3),
        ("Far", "family", 1),
    ):
        network_services.network_member_add(
            case=case, user=case.owner, name=name, sector=sector, circle=circle
        )
    page = new_page(browser, width=390)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(therapist.username)
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/sager/{case.pk}/netvaerk/")

    list_top = page.locator("#netvaerk .network-list").bounding_box()["y"]
    map_top = page.locator("#netvaerk div.network-map").bounding_box()["y"]
    assert list_top < map_top, "the list comes before the map on a phone"
    assert page.evaluate(SMALLEST_LABEL_PX) >= 12
    fits = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(fits)
    page.locator("#netvaerk div.network-map").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "network-map-phone.png"))

    whole = page.get_by_role("button", name="Vis hele kortet")
    whole.click()
    assert whole.get_attribute("aria-pressed") == "true"
    box = page.locator("#netvaerk div.network-map").bounding_box()
    assert page.locator("svg.network-map").bounding_box()["width"] <= box["width"] + 0.5
    assert page.evaluate(fits)
    page.screenshot(path=str(ARTIFACTS / "network-map-phone-whole.png"))
    whole.click()
    assert whole.get_attribute("aria-pressed") == "false"
    assert page.evaluate(SMALLEST_LABEL_PX) >= 12
