"""Every POST form of the aktindsigt pages (file_access/urls.py), fuzzed as the case's owner
(forms.py): registering a request, the notice of a longer answer time, an exemption added or
removed, the bundle prepared and handed out."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import JournalNote
from file_access import services
from tests.file_access.conftest import (
    _media,  # noqa: F401 - fixtures, for the test below
    bundle_done,
    file_request,  # noqa: F401
    parent,  # noqa: F401
    queued,  # noqa: F401
)
from tests.file_access.test_file_access_pages import ACT, url_for
from tests.property.forms import Target, fuzz


def payload(parent, note) -> dict[str, object]:  # noqa: F811
    today = timezone.localdate()
    return {
        "request-requester": parent.pk,
        "request-received_on": today.isoformat(),
        "request-asked_for": "Alle sagens dokumenter.",
        "notice-reason": "Sagen er omfattende, og dokumenterne skal gennemgås.",
        "notice-expected_on": (today + dt.timedelta(days=14)).isoformat(),
        "exemption-document": f"journal_note:{note.pk}",
        "exemption-reason": "Internt arbejdsdokument.",
        "exemption-legal_basis": "Forvaltningsloven § 12",
    }


@pytest.fixture
def target(request, case, personas, login, parent, file_request, queued):  # noqa: F811
    name = request.param
    note = JournalNote.objects.get(case=case)
    exemption = None
    if name == "exemption_remove":
        exemption = services.exemption_add(
            request=file_request,
            user=personas.owner,
            document=f"journal_note:{note.pk}",
            reason="Internt arbejdsdokument.",
            legal_basis="Forvaltningsloven § 12",
        )
    if name == "hand_out":
        bundle_done(file_request, personas.owner)
    objects = {"request_id": file_request.pk, "exemption_id": exemption.pk if exemption else 0}
    return Target(
        url=url_for(name, case, objects),
        client=login(personas.owner),
        data=payload(parent, note),
    )


@pytest.mark.parametrize("target", sorted(ACT), indirect=True)
def test_any_input_saves_or_explains_in_danish(target, request):
    fuzz(target, request.node.callspec.id)
