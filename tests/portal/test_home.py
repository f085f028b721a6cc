"""The family portal's landing page: own children only, plain language, every read logged."""

import datetime as dt
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from cases.models import CaseStatus, FamilyMember, FamilyRelation
from core.cpr import format_cpr
from demo import factories as f

FAMILY_HOME = reverse("family:home")


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def caseworker_with_phone(personas):
    personas.owner.phone = "76 81 12 34"
    personas.owner.save(update_fields=["phone"])
    return personas.owner


def test_family_sees_own_child_with_caseworker_and_measure(
    login, personas, case, caseworker_with_phone
):
    measure = case.measures.get()
    measure.planned_end_date = timezone.localdate() + dt.timedelta(days=180)
    measure.save(update_fields=["planned_end_date"])
    response = login(personas.family_user).get(FAMILY_HOME)
    assert response.status_code == 200
    html = text(response)
    assert case.citizen.full_name in html
    assert f"{case.citizen.age} år" in html
    assert personas.owner.get_full_name() in html
    assert 'href="tel:76811234"' in html
    assert "I får støtte fra kommunen." in html
    assert measure.purpose in html
    assert measure.start_date.strftime("%d.%m.%Y") in html
    assert measure.planned_end_date.strftime("%d.%m.%Y") in html


def test_family_never_sees_cpr_journal_notification_or_access_log(login, personas, case):
    html = text(login(personas.family_user).get(FAMILY_HOME))
    cpr = case.citizen.cpr
    assert cpr not in html
    assert format_cpr(cpr) not in html
    assert case.notes.get().text not in html
    assert case.notifications.get().concern not in html
    assert case.notifications.get().reporter_name not in html
    assert "Adgangslog" not in html
    assert case.number not in html


def test_other_familys_child_never_appears(login, personas, case):
    mine = text(login(personas.family_user).get(FAMILY_HOME))
    theirs_response = login(personas.other_family_user).get(FAMILY_HOME)
    theirs = text(theirs_response)
    [other_child] = [c.member for c in theirs_response.context["children"]]
    assert case.citizen.full_name not in theirs
    assert personas.owner.get_full_name() not in theirs
    assert other_child.name in theirs
    assert other_child.name not in mine
    # the other child has no case
    assert "Der er ikke noget at vise om dette barn lige nu." in theirs


def test_reading_the_childs_case_is_logged(login, personas, case):
    login(personas.family_user).get(FAMILY_HOME)
    entry = AccessLogEntry.objects.get(user=personas.family_user)
    assert entry.action == AccessLogEntry.Action.VIEW
    assert entry.case == case
    assert entry.citizen_id == case.citizen_id
    assert entry.target == FAMILY_HOME


def test_no_case_no_log(login, personas, case):
    login(personas.other_family_user).get(FAMILY_HOME)
    assert not AccessLogEntry.objects.filter(user=personas.other_family_user).exists()


def test_siblings_each_with_their_own_case(login, org, personas, case):
    family = case.citizen.family_memberships.get().family
    sibling = f.CitizenFactory(first_name="Lillebror")
    brother = FamilyMember.objects.create(family=family, citizen=sibling, is_child=True)
    parent = FamilyMember.objects.get(user=personas.family_user)
    FamilyRelation.objects.create(
        member=parent, child=brother, kind=FamilyRelation.Kind.PARENT_CUSTODY
    )
    sibling_case = f.CaseFactory(
        citizen=sibling, owner=personas.colleague, team=org.team_b, status=CaseStatus.ASSESSMENT
    )
    response = login(personas.family_user).get(FAMILY_HOME)
    html = text(response)
    assert "Lillebror" in html
    assert personas.colleague.get_full_name() in html
    assert "Kommunen er ved at undersøge" in html
    logged = set(
        AccessLogEntry.objects.filter(user=personas.family_user).values_list("case_id", flat=True)
    )
    assert logged == {case.id, sibling_case.id}


def test_closed_case_shows_status_but_no_contact(login, personas, case):
    case.measures.update(ended_on=timezone.localdate())
    case.status = CaseStatus.CLOSED
    case.save(update_fields=["status"])
    html = text(login(personas.family_user).get(FAMILY_HOME))
    assert "Sagen er afsluttet." in html
    assert "Din kontaktperson i kommunen" not in html
    assert case.measures.get().purpose not in html


@pytest.mark.parametrize("persona", ["owner", "team_lead", "therapist", "colleague"])
def test_staff_get_404_and_the_attempt_is_logged(login, personas, case, persona):
    user = getattr(personas, persona)
    response = login(user).get(FAMILY_HOME)
    assert response.status_code == 404
    assert case.citizen.full_name not in text(response)
    assert AccessLogEntry.objects.filter(user=user, action=AccessLogEntry.Action.DENIED).exists()


def test_anonymous_is_sent_to_login(db, client):
    response = client.get(FAMILY_HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_family_user_without_children(db, login):
    lonely = f.UserFactory(username="lonely-parent", role="family")
    html = text(login(lonely).get(FAMILY_HOME))
    assert "Der er ingen børn knyttet til dit login." in html


def test_a_case_at_the_notification_stage_is_not_shown_to_the_family(login, personas, case):
    # The concern may be about the parent reading the portal: the family hears of the case
    # from the caseworker, not from a status line. Nothing is read, so nothing is logged.
    case.status = CaseStatus.NOTIFICATION
    case.save(update_fields=["status"])
    response = login(personas.family_user).get(FAMILY_HOME)
    html = text(response)
    assert response.status_code == 200
    assert case.citizen.first_name in html
    assert "Der er ikke noget at vise om dette barn lige nu." in html
    assert personas.owner.get_full_name() not in html
    assert "henvendelse" not in html
    assert not AccessLogEntry.objects.filter(user=personas.family_user, case=case).exists()
