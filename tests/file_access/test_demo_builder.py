"""The demo's aktindsigt builder (demo.builders.file_access) on a small world of its own, fast
(the seeded demo's own test is tests/demo/test_demo_file_access.py, marked seed)."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Role
from cases.models import Case, Notification
from demo import factories as f
from demo.builders.file_access import _working_days_back, demo_file_access
from file_access.models import FileAccessRequest

pytestmark = pytest.mark.django_db


def _case(owner, *, reporter_kind: str, with_login: bool = False) -> Case:
    case = f.CaseFactory(owner=owner, status="assessment")
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - dt.timedelta(days=60))
    f.NotificationFactory(case=case, reporter_kind=reporter_kind)
    login = f.UserFactory(role=Role.FAMILY) if with_login else None
    f.family_with_child(case.citizen, login)
    return case


def test_one_pending_request_on_a_case_of_a_family_without_a_login():
    owner = f.UserFactory(username="sagsbehandler", role=Role.CASEWORKER)
    f.add_member(f.TeamFactory(), owner)
    _case(owner, reporter_kind=Notification.ReporterKind.PRIVATE, with_login=True)
    professional = _case(owner, reporter_kind=Notification.ReporterKind.PROFESSIONAL)
    private = _case(owner, reporter_kind=Notification.ReporterKind.PRIVATE)
    today = timezone.localdate()

    assert demo_file_access(today=today) == 1
    assert demo_file_access(today=today) == 0  # there already
    request = FileAccessRequest.objects.get()
    assert request.case == private != professional
    assert request.received_on == _working_days_back(today, 2)
    assert request.deadline is not None and request.deadline.is_open
    exemption = request.exemptions.get()
    assert exemption.kind == "reporter"
    assert exemption.object_id == private.notifications.get().pk


def test_working_days_back():
    monday = dt.date(2026, 12, 7)
    assert _working_days_back(monday, 2) == dt.date(2026, 12, 3)
    assert _working_days_back(dt.date(2026, 12, 6), 2) == dt.date(2026, 12, 3)  # a Sunday
