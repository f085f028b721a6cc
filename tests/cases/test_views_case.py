"""The pages of one case: each tab shows its data, each form works and refuses bad input."""

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from accounts.models import Role
from cases import deadlines as deadline_services
from cases import services
from cases.models import (
    Assessment,
    AssessmentArea,
    Case,
    CaseStatus,
    Deadline,
    Decision,
    FamilyMember,
    FamilyRelation,
    HoursStep,
    JournalNote,
    LegalBasis,
    Measure,
    Notification,
)
from demo import factories as f
from tests.cases.test_case_access import PATTERNS, objects, url_for  # noqa: F401 (fixture)

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def url(name: str, case, **kwargs) -> str:
    return reverse(f"cases:{name}", kwargs={"case_id": case.pk, **kwargs})


def new_decision(case, kind: str, measure=None) -> str:
    """The address of a new decision of ``kind`` (on ``measure``), as the pages link to it."""
    address = f"{url('decision_create', case)}?art={kind}"
    return address + (f"&indsats={measure.pk}" if measure is not None else "")


def in_html(address: str) -> str:
    return address.replace("&", "&amp;")


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime(DATETIME_LOCAL)


def received(case, *, hours_ago: float = 1, **kwargs) -> Notification:
    """A notification registered through the service, so its deadlines exist."""
    return services.notification_register(
        user=case.owner,
        citizen=case.citizen,
        received_at=timezone.now() - dt.timedelta(hours=hours_ago),
        reporter_kind=kwargs.pop("reporter_kind", Notification.ReporterKind.PROFESSIONAL),
        reporter_name=kwargs.pop("reporter_name", "Lærer Hansen"),
        reporter_organisation=kwargs.pop("reporter_organisation", "Kirkebakkeskolen"),
        concern=kwargs.pop("concern", "Barnet kommer ofte sultent i skole."),
        **kwargs,
    )


def deadline(case, code: str) -> Deadline:
    return Deadline.objects.filter(case=case, rule__code=code).latest("id")


@pytest.fixture
def owner(login, personas):
    return login(personas.owner)


# --- header ------------------------------------------------------------------------------------


def test_header_on_every_tab(case, owner):
    for name in ("case_detail", "case_family", "case_journal", "case_access_log"):
        page = html(owner.get(url(name, case)))
        assert case.citizen.full_name in page
        assert case.citizen.cpr_masked in page
        assert case.number in page
        assert "badge--measure" in page and "Indsats" in page
        assert str(case.owner) in page and case.team.name in page
        assert 'aria-current="page"' in page
        assert f"{case.citizen.age} år" in page


def test_tab_nav_marks_the_current_tab(case, owner):
    page = html(owner.get(url("case_journal", case)))
    current = re.findall(r'<a id="tab-(\w+)"[^>]*aria-current="page"', page)
    assert current == ["journal"]


def test_htmx_tab_switch_returns_only_the_tab(case, owner):
    response = owner.get(url("case_measures", case), HTTP_HX_REQUEST="true")
    page = html(response)
    assert "<html" not in page and 'class="case-header"' not in page
    assert 'id="tab-measures"' in page and "<title>" in page
    assert "HX-Request" in response["Vary"]
    # A history restore needs the whole page.
    page = html(
        owner.get(
            url("case_measures", case),
            HTTP_HX_REQUEST="true",
            HTTP_HX_HISTORY_RESTORE_REQUEST="true",
        )
    )
    assert "<html" in page
    # Without htmx: the whole page.
    assert "<html" in html(owner.get(url("case_measures", case)))


# --- overview ----------------------------------------------------------------------------------


def test_overview_shows_deadlines_and_the_state_of_the_case(case, personas, login):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.NOTIFICATION)  # a new concern
    overdue = received(case, hours_ago=30, concern="Ældre bekymring om fravær.")
    latest = received(case, hours_ago=0, concern="Ny bekymring: blå mærker på armen.")
    # The older notification's acute judgement was made, but late.
    services.notification_judge_acute(
        notification=overdue, user=personas.owner, outcome="none", note="Set barnet."
    )
    Deadline.objects.filter(notification=latest, rule__code="receipt").update(
        handled_otherwise_at=timezone.now(),
        handled_otherwise_reason="Underretteren ringede selv og fik kvittering mundtligt.",
        handled_by=personas.owner,
    )
    services.assessment_start(
        case=case, user=personas.owner, kind="child_assessment", started_on=timezone.localdate()
    )
    for i in range(4):
        f.JournalNoteFactory(case=case, text=f"Notat nummer {i}")

    page = html(login(personas.owner).get(url("case_detail", case)))

    assert "Vurdering af behov for akut hjælp" in page
    assert "Barnets Lov §§ 136–137" in page
    assert "Opfyldt" in page and "Akut vurdering registreret" in page and "for sent" in page
    assert "Håndteret på anden vis" in page
    assert "Underretteren ringede selv og fik kvittering mundtligt." in page
    assert "Børnefaglig undersøgelse afsluttet" in page and "Åben" in page
    assert "Ny bekymring: blå mærker på armen." in page  # the latest notification's concern
    assert "Ældre bekymring om fravær." not in page
    assert "Børnefaglig undersøgelse (Barnets Lov § 20)" in page  # running assessment
    assert "Barnets Lov § 32, stk. 1, nr. 2" in page  # active measure
    assert str(personas.therapist) in page
    assert "Notat nummer 3" in page and "Notat nummer 1" in page
    assert "Notat nummer 0" not in page  # only the 3 latest
    # Next actions for the owner.
    assert url("notification_acute", case, notification_id=latest.pk) in page
    assert new_decision(case, "measure_order") in page
    assert url("case_close", case) in page


