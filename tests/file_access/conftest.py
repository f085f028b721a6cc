"""Fixtures of the aktindsigt tests: the ``case`` fixture's custody holder as the party, and a
request of theirs registered through the services."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from cases.models import FamilyMember
from file_access import services
from file_access.models import FileAccessBundle, FileAccessRequest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def queued(monkeypatch):
    """Keep the rendering task from running; ``delay`` records the bundle ids it is given."""
    from file_access import tasks

    calls: list[int] = []
    monkeypatch.setattr(tasks.render_file_access_bundle, "delay", calls.append)
    return calls


@pytest.fixture
def parent(case) -> FamilyMember:
    """The custody holder in the child's family (the ``family_user``'s member)."""
    return FamilyMember.objects.get(
        family__members__citizen=case.citizen, is_child=False, user__isnull=False
    )


@pytest.fixture
def file_request(case, personas, parent) -> FileAccessRequest:
    return services.request_register(
        case=case,
        user=personas.owner,
        requester=parent,
        received_on=timezone.localdate(),
        asked_for="Alle sagens dokumenter.",
    )


def bundle_done(request: FileAccessRequest, user, content: bytes = b"%PDF-1.7\n%%EOF\n"):
    """Store a PDF for the request's bundle as the task would (tests set MEDIA_ROOT)."""
    bundle, _created = FileAccessBundle.objects.get_or_create(
        request=request, defaults={"queued_by": user}
    )
    bundle.file.save(f"bundle-{bundle.pk}.pdf", ContentFile(content), save=False)
    bundle.sha256 = hashlib.sha256(content).hexdigest()
    bundle.status = FileAccessBundle.Status.DONE
    bundle.rendered_at = timezone.now()
    bundle.save()
    return bundle
