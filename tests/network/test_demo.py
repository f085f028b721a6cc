"""The demo's network maps and meetings (seed_demo with cases/management/commands/_demo_network)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Measure
from familievaerft.models import User
from network.models import MapSnapshot, Meeting, NetworkMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    call_command("seed_demo", stdout=StringIO())


def test_cases_with_a_measure_have_a_map_and_two_versions(seeded):
    cases = Case.objects.filter(id__in=Measure.objects.values("case_id")).annotate(
        people=Count("network_members", filter=Q(network_members__removed_at=None), distinct=True),
        versions=Count(
            "network_snapshots", filter=Q(network_snapshots__automatic=False), distinct=True
        ),
    )
    assert cases.exists()
    for case in cases:
        assert 8 <= case.people <= 25, (case.number, case.people)
        assert case.versions == 2
    first, second = MapSnapshot.objects.filter(case=cases[0], automatic=False).order_by("taken_at")
    assert len(first.members) < len(second.members)


def test_meetings_past_and_future_and_familie_sees_the_coming_one(seeded, client):
    now = timezone.now()
    assert Meeting.objects.filter(starts_at__lt=now, status="held").exists()
    assert Meeting.objects.filter(starts_at__gt=now, status="planned").exists()
    familie = User.objects.get(username="familie")
    client.force_login(familie)
    page = client.get(reverse("family:home")).content.decode()
    upcoming = Meeting.objects.filter(
        starts_at__gt=now, case__citizen__family_memberships__family__members__user=familie
    ).first()
    assert upcoming is not None
    assert upcoming.purpose in page


def test_demo_network_is_idempotent(seeded):
    before = NetworkMember.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert NetworkMember.objects.count() == before
