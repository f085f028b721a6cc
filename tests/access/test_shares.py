"""Sharing a case with a colleague until a date (holiday cover): the page on the Adgangslog
tab, guardian's permission check, and the access log of grants, revocations and expiries."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from access import rules
from access.models import AccessLogEntry, CaseShare
from accounts.models import Role
from demo import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def substitute():
    return f.UserFactory(username="afloser", role=Role.CASEWORKER)


def grant_url(case):
    return reverse("cases:case_share_grant", args=[case.pk])


def test_team_lead_shares_until_tomorrow_and_the_colleague_loses_the_case_after(
    case, personas, substitute, login
):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = login(personas.team_lead).post(
        grant_url(case),
        {
            "share-colleague": substitute.pk,
            "share-valid_until": tomorrow.isoformat(),
            "share-reason": "Ferieafløsning",
        },
    )
    assert response.status_code == 302
    assert AccessLogEntry.objects.filter(
        case=case, user=personas.team_lead, action="change", target="deling med afloser"
    ).exists()
    detail = reverse("cases:case_detail", args=[case.pk])
    assert login(substitute).get(detail).status_code == 200
    assert substitute.has_perm("cases.view_case", case)
    page = login(personas.owner).get(reverse("cases:case_access_log", args=[case.pk]))
    assert "Ferieafløsning" in page.content.decode()

    after = timezone.localtime() + dt.timedelta(days=2)
    with time_machine.travel(after, tick=False):
        fresh = type(substitute).objects.get(pk=substitute.pk)  # no cached permissions
        assert login(fresh).get(detail).status_code == 404
        assert not fresh.has_perm("cases.view_case", case)
        assert not fresh.has_perm("view_case", case)
        assert "view_case" not in fresh.get_all_permissions(case)


def test_a_date_in_the_past_is_refused_in_danish_and_nothing_is_saved(
    case, personas, substitute, login
):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = login(personas.owner).post(
        grant_url(case),
        {
            "share-colleague": substitute.pk,
            "share-valid_until": yesterday.isoformat(),
            "share-reason": "Ferieafløsning",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Datoen er overskredet" in content
    assert "Ferieafløsning" in content  # what was typed is kept
    assert not CaseShare.objects.exists()


def test_revoke_asks_first_then_removes_access_and_is_logged(case, personas, substitute, login):
    share = rules.case_share_grant(
        case=case,
        user=substitute,
        valid_until=timezone.localdate() + dt.timedelta(days=5),
        reason="Ferieafløsning",
        granted_by=personas.owner,
    )
    url = reverse("cases:case_share_revoke", args=[case.pk, share.pk])
    confirm = login(personas.owner).get(url)
    assert confirm.status_code == 200 and "Ophæv delingen" in confirm.content.decode()
    assert CaseShare.objects.filter(pk=share.pk).exists()

    assert login(personas.owner).post(url).status_code == 302
    assert not CaseShare.objects.filter(pk=share.pk).exists()
    assert login(substitute).get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    assert AccessLogEntry.objects.filter(
        case=case, action="change", target="deling med afloser ophævet"
    ).exists()


def test_a_share_of_another_case_cannot_be_revoked_through_this_one(case, personas, login):
    other = f.CaseFactory(owner=personas.owner, team=case.team)
    share = rules.case_share_grant(
        case=other,
        user=f.UserFactory(role=Role.CASEWORKER),
        valid_until=timezone.localdate(),
        reason="Afløsning",
        granted_by=personas.owner,
    )
    url = reverse("cases:case_share_revoke", args=[case.pk, share.pk])
    assert login(personas.owner).post(url).status_code == 404
    assert CaseShare.objects.filter(pk=share.pk).exists()


def test_the_end_of_a_share_is_logged_once(case, personas, substitute):
    rules.case_share_grant(
        case=case,
        user=substitute,
        valid_until=timezone.localdate(),
        reason="Ferieafløsning",
        granted_by=personas.owner,
    )
    assert rules.log_expired_shares() == 0  # still counts today
    with time_machine.travel(timezone.localtime() + dt.timedelta(days=1), tick=False):
        assert rules.log_expired_shares() == 1
        assert rules.log_expired_shares() == 0
    entries = AccessLogEntry.objects.filter(case=case, target__startswith="deling med afloser udl")
    assert entries.count() == 1


def test_only_the_owner_and_team_lead_see_the_share_button(case, personas, login):
    url = reverse("cases:case_access_log", args=[case.pk])
    grant = grant_url(case)
    assert grant in login(personas.owner).get(url).content.decode()
    assert grant in login(personas.team_lead).get(url).content.decode()
    assert grant not in login(personas.therapist).get(url).content.decode()
