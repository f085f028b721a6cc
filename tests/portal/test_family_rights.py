"""Who in a family sees a child's case in the portal (access.rules._family_rights): custody
holders while the child is under 18; the child or young person itself from 10, never a
sibling's case; from 18 the young person and the adults it has consented to. A parent without
custody, a step-parent and other adults see nothing. Each is checked on the portal's plan
page (200 or a logged 404) and on the landing page's list of children."""

import datetime as dt
from html import unescape

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from accounts.models import Role
from cases.models import Family, FamilyMember, FamilyRelation, PortalConsent
from demo import factories as f

pytestmark = pytest.mark.django_db
Kind = FamilyRelation.Kind


def born_years_ago(years: int, days: int = 0) -> dt.date:
    return timezone.localdate() - relativedelta(years=years) + dt.timedelta(days=days)


def login_user(username: str):
    return f.UserFactory(username=username, role=Role.FAMILY)


@pytest.fixture
def household(org, personas):
    """One household: a child of 12 with a case in the assessment stage, its sibling of 16
    with a case of its own, and the adults around them."""
    family = Family.objects.create(name="Familien Holm")
    child = f.CitizenFactory(birth_date=born_years_ago(12))
    sibling = f.CitizenFactory(birth_date=born_years_ago(16))
    child_member = FamilyMember.objects.create(family=family, citizen=child, is_child=True)
    sibling_member = FamilyMember.objects.create(
        family=family, citizen=sibling, is_child=True, user=login_user("ung")
    )
    adults = {}
    for username, kind in [
        ("mor", Kind.PARENT_CUSTODY),
        ("far", Kind.PARENT_NO_CUSTODY),
        ("stedfar", Kind.STEP_PARENT),
        ("moster", Kind.OTHER_ADULT),
    ]:
        member = FamilyMember.objects.create(
            family=family, first_name=username, last_name="Holm", user=login_user(username)
        )
        for kid in (child_member, sibling_member):
            FamilyRelation.objects.create(member=member, child=kid, kind=kind)
        adults[username] = member
    case = f.CaseFactory(citizen=child, owner=personas.owner, team=org.team_a, status="assessment")
    sibling_case = f.CaseFactory(
        citizen=sibling, owner=personas.owner, team=org.team_a, status="assessment"
    )
    return {
        "case": case,
        "sibling_case": sibling_case,
        "child_member": child_member,
        "sibling_member": sibling_member,
        "adults": adults,
    }


def sees(login, member_or_user, case) -> bool:
    user = getattr(member_or_user, "user", member_or_user)
    response = login(user).get(reverse("family:plan", args=[case.pk]))
    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert AccessLogEntry.objects.filter(case=case, user=user, action="denied").exists()
    return response.status_code == 200


def listed(login, member_or_user, citizen) -> bool:
    user = getattr(member_or_user, "user", member_or_user)
    page = unescape(login(user).get(reverse("family:home")).content.decode())
    # The full name: a first name alone may be someone else's (the factories' names are random).
    return citizen.full_name in page


def test_only_the_custody_holder_sees_the_childs_case(household, login):
    case, adults = household["case"], household["adults"]
    assert sees(login, adults["mor"], case)
    for name in ("far", "stedfar", "moster"):
        assert not sees(login, adults[name], case), name
        assert not listed(login, adults[name], case.citizen), name
    assert listed(login, adults["mor"], case.citizen)


def test_a_young_person_sees_its_own_case_never_its_siblings(household, login):
    young = household["sibling_member"]
    assert sees(login, young, household["sibling_case"])
    assert not sees(login, young, household["case"])
    assert not listed(login, young, household["case"].citizen)


def test_a_child_under_ten_with_a_login_sees_nothing(household, login, org, personas):
    household["child_member"].citizen.birth_date = born_years_ago(9)
    household["child_member"].citizen.save()
    household["child_member"].user = login_user("lille")
    household["child_member"].save()
    assert not sees(login, household["child_member"], household["case"])


def test_custody_ends_at_18_and_consent_then_decides(household, login, personas):
    young = household["sibling_member"]
    citizen = young.citizen
    citizen.birth_date = born_years_ago(18)  # 18 today
    citizen.save()
    mor, far = household["adults"]["mor"], household["adults"]["far"]
    case = household["sibling_case"]
    assert sees(login, young, case)
    assert not sees(login, mor, case)  # custody no longer gives access

    consent = PortalConsent.objects.create(
        young_person=citizen, member=mor, given_on=timezone.localdate(), recorded_by=personas.owner
    )
    assert sees(login, mor, case)
    assert not sees(login, far, case)

    consent.revoked_at = timezone.now()
    consent.save()
    assert not sees(login, mor, case)


