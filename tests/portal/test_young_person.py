"""A young person with its own login reads its own case in its own words, and sees who of its
family sees the case and why (portal.selectors.seen_by)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases import portal_rights
from cases.models import Citizen, FamilyMember, FamilyRelation
from demo import factories as f


@pytest.fixture
def young(case):
    """The case's child, 16 years old, with its own login; its father has no custody."""
    Citizen.objects.filter(pk=case.citizen_id).update(
        birth_date=timezone.localdate() - dt.timedelta(days=16 * 366)
    )
    case.citizen.refresh_from_db()
    child = FamilyMember.objects.get(citizen=case.citizen)
    child.user = f.UserFactory(username="ung", role=Role.FAMILY)
    child.save()
    father = FamilyMember.objects.create(family=child.family, first_name="Jens", last_name="Holm")
    FamilyRelation.objects.create(
        member=father, child=child, kind=FamilyRelation.Kind.PARENT_NO_CUSTODY
    )
    return child


def test_the_young_person_reads_its_own_case_in_the_second_person(case, young, login):
    html = login(young.user).get(reverse("family:home")).content.decode()
    assert "<h1>Min sag</h1>" in html
    assert "Din sag" in html
    assert "Du får støtte fra kommunen." in html
    assert "Hvem kan se din sag her?" in html
    # The custodial parent sees it; the father without custody does not.
    assert "Eneforældremyndighed" in html
    assert "Jens Holm" not in html


def test_the_parent_still_reads_the_family_page(case, young, personas, login):
    html = login(personas.family_user).get(reverse("family:home")).content.decode()
    assert "<h1>Min familie</h1>" in html
    assert "Hvem kan se din sag her?" not in html


def test_from_18_the_young_person_sees_whom_it_has_consented_to(case, young, personas, login):
    Citizen.objects.filter(pk=case.citizen_id).update(
        birth_date=timezone.localdate() - dt.timedelta(days=19 * 366)
    )
    case.citizen.refresh_from_db()
    father = FamilyMember.objects.get(first_name="Jens")
    portal_rights.portal_consent_record(
        case=case, member=father, given_on=timezone.localdate(), recorded_by=personas.owner
    )
    html = login(young.user).get(reverse("family:home")).content.decode()
    assert "Jens Holm" in html
    assert "Den unges samtykke fra" in html
    assert "bestemmer selv" in html
    assert "Eneforældremyndighed" not in html, "custody ends at 18"
