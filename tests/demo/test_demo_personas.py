"""The demo's family-portal personas (demo.data.personas): each logs in and sees exactly what
the portal's rules (access.rules) give, both through ``Case.objects.visible_to_family`` and
through the portal's own pages.

- ``familie-far``, the father without custody in ``familie``'s family, and ``stedforaelder``,
  the mother's new partner, see no child's case;
- ``ung`` (16) sees its own case, never its sister's (her plan page answers a logged 404);
- ``ung18`` (turned 18 this year) sees its own case; ``ung18-mor``, to whom it consented,
  sees it, and ``ung18-far``, without consent, does not.

And the README's demo user table names every demo login there is.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from accounts.models import Role, User
from cases.models import (
    Case,
    CaseStatus,
    Citizen,
    FamilyMember,
    FamilyRelation,
    PortalConsent,
    age_on,
)
from demo.builders.personas import born_on
from demo.data.people import DEMO_PASSWORD
from demo.data.personas import PERSONA_FAMILIES, PERSONA_LOGINS
from plans.models import Plan

# The demo is seeded once for tests/demo (tests/demo/conftest.py), as for test_seed_demo.py.
pytestmark = [pytest.mark.django_db, pytest.mark.seed, pytest.mark.xdist_group("seed_demo")]

README = Path(__file__).resolve().parents[2] / "README.md"
Kind = FamilyRelation.Kind
PAST_NOTIFICATION = (CaseStatus.ASSESSMENT, CaseStatus.MEASURE, CaseStatus.CLOSING)


def user(username: str) -> User:
    return User.objects.get(username=username)


def member(username: str) -> FamilyMember:
    return FamilyMember.objects.select_related("family", "citizen").get(user__username=username)


def citizen_of(child: FamilyMember) -> Citizen:
    assert child.citizen is not None  # a child always is a citizen
    return child.citizen


def case_of(child: FamilyMember) -> Case:
    return Case.objects.get(citizen=child.citizen)


def visible(username: str) -> set[Case]:
    return set(Case.objects.visible_to_family(user(username)))


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def home_children(username: str) -> list[FamilyMember]:
    """The children the portal's landing page shows ``username``."""
    response = client_for(username).get(reverse("family:home"))
    assert response.status_code == 200
    return [child.member for child in response.context["children"]]


def plan_page(username: str, case: Case) -> int:
    """The status of the portal's plan page of ``case`` for ``username``; a refusal is logged."""
    response = client_for(username).get(reverse("family:plan", args=[case.pk]))
    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert AccessLogEntry.objects.filter(
            case=case, user__username=username, action="denied"
        ).exists()
    return response.status_code


# --- ages from the demo's "today" ------------------------------------------------------------


@pytest.mark.parametrize(
    "today",
    [
        dt.date(2027, 1, 1),  # turned 18 this very day
        dt.date(2027, 1, 20),
        dt.date(2028, 2, 29),
        dt.date(2028, 3, 1),
        dt.date(2026, 12, 31),
    ],
)
def test_the_personas_ages_hold_on_any_day(today):
    for family in PERSONA_FAMILIES:
        for young in family.children:
            born = born_on(today, young)
            assert age_on(born, today) == young.age, (young.first_name, today)
            if young.birthday_this_year:
                birthday = born + relativedelta(years=young.age)
                assert dt.date(today.year, 1, 1) <= birthday <= today, (young.first_name, today)


# --- the logins ------------------------------------------------------------------------------


def test_the_personas_are_family_logins_with_the_demo_password(seeded):
    assert set(PERSONA_LOGINS) == {
        "familie-far",
        "stedforaelder",
        "ung",
        "ung18",
        "ung18-mor",
        "ung18-far",
    }
    for username in PERSONA_LOGINS:
        login = user(username)
        assert login.role == Role.FAMILY and not login.is_staff, username
        assert login.first_name and login.last_name, username
        assert member(username).user == login, username
        assert f"  {username} " in seeded, "printed with the other demo logins"
    assert user("ung18-far").check_password(DEMO_PASSWORD)  # hashing is slow: one sample


def test_the_readme_table_names_every_demo_login(seeded):
    text = README.read_text()
    table = text.split("\n### Demo logins\n", 1)[1].split("\n#", 1)[0]
    rows = set(re.findall(r"^\| `([a-z0-9-]+)` \| [^|]+ \|$", table, re.MULTILINE))
    assert set(User.objects.values_list("username", flat=True)) == rows


# --- familie's household: the father without custody and the step-parent --------------------