def test_a_consent_before_18_gives_nothing_beyond_custody(household, login, personas):
    young = household["sibling_member"]
    PortalConsent.objects.create(
        young_person=young.citizen,
        member=household["adults"]["far"],
        given_on=timezone.localdate(),
        recorded_by=personas.owner,
    )
    assert not sees(login, household["adults"]["far"], household["sibling_case"])


def test_nobody_in_the_family_sees_a_case_at_the_notification_stage(household, login):
    case = household["case"]
    case.status = "notification"
    case.save()
    assert not sees(login, household["adults"]["mor"], case)


# --- the matrix: every portal page of a case, every family persona -----------------------------

CASE_PATTERNS = [
    p
    for p in __import__("portal.urls", fromlist=["urlpatterns"]).urlpatterns
    if "case_id" in p.pattern.converters
]


@pytest.fixture
def matrix(household, org, personas, monkeypatch, settings, tmp_path):
    """The household's case with a measure, a closing letter in review by the custody holder,
    a decision made with its letter's PDF, and two more adults: one granted access until next
    week, one whose grant ended."""
    from cases import portal_rights

    case = household["case"]
    case.status = "measure"
    case.save(update_fields=["status"])
    measure = f.MeasureFactory(case=case, provider_team=org.family_house)
    f.assign(measure, personas.therapist)
    f.fake_rendering_task(monkeypatch)
    letter = f.letter_in_review(measure, personas.therapist, household["adults"]["mor"].user)
    settings.MEDIA_ROOT = tmp_path
    decision = f.decision_made(case, personas.owner)
    f.decision_letter_done(decision)
    family = household["child_member"].family
    granted = FamilyMember.objects.create(
        family=family, first_name="Bedste", last_name="Holm", user=login_user("bedste")
    )
    portal_rights.portal_grant(
        case=case,
        member=granted,
        reason="Passer barnet hver eftermiddag",
        valid_until=timezone.localdate() + dt.timedelta(days=7),
        granted_by=personas.owner,
    )
    expired = FamilyMember.objects.create(
        family=family, first_name="Onkel", last_name="Holm", user=login_user("onkel")
    )
    portal_rights.portal_grant(
        case=case,
        member=expired,
        reason="Var med til planmødet",
        valid_until=timezone.localdate(),
        granted_by=personas.owner,
    )
    from cases.models import PortalGrant

    PortalGrant.objects.filter(member=expired).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    return {
        "case": case,
        "letter": letter,
        "decision": decision,
        "granted": granted,
        "expired": expired,
    }


# persona -> whether it sees the child's case in the portal
FAMILY_PERSONAS = {
    "mor": True,  # custody holder
    "far": False,  # parent without custody
    "stedfar": False,  # step-parent
    "moster": False,  # another adult
    "ung": False,  # the sibling's own login
    "bedste": True,  # an adult granted access until next week
    "onkel": False,  # an adult whose grant has ended
}


@pytest.mark.parametrize("persona", list(FAMILY_PERSONAS))
@pytest.mark.parametrize("pattern", CASE_PATTERNS, ids=[p.name for p in CASE_PATTERNS])
def test_every_portal_page_of_a_case_for_every_family_persona(
    pattern, persona, household, matrix, login
):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=persona)
    case = matrix["case"]
    kwargs = {"case_id": case.pk}
    if "letter_id" in pattern.pattern.converters:
        kwargs["letter_id"] = matrix["letter"].pk
    if "decision_id" in pattern.pattern.converters:
        kwargs["decision_id"] = matrix["decision"].pk
    url = reverse(f"family:{pattern.name}", kwargs=kwargs)
    client = login(user)
    response = client.get(url)
    if response.status_code == 405:  # a form that only accepts a POST
        response = client.post(url, {})
    if not FAMILY_PERSONAS[persona]:
        assert response.status_code == 404, f"{persona} GET {pattern.name}"
        assert AccessLogEntry.objects.filter(
            case=case, user=user, action="denied", target=url
        ).exists()
    elif pattern.name in ("plan", "network", "decision_pdf"):
        # The decision letter is for everyone who may see the case.
        assert response.status_code == 200, f"{persona} GET {pattern.name}"
    else:
        # Letters are for the reviewers the therapist chose: the custody holder reads it; an
        # adult with a grant sees the case but the letter answers as for anyone else.
        assert response.status_code in (200, 302, 404, 405), f"{persona} GET {pattern.name}"
        if persona == "mor" and pattern.name == "letter_detail":
            assert response.status_code == 200