def test_overview_marks_an_overdue_deadline_in_words(case, personas, login):
    received(case, hours_ago=30)
    page = html(login(personas.owner).get(url("case_detail", case)))
    assert 'class="overdue"' in page and "Overskredet" in page


def test_the_therapist_sees_the_order_not_the_authority_file(case, personas, login):
    """The provider works from the order (bestilling) of its measures: no notification, no
    reporter, no journal, no other measure, and no tab to the authority's file."""
    notification = received(case)
    notification.reporter_name = "Hemmelig Underretter"
    notification.save()
    other = f.MeasureFactory(case=case, purpose="En anden leverandørs indsats")
    page = html(login(personas.therapist).get(url("case_detail", case)))
    assert "Bestilling" in page
    mine = case.measures.exclude(pk=other.pk).get()
    assert mine.purpose in page and other.purpose not in page
    for secret in ("Hemmelig Underretter", notification.concern, JournalNote.objects.get().text):
        assert secret not in page
    for tab in ("case_notifications", "case_assessment", "case_journal", "case_access_log"):
        assert url(tab, case) not in page
    assert url("case_cpr", case) not in page  # no way to the full CPR number either
    assert url("case_cpr", case) in html(login(personas.owner).get(url("case_detail", case)))
    assert url("case_close", case) not in page
    assert "art=measure_order" not in page
    assert url("notification_acute", case, notification_id=notification.pk) not in page
    measures = html(login(personas.therapist).get(url("case_measures", case)))
    assert mine.purpose in measures and other.purpose not in measures


def test_closed_case_offers_reopen(case, personas, login):
    services.measure_end(measure=case.measures.get(), ended_on=timezone.localdate())
    services.case_close(case=case, user=personas.owner, reason="Forløbet er afsluttet.")
    page = html(login(personas.owner).get(url("case_detail", case)))
    assert url("case_reopen", case) in page
    assert url("case_close", case) not in page
    assert "Forløbet er afsluttet." in page


# --- family ------------------------------------------------------------------------------------


def test_family_tab_shows_members_relations_and_only_visible_siblings_linked(case, personas, login):
    family = FamilyMember.objects.get(citizen=case.citizen).family
    child = FamilyMember.objects.get(citizen=case.citizen)
    FamilyMember.objects.filter(family=family, is_child=False).update(
        phone="20 30 40 50", email="forælder@example.dk"
    )
    seen = f.CaseFactory(owner=personas.owner, team=case.team)  # the owner sees this sibling
    hidden = f.CaseFactory(owner=personas.colleague)  # on another team: not visible
    for sibling_case in (seen, hidden):
        member = FamilyMember.objects.create(
            family=family, citizen=sibling_case.citizen, is_child=True
        )
        FamilyRelation.objects.create(member=member, child=child, kind=FamilyRelation.Kind.SIBLING)

    page = html(login(personas.owner).get(url("case_family", case)))

    assert family.name in page
    assert "Forælder med forældremyndighed" in page
    assert "20 30 40 50" in page and "forælder@example.dk" in page
    assert "Søskende" in page
    assert seen.get_absolute_url() in page
    assert hidden.citizen.full_name in page
    assert hidden.get_absolute_url() not in page
    assert "Barnet selv" in page
    for other in (seen, hidden):
        assert other.citizen.cpr not in page


# --- notifications -----------------------------------------------------------------------------


def test_notifications_tab(case, personas, login):
    judged = received(case, hours_ago=5, concern="Forældrene skændes højlydt om natten.")
    services.notification_judge_acute(
        notification=judged,
        user=personas.owner,
        outcome=Notification.AcuteOutcome.NO_ACUTE_NEED,
        note="Talt med mor, barnet er trygt.",
    )
    services.notification_send_receipt(notification=judged, user=personas.owner)
    private = received(
        case,
        hours_ago=1,
        reporter_kind=Notification.ReporterKind.PRIVATE,
        reporter_name="Nabo",
        reporter_organisation="",
    )

    page = html(login(personas.owner).get(url("case_notifications", case)))

    assert "Forældrene skændes højlydt om natten." in page
    assert "Fagperson" in page and "Kirkebakkeskolen" in page
    assert "Intet akut behov" in page and "Talt med mor, barnet er trygt." in page
    assert str(personas.owner) in page
    assert "Sendt" in page
    assert "Privatperson" in page and "Nabo" in page
    assert "Der sendes kun kvittering, når en fagperson har underrettet." in page
    assert url("notification_acute", case, notification_id=private.pk) in page
    assert url("notification_acute", case, notification_id=judged.pk) not in page


# --- assessment --------------------------------------------------------------------------------


