"""Who of the family sees a child's case in the portal, and the caseworker's two ways of
widening it (cases.portal_rights): a time-limited grant under 18, the young person's consent
from 18. Each is logged; each ends (revoked, or the last day passed) at once."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access.models import AccessLogEntry
from accounts.models import Role
from cases import invitations, portal_rights
from cases.models import Case, Citizen, FamilyMember, FamilyRelation, PortalConsent, PortalGrant
from demo import factories as f


@pytest.fixture
def household(case, personas):
    """The child's family: the custodial parent (``personas.family_user``) and a step-parent
    and the father without custody, each with a login of their own."""
    child = FamilyMember.objects.get(citizen=case.citizen)
    family = child.family

    def adult(username: str, first: str, kind: str) -> FamilyMember:
        member = FamilyMember.objects.create(
            family=family,
            first_name=first,
            last_name="Holm",
            user=f.UserFactory(username=username, role=Role.FAMILY),
        )
        FamilyRelation.objects.create(member=member, child=child, kind=kind)
        return member

    return {
        "step": adult("step", "Ole", FamilyRelation.Kind.STEP_PARENT),
        "father": adult("father", "Jens", FamilyRelation.Kind.PARENT_NO_CUSTODY),
        "child": child,
    }


def sees(member: FamilyMember, case: Case) -> bool:
    return Case.objects.visible_to_family(member.user).filter(pk=case.pk).exists()


def make_adult(case: Case, years: int = 19) -> None:
    Citizen.objects.filter(pk=case.citizen_id).update(
        birth_date=timezone.localdate() - dt.timedelta(days=years * 366)
    )
    case.citizen.refresh_from_db()


def test_without_custody_a_parent_and_a_step_parent_see_nothing(case, household, personas):
    assert sees(FamilyMember.objects.get(user=personas.family_user), case)
    assert not sees(household["step"], case)
    assert not sees(household["father"], case)


def test_a_grant_shows_the_case_until_its_last_day_and_is_logged(case, household, personas):
    step = household["step"]
    last_day = timezone.localdate() + dt.timedelta(days=3)
    grant = portal_rights.portal_grant(
        case=case,
        member=step,
        reason="Deltager i planen",
        valid_until=last_day,
        granted_by=personas.owner,
    )
    assert sees(step, case)
    assert not sees(household["father"], case), "a grant is for one person"
    assert AccessLogEntry.objects.filter(
        case=case, user=personas.owner, target__contains="adgang til familieportalen for Ole"
    ).exists()
    after = timezone.localtime() + dt.timedelta(days=4)
    with time_machine.travel(after, tick=False):
        assert not sees(step, case)
        assert portal_rights.log_ended_portal_grants() == 1
        assert portal_rights.log_ended_portal_grants() == 0, "logged once"
    grant.refresh_from_db()
    assert grant.expiry_logged_at is not None
    assert (
        AccessLogEntry.objects.filter(case=case, user=None, target__contains="udløbet").count() == 1
    )


def test_a_revoked_grant_ends_at_once(case, household, personas):
    step = household["step"]
    grant = portal_rights.portal_grant(
        case=case,
        member=step,
        reason="Deltager i planen",
        valid_until=timezone.localdate() + dt.timedelta(days=30),
        granted_by=personas.owner,
    )
    portal_rights.portal_grant_revoke(case=case, grant=grant, revoked_by=personas.owner)
    assert not sees(step, case)
    assert AccessLogEntry.objects.filter(case=case, target__contains="ophævet: Ole").exists()


@pytest.mark.parametrize(
    ("reason", "valid_until", "field"),
    [
        ("", 10, "reason"),
        ("Deltager i planen", -1, "valid_until"),
        ("Deltager i planen", 400, "valid_until"),
    ],
)
def test_a_grant_needs_a_reason_and_a_last_day_within_a_year(
    case, household, personas, reason, valid_until, field
):
    with pytest.raises(ValidationError) as error:
        portal_rights.portal_grant(
            case=case,
            member=household["step"],
            reason=reason,
            valid_until=timezone.localdate() + dt.timedelta(days=valid_until),
            granted_by=personas.owner,
        )
    assert field in error.value.error_dict
    assert not PortalGrant.objects.exists()


def test_no_grant_from_18_and_no_consent_under_18(case, household, personas):
    with pytest.raises(ValidationError, match="under 18"):
        portal_rights.portal_consent_record(
            case=case,
            member=household["father"],
            given_on=timezone.localdate(),
            recorded_by=personas.owner,
        )
    make_adult(case)
    with pytest.raises(ValidationError, match="fyldt 18"):
        portal_rights.portal_grant(
            case=case,
            member=household["father"],
            reason="x",
            valid_until=timezone.localdate(),
            granted_by=personas.owner,
        )
    assert not PortalConsent.objects.exists() and not PortalGrant.objects.exists()


def test_from_18_only_the_consented_adult_sees_the_case(case, household, personas):
    custodial = FamilyMember.objects.get(user=personas.family_user)
    make_adult(case)
    assert not sees(custodial, case), "custody ends at 18"
    consent = portal_rights.portal_consent_record(
        case=case,
        member=household["father"],
        given_on=timezone.localdate(),
        recorded_by=personas.owner,
    )
    assert sees(household["father"], case)
    assert not sees(custodial, case)
    assert not sees(household["step"], case)
    with pytest.raises(ValidationError):
        portal_rights.portal_consent_record(
            case=case,
            member=household["father"],
            given_on=timezone.localdate(),
            recorded_by=personas.owner,
        )
    portal_rights.portal_consent_revoke(case=case, consent=consent, revoked_by=personas.owner)
    assert not sees(household["father"], case)
    targets = list(
        AccessLogEntry.objects.filter(case=case, action="change").values_list("target", flat=True)
    )
    assert "samtykke til familieportalen: Jens Holm" in targets
    assert "samtykke til familieportalen tilbagekaldt: Jens Holm" in targets


def test_a_consent_cannot_predate_the_18th_birthday(case, household, personas):
    make_adult(case, years=18)
    with pytest.raises(ValidationError) as error:
        portal_rights.portal_consent_record(
            case=case,
            member=household["father"],
            given_on=timezone.localdate() - dt.timedelta(days=200),
            recorded_by=personas.owner,
        )
    assert "given_on" in error.value.error_dict


def test_custody_is_sole_or_joint(case, household):
    assert portal_rights.custody_kind(case.citizen) == "Eneforældremyndighed"
    FamilyRelation.objects.filter(member=household["father"]).update(
        kind=FamilyRelation.Kind.PARENT_CUSTODY
    )
    assert portal_rights.custody_kind(case.citizen) == "Fælles forældremyndighed"
    assert sees(household["father"], case)


def test_an_adult_without_a_right_is_not_invited_until_granted(case, household, personas):
    step = FamilyMember.objects.create(
        family=household["child"].family, first_name="Lise", last_name="Holm"
    )
    with pytest.raises(ValidationError, match="ikke ret"):
        invitations.invitation_create(
            case=case, member=step, user=personas.owner, email="lise@example.dk"
        )
    portal_rights.portal_grant(
        case=case,
        member=step,
        reason="Deltager i planen",
        valid_until=timezone.localdate() + dt.timedelta(days=30),
        granted_by=personas.owner,
    )
    assert invitations.invitation_create(
        case=case, member=step, user=personas.owner, email="lise@example.dk"
    )


def test_the_family_tab_says_who_sees_the_case_and_offers_the_right_action(
    case, household, personas, login
):
    portal_rights.portal_grant(
        case=case,
        member=household["step"],
        reason="Deltager i planen",
        valid_until=timezone.localdate() + dt.timedelta(days=30),
        granted_by=personas.owner,
    )
    page = login(personas.owner).get(reverse("cases:case_family", args=[case.pk]))
    html = page.content.decode()
    assert "Eneforældremyndighed" in html
    assert "Tidsbegrænset adgang til og med" in html
    grant_url = reverse("cases:portal_grant", args=[case.pk])
    assert f"{grant_url}?medlem={household['father'].pk}" in html
    assert f"{grant_url}?medlem={household['step'].pk}" not in html
    # The therapist sees who sees the case, but may not change it.
    html = (
        login(personas.therapist).get(reverse("cases:case_family", args=[case.pk])).content.decode()
    )
    assert "Tidsbegrænset adgang til og med" in html
    assert grant_url not in html


def test_the_grant_page_saves_and_shows_errors_in_danish(case, household, personas, login):
    client = login(personas.owner)
    url = reverse("cases:portal_grant", args=[case.pk])
    response = client.post(url, {"grant-member": household["father"].pk, "grant-reason": ""})
    assert response.status_code == 200
    assert "Skriv hvorfor personen skal kunne se sagen." in response.content.decode()
    assert not PortalGrant.objects.exists()
    response = client.post(
        url,
        {
            "grant-member": household["father"].pk,
            "grant-reason": "Far deltager i planen",
            "grant-valid_until": (timezone.localdate() + dt.timedelta(days=5)).strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 302
    assert sees(household["father"], case)


def test_a_new_grant_after_an_ended_one_logs_the_end_once(case, household, personas):
    step = household["step"]
    first = portal_rights.portal_grant(
        case=case,
        member=step,
        reason="Deltager i planen",
        valid_until=timezone.localdate(),
        granted_by=personas.owner,
    )
    PortalGrant.objects.filter(pk=first.pk).update(
        valid_until=timezone.localdate() - dt.timedelta(days=2)
    )
    portal_rights.portal_grant(
        case=case,
        member=step,
        reason="Deltager igen",
        valid_until=timezone.localdate() + dt.timedelta(days=5),
        granted_by=personas.owner,
    )
    assert sees(step, case)
    assert portal_rights.log_ended_portal_grants() == 0
    assert AccessLogEntry.objects.filter(case=case, target__contains="udløbet").count() == 1


@pytest.mark.parametrize("name", ["portal_consent_record", "portal_grant"])
def test_the_family_tabs_link_preselects_the_member(case, household, personas, login, name):
    if name == "portal_consent_record":
        make_adult(case)
    father = household["father"]
    url = reverse(f"cases:{name}", args=[case.pk]) + f"?medlem={father.pk}"
    html = login(personas.owner).get(url).content.decode()
    assert f'<option value="{father.pk}" selected>' in html
