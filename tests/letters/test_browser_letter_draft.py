"""In real Chromium: the therapist writes the closing letter and the draft is saved on the
server as she types (htmx, as the session form does); a reload half-way brings the text back
from the server. Runs against pytest-django's live server."""

import os
import re

import pytest
from django.urls import reverse

from accounts.models import OrganisationUnit, Role
from cases.models import CaseStatus
from demo import factories as f
from letters import services as letters
from letters.models import LetterSection
from tests.browser import ARTIFACTS, TIMEOUT_MS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = "Vi har mødtes hver tirsdag, og familien har selv foreslået de næste skridt."


@pytest.fixture
def letter():
    authority = f.OrganisationUnitFactory(
        name="Børne- og Ungeafdelingen", kind=OrganisationUnit.Kind.AUTHORITY
    )
    provider = f.OrganisationUnitFactory(name="Familiehuset", kind=OrganisationUnit.Kind.PROVIDER)
    team = f.TeamFactory(unit=authority, name="Team Nord")
    house = f.TeamFactory(unit=provider, name="Familiehuset")
    caseworker = f.UserFactory(username="sagsbehandler", role=Role.CASEWORKER)
    f.add_member(team, caseworker)
    therapist = f.UserFactory(username="behandler", role=Role.THERAPIST)
    f.add_member(house, therapist)
    case = f.CaseFactory(owner=caseworker, team=team, status=CaseStatus.MEASURE)
    measure = f.MeasureFactory(case=case, provider_team=house)
    f.assign(measure, therapist)
    f.family_with_child(case.citizen)
    return letters.letter_start(measure=measure, user=therapist), therapist


def test_the_letter_draft_is_saved_while_typing_and_survives_a_reload(live_server, browser, letter):
    from playwright.sync_api import expect

    closing_letter, therapist = letter
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="da-DK")
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(therapist.username)
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()

    page.goto(
        live_server.url
        + reverse("letters:closing_letter_edit", args=[closing_letter.case_id, closing_letter.pk])
    )
    field = page.get_by_label("Samarbejdet med familien")
    field.fill(TEXT)
    status = page.locator("#letter-status")
    expect(status).to_contain_text(re.compile(r"Kladde gemt \d\d:\d\d"))
    expect(status).to_have_attribute("aria-live", "polite")
    page.wait_for_function(
        "() => !document.querySelector('#letter-form.htmx-request')", timeout=TIMEOUT_MS
    )
    version = letters.letter_latest_version(closing_letter)
    assert version.sections[LetterSection.COLLABORATION] == TEXT  # on the server

    page.reload()
    expect(page.get_by_label("Samarbejdet med familien")).to_have_value(TEXT)
    page.screenshot(path=str(ARTIFACTS / "letter-draft-desktop.png"), full_page=True)
    page.context.close()
