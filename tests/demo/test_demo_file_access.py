"""The demo's request for access to the files (demo.builders.file_access, issue 17 item 9):
one pending request from a custody holder on a sagsbehandler case, registered through
``file_access.services`` with its deadline on the case and one reporter's identity exempt; the
caseworker sees it on the case's Aktindsigt tab."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from file_access.models import FileAccessRequest

# The demo is seeded once for tests/demo (tests/demo/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.seed, pytest.mark.xdist_group("seed_demo")]


def test_one_pending_request_with_one_exemption(seeded):
    request = FileAccessRequest.objects.select_related("case__owner", "deadline__rule").get()
    assert request.case.owner.username == "sagsbehandler"
    assert request.party == FileAccessRequest.Party.CUSTODY
    assert request.status == FileAccessRequest.Status.RECEIVED
    assert request.received_on <= timezone.localdate() <= request.due_on
    assert request.deadline is not None and request.deadline.is_open
    assert request.deadline.rule.code == "file_access"
    exemption = request.exemptions.get()
    assert exemption.kind == "reporter" and exemption.legal_basis == "Forvaltningsloven § 15 b"
    assert exemption.reason


def test_the_caseworker_sees_it_on_the_case(seeded):
    request = FileAccessRequest.objects.get()
    client = Client()
    client.force_login(User.objects.get(username="sagsbehandler"))
    tab = client.get(reverse("file_access:case_file_access", args=[request.case_id]))
    assert tab.status_code == 200 and request.requester_name in tab.content.decode()
    detail = client.get(request.get_absolute_url()).content.decode()
    assert "Forvaltningsloven § 15 b" in detail and "Dan PDF" in detail