def test_assessment_tab(case, personas, login):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.NOTIFICATION)
    received(case)
    assessment = services.assessment_start(
        case=case,
        user=personas.owner,
        kind=Assessment.Kind.CHILD_ASSESSMENT,
        started_on=timezone.localdate() - dt.timedelta(days=20),
    )
    services.assessment_finish(
        assessment=assessment,
        user=personas.owner,
        finished_on=timezone.localdate(),
        **f.assessment_content(timezone.localdate())
        | {
            "conclusion": "Familien har brug for praktisk støtte.",
            "parents_view": "Mor ønsker hjælp til morgenerne.",
            "child_view": "Barnet vil gerne have ro om aftenen.",
        },
    )

    page = html(login(personas.owner).get(url("case_assessment", case)))

    assert "Børnefaglig undersøgelse (Barnets Lov § 20)" in page
    assert "Familien har brug for praktisk støtte." in page
    assert "Mor ønsker hjælp til morgenerne." in page
    assert "Barnet vil gerne have ro om aftenen." in page
    assert "Børnefaglig undersøgelse afsluttet" in page  # the legal deadline
    assert "Barnets Lov § 20, stk. 3" in page
    assert "Undersøgelse afsluttet" in page  # met by
    assert url("assessment_start", case) in page  # none running: a new one may start


# --- measures ----------------------------------------------------------------------------------


def test_measures_tab_shows_legal_basis_and_the_hours_taper(case, personas, org, login):
    basis = LegalBasis.objects.get(code="bl-32-1-5")
    measure = services.measure_order(
        case=case,
        user=personas.owner,
        legal_basis=basis,
        purpose="Bedre samspil mellem mor og barn.",
        expected_duration_months=9,
        start_date=timezone.localdate(),
        planned_end_date=timezone.localdate() + dt.timedelta(days=270),
        provider_team=org.family_house,
        consent_given_on=timezone.localdate(),
        therapists=[personas.other_therapist],
        hours_steps=[(4, Decimal("6")), (8, Decimal("2.5")), (None, Decimal("2"))],
    )

    page = html(login(personas.owner).get(url("case_measures", case)))

    assert "Barnets Lov § 32, stk. 1, nr. 5" in page
    assert "Familiebehandling eller behandling af barnet eller den unge" in page
    assert "Serviceloven § 52, stk. 3, nr. 3" in page
    assert "Bedre samspil mellem mor og barn." in page
    assert "9 måneder" in page
    assert str(personas.other_therapist) in page and org.family_house.name in page
    steps = ["6 t/uge i 4 uger", "2,5 t/uge i 8 uger", "2 t/uge resten af forløbet"]
    positions = [page.index(s) for s in steps]
    assert positions == sorted(positions)
    assert in_html(new_decision(case, "measure_end", measure)) in page
    assert in_html(new_decision(case, "measure_change", measure)) in page


# --- journal -----------------------------------------------------------------------------------


def test_journal_is_newest_first_and_paginated(case, owner):
    JournalNote.objects.filter(case=case).delete()
    for i in range(30):
        f.JournalNoteFactory(case=case, text=f"Notat {i:02d}")

    first = html(owner.get(url("case_journal", case)))
    assert first.count('<article class="note') == 25
    assert first.index("Notat 29") < first.index("Notat 28")
    assert "Notat 04" not in first
    assert "Side 1 af 2" in first

    second = html(owner.get(url("case_journal", case) + "?page=2"))
    assert second.count('<article class="note') == 5
    assert "Notat 04" in second and "Notat 00" in second
    assert 'data-autosave="journal-' in first and "data-autosave-note" in first


def test_corrected_note_is_struck_through_and_linked(case, personas, owner):
    original = JournalNote.objects.get(case=case)
    correction = services.journal_note_correct(
        note=original, author=personas.owner, text="Den rettede tekst."
    )
    page = html(owner.get(url("case_journal", case)))
    article = page[page.index(f'id="notat-{original.pk}"') :]
    article = article[: article.index("</article>")]
    assert "note--corrected" in page and "<del>" in article
    assert f"Rettet af {personas.owner}" in article
    assert f"notat={correction.pk}#notat-{correction.pk}" in article
    assert "Den rettede tekst." in page


def test_link_to_a_note_opens_its_page(case, owner):
    JournalNote.objects.filter(case=case).delete()
    notes = [f.JournalNoteFactory(case=case, text=f"Notat {i:02d}") for i in range(30)]
    page = html(owner.get(url("case_journal", case) + f"?notat={notes[0].pk}"))
    assert "Side 2 af 2" in page and f'id="notat-{notes[0].pk}"' in page


@pytest.mark.parametrize("note", ["²", "abc", "-1", "99999999999999999999"])
def test_a_note_link_that_is_not_a_note_opens_the_first_page(note, case, owner):
    # "²".isdigit() is true, but int("²") fails: found by tests/property.
    response = owner.get(url("case_journal", case) + f"?notat={note}")
    assert response.status_code == 200


# --- access log --------------------------------------------------------------------------------


def test_access_log_tab_shows_this_visit_first_and_earlier_visits(case, personas, login):
    login(personas.team_lead).get(url("case_journal", case))
    login(personas.therapist).get(url("case_detail", case))

    page = html(login(personas.owner).get(url("case_access_log", case)))

    rows = re.findall(r"<tr>(.*?)</tr>", page[page.index("<tbody>") :], flags=re.S)
    assert personas.owner.username in rows[0] and "Adgangslog" in rows[0]
    assert "Visning" in rows[0]
    assert personas.team_lead.username in page and "Journal" in page
    assert personas.therapist.username in page
    assert personas.therapist.get_full_name() in page
    # Only team leads and administrators get the export links.
    assert url("access_log_export", case) not in page
    assert url("access_log_export", case) in html(
        login(personas.team_lead).get(url("case_access_log", case))
    )


