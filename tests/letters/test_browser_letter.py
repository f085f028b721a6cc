"""In real Chromium, end to end: the assigned therapist starts the closing status letter on the
Indsatser tab, writes it and sends it to the mother for review; she comments on a section; the
therapist revises and sends it again; she sees what changed and approves; the letter is
rendered and she downloads the PDF from the family portal.

The rendering task runs in-process here (``render_closing_letter.delay`` is replaced by the
task's body, after the approving transaction commits, as Celery's eager mode would);
tests/letters/test_letter_worker.py runs it in a real worker.
"""

import datetime as dt
import os
import re

import pytest
from django.utils import timezone

from access.models import AccessLogEntry
from accounts.models import OrganisationUnit, Role
from cases.models import CaseStatus
from demo import factories as f
from letters.models import ClosingLetter, ClosingLetterComment
from tests.browser import ARTIFACTS, new_page

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def setting(settings, tmp_path, monkeypatch):
    """A case with a measure; the therapist is assigned; the mother has a family login."""
    from letters import tasks

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(tasks.render_closing_letter, "delay", tasks.letter_render_once)
    authority = f.OrganisationUnitFactory(
        name="Børne- og Ungeafdelingen", kind=OrganisationUnit.Kind.AUTHORITY
    )
    provider = f.OrganisationUnitFactory(name="Familiehuset", kind=OrganisationUnit.Kind.PROVIDER)
    team = f.TeamFactory(unit=authority, name="Team Nord")
    house = f.TeamFactory(unit=provider, name="Familiehuset")
    caseworker = f.UserFactory(username="sagsbehandler", role=Role.CASEWORKER)
    f.add_member(team, caseworker)
    therapist = f.UserFactory(
        username="behandler", role=Role.THERAPIST, first_name="Lene", last_name="Bak"
    )
    f.add_member(house, therapist)
    mother = f.UserFactory(username="mor", role=Role.FAMILY, first_name="Anne")
    eight_years_ago = timezone.localdate() - dt.timedelta(days=8 * 365)
    child = f.CitizenFactory(
        first_name="Ida", last_name="Brevsen", cpr=f.fictitious_cpr(eight_years_ago)
    )
    case = f.CaseFactory(owner=caseworker, team=team, status=CaseStatus.MEASURE, citizen=child)
    measure = f.MeasureFactory(case=case, provider_team=house)
    f.assign(measure, therapist)
    f.family_with_child(child, mother)
    return case, therapist, mother


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(user.username)
    page.get_by_label("Adgangskode").fill(f.PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()


def send_for_review(page) -> None:
    page.get_by_role("button", name="Gem og vælg hvem der skal læse brevet").click()
    page.get_by_label("Jeg har læst brevet igennem, og det kan sendes til familien").check()
    page.get_by_role("button", name="Send til familien").click()
    page.wait_for_load_state()


def test_the_letter_from_first_draft_to_the_familys_pdf(live_server, browser, setting):
    from playwright.sync_api import expect

    case, therapist, mother = setting

    # --- the therapist starts and writes the letter ----------------------------------------
    staff = new_page(browser)
    log_in(staff, live_server, therapist)
    staff.goto(f"{live_server.url}{case.get_absolute_url()}indsatser/")
    staff.get_by_role("button", name=re.compile("Skriv statusskrivelse")).click()
    staff.get_by_label("Samarbejdet med familien").fill(
        "Vi har samarbejdet godt.\nMor har været med til alle møder."
    )
    send_for_review(staff)
    letter = ClosingLetter.objects.get(case=case)
    assert letter.status == ClosingLetter.Status.IN_REVIEW

    # --- the mother comments on a section ---------------------------------------------------
    family = new_page(browser)
    log_in(family, live_server, mother)
    family.goto(f"{live_server.url}/familie/")
    expect(family.get_by_role("heading", name="Breve til gennemsyn")).to_be_visible()
    family.get_by_role("link", name=re.compile("^Læs brevet")).click()
    section = family.locator("#afsnit-collaboration")
    expect(section).to_contain_text("Mor har været med til alle møder.")
    section.get_by_text("Kommentér »Samarbejdet med familien«").click()
    section.get_by_label("Din kommentar").fill("Far var også med til to af møderne.")
    section.get_by_role("button", name="Send kommentar").click()
    expect(family.get_by_text("Din kommentar er sendt til behandleren.")).to_be_visible()
    comment = ClosingLetterComment.objects.get()
    assert comment.section == "collaboration"

    # --- the therapist revises and sends it again ---------------------------------------------
    staff.goto(f"{live_server.url}/sager/{case.pk}/statusskrivelser/{letter.pk}/")
    expect(staff.get_by_text("Far var også med til to af møderne.")).to_be_visible()
    staff.get_by_role("button", name="Lav en ny version").click()
    staff.get_by_label("Samarbejdet med familien").fill(
        "Vi har samarbejdet godt.\nMor og far har været med til møderne."
    )
    send_for_review(staff)
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.IN_REVIEW
    assert letter.versions.count() == 2

    # --- the mother sees what changed and approves --------------------------------------------
    family.reload()
    changes = family.locator("section[aria-labelledby=changes-heading]")
    expect(changes).to_contain_text("Tilføjet: Mor og far har været med til møderne.")
    expect(changes).to_contain_text("Fjernet: Mor har været med til alle møder.")
    expect(family.get_by_text("Dine tidligere kommentarer")).to_be_visible()
    family.locator("#godkend").get_by_role("button", name="Godkend brevet").click()
    expect(family.get_by_role("heading", level=1, name="Godkend brevet")).to_be_visible()
    approve = family.get_by_role("button", name="Ja, godkend og send brevet")
    approve.click()  # without the confirmation nothing happens
    expect(family.get_by_role("alert")).to_contain_text("Sæt kryds")
    family.get_by_label("Jeg har læst brevet og godkender, at det sendes som det står.").check()
    approve.click()
    # The task ran when the approval committed: the letter is rendered and sent.
    expect(family.get_by_text("Du har godkendt brevet.", exact=False)).to_be_visible()
    letter.refresh_from_db()
    assert letter.status == ClosingLetter.Status.SENT, letter.status
    family.reload()
    expect(family.get_by_role("heading", name="Brevet er sendt")).to_be_visible()
    expect(family.get_by_text(re.compile("Godkendt af Anne"))).to_be_visible()
    family.screenshot(path=str(ARTIFACTS / "letter-family-sent.png"), full_page=True)

    # --- the PDF, from the page's own session --------------------------------------------------
    link = family.get_by_role("link", name="Hent brevet som PDF")
    href = link.get_attribute("href")
    response = family.request.get(f"{live_server.url}{href}")
    assert response.ok
    assert response.body().startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(
        user=mother, target__contains="PDF hentet i familieportalen"
    ).exists()
    family.goto(f"{live_server.url}/familie/")
    expect(family.get_by_role("heading", name="Modtagne breve")).to_be_visible()
