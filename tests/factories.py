"""Factories for every test, in one place."""

import datetime as dt
import random
from decimal import Decimal

import factory
from django.utils import timezone

from cases.cpr import birth_date_from_cpr
from cases.models import (
    Case,
    CaseStatus,
    Citizen,
    Family,
    FamilyMember,
    FamilyRelation,
    JournalNote,
    LegalBasis,
    Measure,
    MeasureAssignment,
    Notification,
)
from familievaerft.models import OrganisationUnit, Role, Team, TeamMembership, User

PASSWORD = "test-password-1"
_used_cprs: set[str] = set()


def fictitious_cpr(birth_date: dt.date | None = None) -> str:
    """A CPR number with a real birth date and a century-consistent 7th digit, never reused."""
    rng = random.Random()
    while True:
        born = birth_date or dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 16))
        seventh = rng.choice([4, 5, 6, 7, 8, 9]) if born.year >= 2000 else rng.choice([0, 1, 2, 3])
        cpr = f"{born:%d%m%y}{seventh}{rng.randrange(0, 1000):03d}"
        if cpr not in _used_cprs:
            _used_cprs.add(cpr)
            return cpr


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    role = Role.CASEWORKER
    password = factory.django.Password(PASSWORD)


class OrganisationUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationUnit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Enhed {n}")
    kind = OrganisationUnit.Kind.AUTHORITY
    municipality = "Testrup Kommune"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    unit = factory.SubFactory(OrganisationUnitFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


def add_member(team: Team, user: User, *, lead: bool = False) -> TeamMembership:
    return TeamMembership.objects.create(team=team, user=user, is_lead=lead)


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citizen

    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    cpr = factory.LazyFunction(fictitious_cpr)
    birth_date = factory.LazyAttribute(lambda o: birth_date_from_cpr(o.cpr))
    address = factory.Faker("street_address", locale="da_DK")
    postal_code = "7100"
    city = "Vejle"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    number = factory.Sequence(lambda n: f"2026-9{n:04d}")
    citizen = factory.SubFactory(CitizenFactory)
    owner = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    status = CaseStatus.NOTIFICATION


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    case = factory.SubFactory(CaseFactory)
    received_at = factory.LazyFunction(timezone.now)
    reporter_kind = Notification.ReporterKind.PROFESSIONAL
    reporter_name = "Lærer Hansen"
    reporter_organisation = "Kirkebakkeskolen"
    concern = "Barnet kommer ofte sultent i skole."
    registered_by = factory.SelfAttribute("case.owner")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    case = factory.SubFactory(CaseFactory)
    legal_basis = factory.LazyFunction(lambda: LegalBasis.objects.get(code="bl-32-1-2"))
    purpose = "At forældrene får struktur på hverdagen."
    expected_duration_months = 6
    start_date = factory.LazyFunction(timezone.localdate)
    provider_team = factory.SubFactory(TeamFactory)
    decided_by = factory.SelfAttribute("case.owner")
    consent_given_on = factory.LazyFunction(timezone.localdate)


class JournalNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalNote

    case = factory.SubFactory(CaseFactory)
    author = factory.SelfAttribute("case.owner")
    text = factory.Faker("paragraph", locale="da_DK")


def assign(measure: Measure, user: User) -> MeasureAssignment:
    return MeasureAssignment.objects.create(measure=measure, user=user)


def family_with_child(child: Citizen, parent_user: User | None = None, *, name: str = "") -> Family:
    family = Family.objects.create(name=name or f"Familien {child.last_name}")
    child_member = FamilyMember.objects.create(family=family, citizen=child, is_child=True)
    parent = FamilyMember.objects.create(
        family=family, first_name="Forælder", last_name=child.last_name, user=parent_user
    )
    FamilyRelation.objects.create(
        member=parent, child=child_member, kind=FamilyRelation.Kind.PARENT_CUSTODY
    )
    return family


HOURS_TAPER = [(4, Decimal("6")), (8, Decimal("4")), (None, Decimal("2"))]