def test_access_log_tab_shows_refused_attempts(case, personas, login):
    login(personas.colleague).get(url("case_detail", case))
    page = html(login(personas.owner).get(url("case_access_log", case)))
    assert "Afvist adgang" in page and personas.colleague.username in page


def test_access_log_is_paginated_by_50(case, personas, login):
    client = login(personas.owner)
    for _ in range(55):
        client.get(url("case_family", case))
    page = html(client.get(url("case_access_log", case)))
    assert page[page.index("<tbody>") :].count("<tr>") == 50
    assert "Side 1 af 2" in page


def test_access_log_export_json_and_csv(case, personas, login):
    client = login(personas.team_lead)
    client.get(url("case_detail", case))

    response = client.get(url("access_log_export", case) + "?format=json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert case.citizen.cpr not in response["Content-Disposition"]
    rows = json.loads(response.content)
    assert {r["action"] for r in rows} >= {"view", "export"}
    assert all(r["citizen_id"] == str(case.citizen_id) for r in rows)

    response = client.get(url("access_log_export", case) + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert table[-1]["action"] == "export" and table[-1]["user"] == personas.team_lead.username
    assert (
        AccessLogEntry.objects.filter(case=case, user=personas.team_lead, action="export").count()
        == 2
    )


# --- CPR ---------------------------------------------------------------------------------------


def test_full_cpr_never_appears_in_any_page_or_url(case, objects, personas, login):  # noqa: F811
    cpr, shown = case.citizen.cpr, case.citizen.cpr_display
    client = login(personas.team_lead)
    for pattern in PATTERNS:
        address = url_for(pattern, case, objects)
        assert cpr not in address and shown not in address
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get(address, **headers)
            assert response.status_code == 200, pattern.name
            body = response.content.decode()
            assert cpr not in body and shown not in body, pattern.name
            if pattern.name != "access_log_export":
                assert case.citizen.cpr_masked in body or headers, pattern.name
    targets = AccessLogEntry.objects.filter(case=case).values_list("target", flat=True)
    assert not any(cpr in t or shown in t for t in targets)


def test_revealing_the_cpr_number_is_a_logged_post(case, personas, login):
    client = login(personas.owner)
    page = html(client.get(url("case_cpr", case)))
    assert case.citizen.cpr_display not in page

    page = html(client.post(url("case_cpr", case)))
    assert case.citizen.cpr_display in page
    assert AccessLogEntry.objects.filter(
        case=case, user=personas.owner, action="view", target="CPR vist"
    ).exists()

    fragment = html(client.post(url("case_cpr", case), HTTP_HX_REQUEST="true"))
    assert "<html" not in fragment and case.citizen.cpr_display in fragment


# --- forms: happy paths ------------------------------------------------------------------------


def test_acute_judgement_meets_the_deadline(case, personas, owner):
    notification = received(case, hours_ago=3)
    address = url("notification_acute", case, notification_id=notification.pk)
    assert "Resultat af vurderingen" in html(owner.get(address))

    response = owner.post(
        address,
        {
            "outcome": Notification.AcuteOutcome.ACUTE_ACTION,
            "note": "Barnet anbragt akut hos moster.",
            "judged_at": local_input(timezone.now() - dt.timedelta(hours=1)),
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0].endswith(f"#underretning-{notification.pk}")
    assert "Den akutte vurdering er registreret." in response.content.decode()
    notification.refresh_from_db()
    assert notification.acute_outcome == "action"
    assert notification.acute_judged_by == personas.owner
    met = deadline(case, "acute_judgement")
    assert met.met_at is not None and met.met_by_event == "Akut vurdering registreret"


def test_acute_judgement_in_the_same_minute_as_the_notification(case, owner):
    moment = timezone.now().replace(second=20, microsecond=0)
    with time_machine.travel(moment, tick=False):
        notification = received(case, hours_ago=0)
    with time_machine.travel(moment + dt.timedelta(seconds=30), tick=False):
        response = owner.post(
            url("notification_acute", case, notification_id=notification.pk),
            {"outcome": "none", "note": "Ingen akut fare.", "judged_at": local_input(moment)},
        )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.acute_judged_at >= notification.received_at


def test_receipt(case, personas, owner):
    notification = received(case, hours_ago=3)
    address = url("notification_receipt", case, notification_id=notification.pk)
    assert "Registrér kvitteringen som sendt" in html(owner.get(address))
    response = owner.post(address, {"sent_at": local_input(timezone.now())})
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.receipt_sent_at is not None
    assert notification.receipt_sent_by == personas.owner
    assert deadline(case, "receipt").met_at is not None


# Only a børnefaglig undersøgelse (Barnets Lov § 20) meets the 4-month deadline, not an
# afdækning (§ 19).
@pytest.mark.parametrize(("kind", "meets"), [("clarification", False), ("child_assessment", True)])
def test_start_and_finish_assessment(case, personas, owner, kind, meets):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.NOTIFICATION)
    received(case)
    response = owner.post(
        url("assessment_start", case),
        {"kind": kind, "started_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(case=case)
    assert assessment.kind == kind
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT

    response = owner.post(
        url("assessment_finish", case, assessment_id=assessment.pk),
        {
            "finished_on": timezone.localdate().isoformat(),
            "conclusion": "Ingen yderligere bekymring.",
            "parents_view": "Enige.",
            "child_view": "Glad for skolen.",
            "conversation_on": timezone.localdate().isoformat(),
            "conversation_place": "På skolen",
            # A børnefaglig undersøgelse describes every area (clarification has no areas).
            **{
                f"{area}_{side}": "Beskrevet."
                for area in AssessmentArea.Area.values
                for side in ("resources", "concerns")
            },
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assessment.refresh_from_db()
    assert assessment.finished_on == timezone.localdate()
    assert assessment.child_view == "Glad for skolen."
    assert (deadline(case, "assessment").met_at is not None) is meets


def measure_payload(org, personas, **overrides):
    """A draft decision ordering a measure, as the form posts it."""
    today = timezone.localdate()
    data = {
        "art": "measure_order",
        "legal_basis": LegalBasis.objects.get(code="bl-32-1-2").pk,
        "purpose": "Faste rutiner om morgenen.",
        "expected_duration_months": "6",
        "start_date": today.isoformat(),
        "planned_end_date": (today + dt.timedelta(days=180)).isoformat(),
        "provider_team": org.family_house.pk,
        "therapists": [personas.other_therapist.pk],
        "consent_given_on": today.isoformat(),
        "hours_1": "6",
        "weeks_1": "4",
        "hours_2": "4",
        "weeks_2": "8",
        "hours_3": "2",
        "weeks_3": "",
        "hours_4": "",
        "weeks_4": "",
        "consents": "Mor, mundtligt på mødet.",
        "conversation_on": today.isoformat(),
        "conversation_place": "Hjemme",
        "acting_first_ground": "Akut behov; undersøgelsen gennemføres sideløbende.",
    }
    data.update(overrides)
    return {k if k == "art" else f"decision-{k}": v for k, v in data.items()}


def make_decision(owner, case, decision) -> Any:
    return owner.post(
        url("decision_make", case, decision_id=decision.pk),
        {
            "decide-reasons": "Barnet har brug for faste rutiner (Barnets Lov § 32).",
            "decide-acting_first_ground": decision.acting_first_ground,
        },
    )


def test_order_measure_with_taper_gives_the_therapist_access(case, personas, org, login):
    """A measure is ordered by a decision: the draft carries its terms, and only when the
    decision is made is the measure ordered and the therapist given access."""
    therapist = login(personas.other_therapist)
    assert therapist.get(url("case_detail", case)).status_code == 404
    owner = login(personas.owner)

    page = html(owner.get(new_decision(case, "measure_order")))
    assert "Barnets Lov § 32, stk. 1, nr. 2 – Praktisk, pædagogisk eller anden støtte i " in page
    assert "(tidl. Serviceloven § 52, stk. 3, nr. 2)" in page
    assert str(personas.other_therapist) in page

    before = set(Measure.objects.filter(case=case).values_list("pk", flat=True))
    response = owner.post(url("decision_create", case), measure_payload(org, personas))
    assert response.status_code == 302
    decision = Decision.objects.get(case=case, kind=Decision.Kind.MEASURE_ORDER)
    assert response["Location"] == decision.get_absolute_url()
    # A draft orders nothing.
    assert set(Measure.objects.filter(case=case).values_list("pk", flat=True)) == before
    assert therapist.get(url("case_detail", case)).status_code == 404
    page = html(owner.get(decision.get_absolute_url()))
    assert "Faste rutiner om morgenen." in page and "6 måneder" in page

    assert make_decision(owner, case, decision).status_code == 302
    decision.refresh_from_db()
    measure = decision.measure
    assert measure is not None and measure.pk not in before
    assert measure.decided_at == decision.decided_at
    assert list(measure.therapists.all()) == [personas.other_therapist]
    assert list(measure.hours_steps.values_list("weeks", "hours_per_week")) == [
        (4, Decimal("6")),
        (8, Decimal("4")),
        (None, Decimal("2")),
    ]
    assert therapist.get(url("case_detail", case)).status_code == 200


def test_end_measure_through_a_decision(case, personas, owner):
    measure = case.measures.get()
    page = html(owner.get(new_decision(case, "measure_end", measure)))
    assert "Indsatsen afsluttes, når afgørelsen er truffet." in page
    response = owner.post(
        url("decision_create", case),
        {
            "art": "measure_end",
            "decision-measure": measure.pk,
            "decision-ends_on": timezone.localdate().isoformat(),
            "decision-conversation_not_held_reason": "Barnet ønskede ikke en samtale.",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(case=case, kind=Decision.Kind.MEASURE_END)
    measure.refresh_from_db()
    assert measure.ended_on is None  # the draft ends nothing

    assert make_decision(owner, case, decision).status_code == 302
    measure.refresh_from_db()
    assert measure.ended_on == timezone.localdate()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSING


def test_add_note(case, personas, login):
    client = login(personas.owner)
    response = client.post(url("case_journal", case), {"text": "Hjemmebesøg: god stemning."})
    assert response.status_code == 302
    note = JournalNote.objects.filter(case=case).latest("created_at")
    assert note.text == "Hjemmebesøg: god stemning." and note.author == personas.owner
    page = html(client.get(response["Location"]))
    assert "Hjemmebesøg: god stemning." in page and "Journalnotatet er gemt." in page


def test_correct_note_keeps_the_original(case, personas, owner):
    original = JournalNote.objects.get(case=case)
    address = url("journal_note_correct", case, note_id=original.pk)
    page = html(owner.get(address))
    assert page.count(original.text) >= 2  # shown, and prefilled in the textarea

    response = owner.post(address, {"text": "Rettet: mødet var tirsdag."}, follow=True)

    correction = JournalNote.objects.get(corrects=original)
    assert correction.text == "Rettet: mødet var tirsdag."
    original.refresh_from_db()
    assert original.text  # never edited
    page = response.content.decode()
    assert f'id="notat-{correction.pk}"' in page
    assert "<del>" in page and "Rettet af" in page


def test_close_with_confirmation_then_reopen(case, personas, owner):
    services.measure_end(measure=case.measures.get(), ended_on=timezone.localdate())
    received(case)
    page = html(owner.get(url("case_close", case)))
    assert "Er du sikker?" in page
    assert "Sagen lukkes, og åbne frister markeres som håndteret" in page
    assert "Vurdering af behov for akut hjælp" in page  # the open deadlines it will handle
    case.refresh_from_db()
    assert case.is_open

    response = owner.post(url("case_close", case), {"reason": "Familien klarer sig selv."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closing_reason == "Familien klarer sig selv."
    assert not Deadline.objects.filter(case=case, met_at=None, handled_otherwise_at=None).exists()

    assert "Er du sikker?" in html(owner.get(url("case_reopen", case)))
    response = owner.post(url("case_reopen", case))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFICATION and case.reopened_at is not None


def test_deadline_handled_otherwise(case, personas, owner):
    received(case)
    target = deadline(case, "receipt")
    address = url("deadline_handle_otherwise", case, deadline_id=target.pk)
    assert "Kvittering til fagperson, der har underrettet" in html(owner.get(address))
    response = owner.post(address, {"reason": "Underretteren er orienteret mundtligt."})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.handled_otherwise_reason == "Underretteren er orienteret mundtligt."
    assert target.handled_by == personas.owner


# --- forms: bad input --------------------------------------------------------------------------


def refused(response, *messages: str) -> str:
    page = html(response)
    assert 'id="form-errors"' in page
    for message in messages:
        assert message in page, message
    return page


def test_acute_judgement_bad_input(case, owner):
    notification = received(case, hours_ago=3)
    address = url("notification_acute", case, notification_id=notification.pk)

    page = refused(
        owner.post(address, {"note": "Min egen tekst", "judged_at": ""}),
        "Vælg resultatet af vurderingen.",
        "Angiv hvornår vurderingen blev foretaget.",
    )
    assert "Min egen tekst" in page

    before = local_input(notification.received_at - dt.timedelta(hours=2))
    page = refused(
        owner.post(address, {"outcome": "none", "note": "Tekst", "judged_at": before}),
        "Vurderingen kan ikke ligge før modtagelsen.",
    )
    assert f'value="{before}"' in page and 'value="none"' in page and "checked" in page
    notification.refresh_from_db()
    assert notification.acute_judged_at is None
    assert deadline(case, "acute_judgement").met_at is None


def test_receipt_bad_input(case, owner):
    notification = received(case, hours_ago=3)
    address = url("notification_receipt", case, notification_id=notification.pk)
    too_early = local_input(notification.received_at - dt.timedelta(days=1))
    page = refused(
        owner.post(address, {"sent_at": too_early}),
        "Kvitteringen kan ikke være sendt før modtagelsen.",
    )
    assert too_early in page

    private = received(case, reporter_kind="private", reporter_organisation="")
    refused(
        owner.post(
            url("notification_receipt", case, notification_id=private.pk),
            {"sent_at": local_input(timezone.now())},
        ),
        "Der sendes kun kvittering til fagpersoner.",
    )
    assert not Notification.objects.filter(case=case, receipt_sent_at__isnull=False).exists()


def test_assessment_start_bad_input(case, owner):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    page = refused(
        owner.post(url("assessment_start", case), {"kind": "clarification", "started_on": future}),
        "Startdatoen kan ikke ligge i fremtiden.",
    )
    assert future in page
    refused(owner.post(url("assessment_start", case), {}), "Vælg typen af undersøgelse.")
    assert not Assessment.objects.filter(case=case).exists()


def test_assessment_finish_bad_input(case, personas, owner):
    assessment = services.assessment_start(
        case=case, user=personas.owner, kind="clarification", started_on=timezone.localdate()
    )
    page = refused(
        owner.post(
            url("assessment_finish", case, assessment_id=assessment.pk),
            {
                "finished_on": timezone.localdate().isoformat(),
                "conclusion": "   ",
                "parents_view": "Forældrenes ord bevares.",
            },
        ),
        "Skriv undersøgelsens konklusion.",
    )
    assert "Forældrenes ord bevares." in page
    assessment.refresh_from_db()
    assert assessment.finished_on is None


def test_measure_order_bad_input(case, personas, org, owner):
    before = Decision.objects.count()
    page = refused(
        owner.post(
            url("decision_create", case),
            measure_payload(org, personas, legal_basis="", weeks_2="7", start_date="31.02.2026"),
        ),
        "Vælg lovgrundlaget for indsatsen.",
        "Skriv datoen som dd.mm.åååå.",
    )
    assert 'value="7"' in page and 'value="6"' in page  # typed values kept
    assert re.search(rf'value="{personas.other_therapist.pk}"[^>]*checked', page)

    # A therapist outside the provider team: refused by the service, shown on the field.
    outsider = f.UserFactory(role=Role.THERAPIST)
    f.add_member(f.TeamFactory(unit=org.provider, name="Andet udførerteam"), outsider)
    refused(
        owner.post(
            url("decision_create", case),
            measure_payload(org, personas, therapists=[outsider.pk]),
        ),
        "er ikke med i det udførende team",
    )

    # Only the last step may be open-ended.
    refused(
        owner.post(url("decision_create", case), measure_payload(org, personas, weeks_1="")),
        "Kun det sidste trin kan stå uden antal uger",
    )
    refused(
        owner.post(
            url("decision_create", case), measure_payload(org, personas, hours_4="", weeks_4="3")
        ),
        "Angiv timer pr. uge for trinnet.",
    )
    assert Decision.objects.count() == before

    # A draft without its purpose and consent is saved, but not made.
    owner.post(
        url("decision_create", case),
        measure_payload(org, personas, purpose="", consent_given_on=""),
    )
    decision = Decision.objects.get(case=case, kind=Decision.Kind.MEASURE_ORDER)
    measures = Measure.objects.count()
    refused(
        make_decision(owner, case, decision),
        "Afgørelsen skal angive formålet med indsatsen.",
        "(Barnets Lov § 32, stk. 2)",
    )
    decision.refresh_from_db()
    assert not decision.is_decided and Measure.objects.count() == measures


def test_measure_end_bad_input(case, owner):
    measure = case.measures.get()
    early = (measure.start_date - dt.timedelta(days=5)).isoformat()
    page = refused(
        owner.post(
            url("decision_create", case),
            {"art": "measure_end", "decision-measure": measure.pk, "decision-ends_on": early},
        ),
        "Datoen ligger før indsatsens start",
    )
    assert early in page
    assert not Decision.objects.filter(case=case).exists()
    measure.refresh_from_db()
    assert measure.ended_on is None


def test_note_bad_input(case, owner):
    count = JournalNote.objects.count()
    refused(owner.post(url("case_journal", case), {"text": "   "}), "Notatet er tomt.")
    original = JournalNote.objects.get(case=case)
    refused(
        owner.post(url("journal_note_correct", case, note_id=original.pk), {"text": ""}),
        "Rettelsen er tom.",
    )
    assert JournalNote.objects.count() == count


def test_correcting_a_corrected_note_is_refused(case, personas, owner):
    original = JournalNote.objects.get(case=case)
    services.journal_note_correct(note=original, author=personas.owner, text="Første rettelse.")
    page = refused(
        owner.post(
            url("journal_note_correct", case, note_id=original.pk), {"text": "Anden rettelse."}
        ),
        "Notatet er allerede rettet.",
    )
    assert "Anden rettelse." in page
    assert JournalNote.objects.filter(case=case).count() == 2


def test_close_bad_input(case, owner):
    refused(owner.post(url("case_close", case), {"reason": ""}), "Skriv en begrundelse")
    page = refused(
        owner.post(url("case_close", case), {"reason": "Min begrundelse."}),
        "Afslut sagens igangværende indsatser, før sagen lukkes.",
    )
    assert "Min begrundelse." in page
    case.refresh_from_db()
    assert case.is_open


def test_reopen_an_open_case_is_refused(case, owner):
    refused(owner.post(url("case_reopen", case)), "Sagen er allerede åben.")
    case.refresh_from_db()
    assert case.status == CaseStatus.MEASURE


def test_deadline_bad_input(case, personas, owner):
    notification = received(case)
    open_one = deadline(case, "receipt")
    refused(
        owner.post(url("deadline_handle_otherwise", case, deadline_id=open_one.pk), {"reason": ""}),
        "Skriv en begrundelse.",
    )
    services.notification_judge_acute(
        notification=notification, user=personas.owner, outcome="none", note="Ok."
    )
    met = deadline(case, "acute_judgement")
    page = refused(
        owner.post(
            url("deadline_handle_otherwise", case, deadline_id=met.pk), {"reason": "Alligevel."}
        ),
        "Fristen er allerede opfyldt eller håndteret.",
    )
    assert "Alligevel." in page
    open_one.refresh_from_db()
    assert open_one.handled_otherwise_at is None


# --- sub-objects must belong to the case in the URL --------------------------------------------


def test_objects_of_another_case_are_404_and_logged(case, personas, org, login):
    other = f.CaseFactory(owner=personas.owner, team=case.team, status="measure")
    notification = received(other)
    assessment = services.assessment_start(
        case=other, user=personas.owner, kind="clarification", started_on=timezone.localdate()
    )
    note = f.JournalNoteFactory(case=other)
    foreign = {
        "notification_acute": {"notification_id": notification.pk},
        "notification_receipt": {"notification_id": notification.pk},
        "assessment_finish": {"assessment_id": assessment.pk},
        "journal_note_correct": {"note_id": note.pk},
        "deadline_handle_otherwise": {"deadline_id": deadline(other, "receipt").pk},
    }
    client = login(personas.owner)
    for name, kwargs in foreign.items():
        address = url(name, case, **kwargs)  # the owner's own case, another case's object
        assert client.get(address).status_code == 404, name
        assert client.post(address, {"reason": "x", "text": "x"}).status_code == 404, name
        assert AccessLogEntry.objects.filter(
            case=case, user=personas.owner, action="denied", target=address
        ).exists()
    assert JournalNote.objects.filter(case=other).count() == 1


# --- the 403 page ------------------------------------------------------------------------------


def test_therapist_gets_a_danish_403_explaining_who_may(case, personas, login):
    response = login(personas.therapist).get(new_decision(case, "measure_order"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Du kan ikke udføre denne handling" in page
    assert str(personas.owner) in page and case.team.name in page
    assert "træffe afgørelser på sagen" in page


# --- SQL queries do not grow with the case -----------------------------------------------------

# The page's own queries, then the overview's seven (case_selectors.overview): deadlines,
# notification, assessment, measures with their therapists and hours steps, notes.
OVERVIEW_QUERIES = 13
JOURNAL_QUERIES = 8


def grow(case, personas, size: int) -> None:
    JournalNote.objects.filter(case=case).delete()
    for i in range(size):
        notification = received(case, hours_ago=40 - i, concern=f"Bekymring {i}")
        if i % 3 == 0:
            services.notification_judge_acute(
                notification=notification, user=personas.owner, outcome="none", note="Ok."
            )
        note = f.JournalNoteFactory(case=case, author=personas.owner)
        if i % 4 == 0:
            services.journal_note_correct(note=note, author=personas.owner, text="Rettet.")
    deadline_services.deadline_handle_otherwise(
        deadline=deadline(case, "receipt"), user=personas.owner, reason="Mundtligt."
    )
    assert Deadline.objects.filter(case=case).count() >= size * 2


@pytest.mark.parametrize("size", [3, 30])
def test_overview_query_count_is_constant(size, case, personas, login, django_assert_num_queries):
    grow(case, personas, size)
    provider_team = Measure.objects.get(case=case).provider_team
    for i in range(size // 3):  # more active measures, each with therapists and hours
        measure = f.MeasureFactory(case=case, provider_team=provider_team)
        f.assign(measure, personas.therapist)
        f.assign(measure, personas.other_therapist)
        HoursStep.objects.create(measure=measure, position=1, weeks=4, hours_per_week=i + 1)
        HoursStep.objects.create(measure=measure, position=2, hours_per_week=Decimal("1.5"))
    client = login(personas.team_lead)  # the team lead costs the most: can_work_case asks
    with django_assert_num_queries(OVERVIEW_QUERIES):
        html(client.get(url("case_detail", case)))


def test_overview_shows_everything_the_case_has(
    case, personas, login, django_assert_max_num_queries
):
    """A case with everything the overview shows: met, late, handled and open deadlines,
    notifications, a running assessment, two active measures (and an ended one) with
    therapists and hours steps, and notes with corrections."""
    grow(case, personas, 6)
    services.assessment_start(
        case=case,
        user=personas.owner,
        kind=Assessment.Kind.values[0],
        started_on=timezone.localdate(),
    )
    late = Deadline.objects.filter(case=case, met_at=None, handled_otherwise_at=None).first()
    Deadline.objects.filter(pk=late.pk).update(
        met_at=late.due_at + dt.timedelta(hours=2), met_by_event="Registreret for sent"
    )
    measure = Measure.objects.get(case=case)
    f.assign(measure, personas.other_therapist)
    HoursStep.objects.create(measure=measure, position=1, weeks=8, hours_per_week=Decimal("6"))
    HoursStep.objects.create(measure=measure, position=2, hours_per_week=Decimal("2.5"))
    f.MeasureFactory(case=case, provider_team=measure.provider_team)
    f.MeasureFactory(case=case, provider_team=measure.provider_team, ended_on=timezone.localdate())
    client = login(personas.owner)
    with django_assert_max_num_queries(OVERVIEW_QUERIES):
        page = html(client.get(url("case_detail", case)))
    for shown in (
        "Håndteret på anden vis",
        "Registreret for sent",
        "(for sent)",
        str(personas.other_therapist),
        "6 t/uge i 8 uger",
        "2,5 t/uge resten af forløbet",
        "Rettet af",
        "Afslut undersøgelse",
    ):
        assert shown in page, shown
    assert page.count('class="measure-summary"') == 2


@pytest.mark.parametrize("size", [3, 30])
def test_journal_query_count_is_constant(size, case, personas, login, django_assert_num_queries):
    grow(case, personas, size)
    client = login(personas.team_lead)
    with django_assert_num_queries(JOURNAL_QUERIES):
        html(client.get(url("case_journal", case)))


def test_visible_cases_is_what_the_family_tab_links(case, personas):
    # Guard for the family test: the colleague's case is indeed invisible to the owner.
    hidden = f.CaseFactory(owner=personas.colleague)
    assert not Case.objects.visible_to(personas.owner).filter(pk=hidden.pk).exists()


def test_only_the_author_is_offered_and_allowed_to_correct_a_note(case, personas, login):
    note = JournalNote.objects.get(case=case)
    assert note.author == personas.owner
    lead = login(personas.team_lead)
    correct_url = reverse("cases:journal_note_correct", args=[case.pk, note.pk])
    assert correct_url not in html(lead.get(url("case_journal", case)))
    assert correct_url in html(login(personas.owner).get(url("case_journal", case)))
    response = lead.post(correct_url, {"text": "Min udgave."})
    assert response.status_code == 200
    assert "Kun den, der skrev notatet, kan rette det." in html(response)
    assert not JournalNote.objects.filter(corrects=note).exists()