def test_familie_has_sole_custody_and_her_household_lists_the_father_and_her_partner(seeded):
    mother = member("familie")
    children = list(mother.family.members.filter(is_child=True))
    assert len(children) == 2
    father, stepparent = member("familie-far"), member("stedforaelder")
    assert father.family == stepparent.family == mother.family
    assert not father.is_child and not stepparent.is_child
    for child in children:
        kinds = dict(child.relations_to_child.values_list("member_id", "kind"))
        assert kinds[mother.pk] == Kind.PARENT_CUSTODY
        assert kinds[father.pk] == Kind.PARENT_NO_CUSTODY
        assert kinds[stepparent.pk] == Kind.STEP_PARENT
        # Sole custody: nobody else holds it.
        assert list(child.relations_to_child.filter(kind=Kind.PARENT_CUSTODY)) == [
            child.relations_to_child.get(member=mother)
        ]
        assert case_of(child).status in PAST_NOTIFICATION
    # The mother sees both children's cases: the rule, not the stage, hides them below.
    assert visible("familie") == {case_of(child) for child in children}


@pytest.mark.parametrize("username", ["familie-far", "stedforaelder"])
def test_the_father_without_custody_and_the_step_parent_see_no_case(seeded, username):
    assert visible(username) == set()
    assert home_children(username) == []
    page = client_for(username).get(reverse("family:home")).content.decode()
    for child in member("familie").family.members.filter(is_child=True):
        case = case_of(child)
        assert reverse("family:plan", args=[case.pk]) not in page
        assert plan_page(username, case) == 404
        assert plan_page("familie", case) == 200


# --- ung: 16, its own case and never its sister's --------------------------------------------


def test_ung_sees_its_own_case_and_never_its_sisters(seeded):
    ung = member("ung")
    assert ung.is_child and citizen_of(ung).age == 16
    own = case_of(ung)
    assert own.status == CaseStatus.MEASURE
    assert Plan.objects.filter(case=own, goals__isnull=False).exists()

    siblings = list(ung.family.members.filter(is_child=True).exclude(pk=ung.pk))
    assert len(siblings) == 1
    sister = siblings[0]
    assert sister.relations_to_child.filter(member=ung, kind=Kind.SIBLING).exists()
    sisters_case = case_of(sister)
    assert sisters_case.status in PAST_NOTIFICATION
    assert Plan.objects.filter(case=sisters_case).exists(), "a plan page to be refused"

    # A custody holder of the family would see both cases.
    mother = ung.family.members.filter(
        relations__kind=Kind.PARENT_CUSTODY, relations__child=sister
    ).first()
    assert mother is not None
    mother.user = User.objects.create(username="ung-mor-proeve", role=Role.FAMILY)
    mother.save(update_fields=["user"])
    assert visible("ung-mor-proeve") == {own, sisters_case}

    assert visible("ung") == {own}
    assert home_children("ung") == [ung]
    assert plan_page("ung", own) == 200
    assert plan_page("ung", sisters_case) == 404


# --- ung18: turned 18 this year; one parent consented to, the other not ----------------------


def test_ung18_turned_18_this_year_and_sees_its_own_case(seeded):
    ung18 = member("ung18")
    today = timezone.localdate()
    born = citizen_of(ung18).birth_date
    assert ung18.is_child and citizen_of(ung18).age == 18
    assert born.year == today.year - 18, "the 18th birthday is this year"
    assert born + relativedelta(years=18) <= today
    own = case_of(ung18)
    assert own.status in PAST_NOTIFICATION
    assert own.measures.filter(ended_on=None).exists()
    assert own.deadlines.filter(rule__code="after_18").exclude(met_at=None).exists()

    assert visible("ung18") == {own}
    assert home_children("ung18") == [ung18]
    assert plan_page("ung18", own) == 200


def test_ung18s_consented_parent_sees_the_case_and_the_other_parent_does_not(seeded):
    ung18 = member("ung18")
    own = case_of(ung18)
    mother, father = member("ung18-mor"), member("ung18-far")
    for parent in (mother, father):
        assert parent.family == ung18.family and not parent.is_child
        assert parent.relations.filter(child=ung18).exists(), "both parents are related to her"
    consents = PortalConsent.objects.filter(young_person=ung18.citizen, revoked_at=None)
    assert [c.member for c in consents] == [mother]
    assert consents.get().given_on >= citizen_of(ung18).birth_date + relativedelta(years=18)

    assert visible("ung18-mor") == {own}
    assert home_children("ung18-mor") == [ung18]
    assert plan_page("ung18-mor", own) == 200

    assert visible("ung18-far") == set()
    assert home_children("ung18-far") == []
    assert plan_page("ung18-far", own) == 404
