"""A reporter who asked not to be known by the family is shown only to the case's owner and
team lead; everyone else who sees the notification reads "Fortrolig underretter", on the
pages and in the API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from access import rules
from cases import services
from cases.models import Notification
from demo import factories as f

pytestmark = pytest.mark.django_db
REPORTER = "Hemmelig Naboen"


@pytest.fixture
def confidential(case, personas):
    notification = Notification.objects.get(case=case)
    notification.reporter_name = REPORTER
    notification.reporter_organisation = "Opgang B"
    notification.reporter_confidential = True
    notification.save()
    return notification


@pytest.fixture
def cover(case, personas):
    """A colleague who sees the case through a share (holiday cover)."""
    colleague = f.UserFactory(username="cover", role="caseworker")
    rules.case_share_grant(
        case=case,
        user=colleague,
        valid_until=timezone.localdate() + dt.timedelta(days=3),
        reason="Ferieafløsning",
        granted_by=personas.owner,
    )
    return colleague


def test_only_the_owner_and_team_lead_see_who_reported(case, confidential, personas, cover, login):
    url = reverse("cases:case_notifications", args=[case.pk])
    for user in (personas.owner, personas.team_lead):
        assert REPORTER in login(user).get(url).content.decode()
    page = login(cover).get(url).content.decode()
    assert REPORTER not in page and "Opgang B" not in page
    assert "Fortrolig underretter" in page
    overview = login(cover).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Opgang B" not in overview


def test_the_api_leaves_the_reporter_out_for_others(case, confidential, personas, cover, login):
    url = reverse("api:case_notifications", args=[case.pk])
    (own,) = login(personas.owner).get(url).json()
    assert own["reporter_name"] == REPORTER
    (other,) = login(cover).get(url).json()
    assert other["reporter_name"] == other["reporter_organisation"] == ""


def test_the_registration_form_records_the_wish(case, personas, org):
    notification = services.notification_register(
        user=personas.owner,
        citizen=case.citizen,
        received_at=timezone.now() - dt.timedelta(hours=1),
        reporter_kind=Notification.ReporterKind.PRIVATE,
        reporter_name="Anonym nabo",
        reporter_confidential=True,
        concern="Råben om natten.",
    )
    assert notification.reporter_confidential
