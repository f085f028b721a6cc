"""Texts that come from data in English (core.locale.data_label): the deadline rules' titles
and "met by" texts, the legal bases' titles and the events that met a deadline, on the main
pages a caseworker and a team lead use, with the English cookie. Danish on none of them."""

import datetime as dt
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from cases import deadlines
from cases.models import DeadlineRule, LegalBasis, Notification
from core.locale import data_label
from followups import reminders
from followups import services as followup_services
from followups.models import Reminder

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def pages(case, personas):
    now = timezone.now()
    notification = case.notifications.get()
    for code in ("acute_judgement", "assessment"):
        deadlines.deadline_schedule(
            case=case, rule_code=code, start=now - dt.timedelta(days=2), notification=notification
        )
    measure = case.measures.get()
    deadlines.deadline_schedule(case=case, rule_code="plan", start=now, measure=measure)
    deadlines.deadlines_meet(
        case=case, rule_code="acute_judgement", event="Akut vurdering registreret"
    )
    Reminder.objects.create(
        recipient=personas.owner,
        case=case,
        item="deadline:test",
        level=Reminder.Level.DUE,
        title="Børnefaglig undersøgelse afsluttet",
        due_at=now,
    )
    return {
        personas.owner: [
            reverse("cases:my_cases"),
            case.get_absolute_url(),
            reverse("cases:case_measures", args=[case.pk]),
            reverse("followups:deadline_list"),
            reverse("followups:reminder_list"),
        ],
        personas.team_lead: [reverse("followups:team_overview")],
    }


def danish_texts() -> set[str]:
    """Every rule and legal basis text the catalogue translates, in Danish."""
    texts = set()
    for title, met_by in DeadlineRule.objects.values_list("title", "met_by"):
        texts |= {title, met_by}
    texts |= set(LegalBasis.objects.values_list("title", flat=True))
    with translation.override("en"):
        return {t for t in texts if t and data_label(t) != t}


def test_the_catalogue_knows_every_seeded_rule_and_legal_basis():
    with translation.override("en"):
        for title, met_by in DeadlineRule.objects.values_list("title", "met_by"):
            assert data_label(title) != title, title
            assert data_label(met_by) != met_by, met_by
        for title in LegalBasis.objects.values_list("title", flat=True):
            assert data_label(title) != title, title
    assert data_label("") == ""  # not the catalogue's header


def test_no_danish_rule_or_basis_text_on_the_main_pages_in_english(pages, login, case):
    danish = danish_texts()
    assert len(danish) > 20
    seen = ""
    for user, urls in pages.items():
        client = english(login(user))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = unescape(response.content.decode())
            found = sorted(t for t in danish if t in html)
            assert not found, f"{url}: {found}"
            seen += unescape(html)
    # And the English ones are there: the pages did show the rules, the basis, the events.
    measure = case.measures.get()
    with translation.override("en"):
        for text in (
            "Vurdering af behov for akut hjælp",
            "Børnefaglig undersøgelse afsluttet",
            "Barnets plan udarbejdet",
            measure.legal_basis.title,
            "Akut vurdering registreret",
        ):
            assert data_label(text) in seen, text


def test_the_same_pages_stay_danish_by_default(pages, login):
    user, urls = next(iter(pages.items()))
    html = login(user).get(urls[1]).content.decode()
    assert "Børnefaglig undersøgelse afsluttet" in html


def test_texts_stored_with_parameters_are_shown_in_english(case, personas, login):
    """A text stored filled in ("Første opfølgning holdt 07.12.2026") is read back into its
    msgid and shown translated, its parameters kept."""
    now = timezone.now()
    deadlines.deadline_schedule(
        case=case, rule_code="first_followup", start=now, measure=case.measures.get()
    )
    deadlines.deadlines_meet(
        case=case,
        rule_code="first_followup",
        event=followup_services.FIRST_FOLLOWUP_HELD % {"date": "07.12.2026"},
    )
    Reminder.objects.create(
        recipient=personas.owner,
        case=case,
        item="followup:99999",
        level=Reminder.Level.DUE,
        title=reminders.FOLLOWUP_TITLE % {"number": 2},
        due_at=now,
    )
    client = english(login(personas.owner))
    page = unescape(client.get(case.get_absolute_url()).content.decode())
    assert "First follow-up held 07.12.2026" in page
    assert "Første opfølgning holdt" not in page
    page = unescape(client.get(reverse("followups:reminder_list")).content.decode())
    assert "Follow-up no. 2 on the measure" in page
    assert "opfølgning på indsatsen" not in page
    # In Danish, the stored text as it is.
    page = login(personas.owner).get(case.get_absolute_url()).content.decode()
    assert "Første opfølgning holdt 07.12.2026" in page


def test_an_english_user_stores_danish(case, personas, login):
    """What a user working in English records is stored in Danish (and shown to each reader
    in their own language)."""
    notification = case.notifications.get()
    deadlines.deadline_schedule(
        case=case,
        rule_code="acute_judgement",
        start=notification.received_at,
        notification=notification,
    )
    response = english(login(personas.owner)).post(
        reverse("cases:notification_acute", args=[case.pk, notification.pk]),
        {
            "outcome": Notification.AcuteOutcome.NO_ACUTE_NEED,
            "note": "Barnet er trygt hos mormor.",
            "judged_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    deadline = case.deadlines.get(rule__code="acute_judgement")
    assert deadline.met_by_event == "Akut vurdering registreret"
