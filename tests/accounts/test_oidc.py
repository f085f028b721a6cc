"""Single sign-on against a real OpenID Connect provider (tests/oidc_provider: django-oauth-
toolkit, its own process, PKCE required): staff with their groups mapped to role and team, and
a role lost with the group; families with MitID matched by the CPR claim at substantial
assurance and refused at low; a tampered and an expired ID token refused; logout ending the
provider's session too; and no CPR number in any log line on the way."""

import logging

import pytest
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.test import Client

from access.rules import family_case_visibility
from accounts import oidc
from accounts.models import GroupMapping, Role, TeamMembership, User
from cases.models import Case, Family, FamilyMember, FamilyRelation
from demo import factories as f
from tests.accounts.oidc_flow import CITIZEN_START, log_in
from tests.oidc_provider.process import LOW, SUBSTANTIAL, started

pytestmark = [pytest.mark.processes, pytest.mark.django_db]

MOTHER_CPR = "1503801234"  # fictitious, 1980: never drawn by the factories (children)
FATHER_CPR = "2207791239"
CASEWORKERS = "fv-sagsbehandlere-nord"
LEADS = "fv-teamledere-nord"


def staff(sub: str, groups: list[str], **extra) -> dict:
    return {
        "claims": {
            "sub": sub,
            "given_name": "Anna",
            "family_name": "Andersen",
            "email": f"{sub}@kommune.example",
            "groups": groups,
            **extra,
        }
    }


def citizen(sub: str, cpr: str, loa: str) -> dict:
    return {"claims": {"sub": sub, "dk:gov:cpr": cpr, "loa": loa}}


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    users = {
        "anna": staff("staff-anna", [CASEWORKERS]),
        "udloebet": {**staff("staff-expired", [CASEWORKERS]), "misbehave": "expired"},
        "manipuleret": {**staff("staff-tampered", [CASEWORKERS]), "misbehave": "tampered"},
        "mor": citizen("mitid-mor", MOTHER_CPR, SUBSTANTIAL),
        "mor-lav": citizen("mitid-mor", MOTHER_CPR, LOW),
        "far": citizen("mitid-far", FATHER_CPR, SUBSTANTIAL),
    }
    with started(tmp_path_factory.mktemp("oidc-provider"), users) as running:
        yield running


@pytest.fixture(autouse=True)
def _single_sign_on(settings, provider):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    oidc.forget_discovery()
    yield
    oidc.forget_discovery()


@pytest.fixture
def team_nord(org):
    GroupMapping.objects.create(group_name=CASEWORKERS, role=Role.CASEWORKER, team=org.team_a)
    GroupMapping.objects.create(
        group_name=LEADS, role=Role.TEAM_LEAD, team=org.team_a, is_lead=True
    )
    return org.team_a


def error_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_staff_login_maps_groups_to_role_and_team_and_skips_the_local_code(provider, team_nord):
    client = Client()
    flow = log_in(client, provider, "anna")
    assert flow.response.status_code == 302
    user = User.objects.get(oidc_subject="staff-anna")
    assert (user.role, user.first_name, user.last_name) == (Role.CASEWORKER, "Anna", "Andersen")
    assert user.email == "staff-anna@kommune.example"
    assert not user.has_usable_password()
    membership = TeamMembership.objects.get(user=user)
    assert (membership.team, membership.is_lead) == (team_nord, False)
    # Two-factor is on in tests/accounts: the provider's login stands in for it.
    page = client.get("/sager/")
    assert page.status_code == 200
    assert page.wsgi_request.user == user


def test_an_existing_account_is_taken_over_by_its_email_at_the_first_login(provider, team_nord):
    existing = f.UserFactory(
        username="anna", role=Role.THERAPIST, email="staff-anna@kommune.example"
    )
    log_in(Client(), provider, "anna")
    existing.refresh_from_db()
    assert existing.oidc_subject == "staff-anna"
    assert existing.role == Role.CASEWORKER  # from the groups, not from before


def test_groups_are_recomputed_at_every_login_and_no_group_refuses(provider, team_nord):
    log_in(Client(), provider, "anna")
    user = User.objects.get(oidc_subject="staff-anna")
    assert user.role == Role.CASEWORKER

    provider.set_user("anna", staff("staff-anna", [LEADS])["claims"])
    log_in(Client(), provider, "anna")
    user.refresh_from_db()
    assert user.role == Role.TEAM_LEAD
    assert TeamMembership.objects.get(user=user).is_lead

    provider.set_user("anna", staff("staff-anna", ["some-other-group"])["claims"])
    client = Client()
    refused = log_in(client, provider, "anna").response
    assert refused.status_code == 302 and refused["Location"] == "/login/"
    assert any("ikke tildelt en rolle" in m for m in error_messages(refused))
    user.refresh_from_db()
    assert not user.is_active
    assert not TeamMembership.objects.filter(user=user).exists()
    assert client.get("/sager/").status_code == 302  # not logged in
    provider.set_user("anna", staff("staff-anna", [CASEWORKERS])["claims"])


@pytest.mark.parametrize("username", ["udloebet", "manipuleret"])
def test_an_expired_or_tampered_id_token_is_refused(provider, team_nord, username):
    client = Client()
    refused = log_in(client, provider, username).response
    assert refused.status_code == 302 and refused["Location"] == "/login/"
    assert any("kunne ikke godkendes" in m for m in error_messages(refused))
    assert not User.objects.filter(oidc_subject__startswith="staff-").exists()
    assert client.get("/sager/").status_code == 302


def test_logout_ends_the_session_at_the_provider_too(provider, team_nord):
    client = Client()
    flow = log_in(client, provider, "anna")
    session = flow.provider_session
    assert "anna" in session.get(provider.url + "/", timeout=30).text
    out = client.post("/logout/")
    assert out.status_code == 302
    end_session = out["Location"]
    assert end_session.startswith(provider.issuer + "/logout/")
    assert "id_token_hint=" in end_session
    back = session.get(end_session, allow_redirects=False, timeout=30)
    assert back.is_redirect and back.headers["Location"] == "http://testserver/login/"
    assert "provider session: none" in session.get(provider.url + "/", timeout=30).text
    assert client.get("/sager/").status_code == 302


# --- families with MitID ------------------------------------------------------------------------


@pytest.fixture
def households(org, personas):
    """The mother has custody of one child; in another family she is a parent without custody.
    Both children have cases past the notification stage."""
    mother = f.CitizenFactory(cpr=MOTHER_CPR, first_name="Mette", last_name="Holm")
    own_child = f.CitizenFactory(first_name="Ida")
    other_child = f.CitizenFactory(first_name="Oskar")
    cases = {}
    for child, kind in [
        (own_child, FamilyRelation.Kind.PARENT_CUSTODY),
        (other_child, FamilyRelation.Kind.PARENT_NO_CUSTODY),
    ]:
        family = Family.objects.create(name=f"Familien {child.first_name}")
        child_member = FamilyMember.objects.create(family=family, citizen=child, is_child=True)
        member = FamilyMember.objects.create(family=family, citizen=mother)
        FamilyRelation.objects.create(member=member, child=child_member, kind=kind)
        cases[child.first_name] = f.CaseFactory(
            citizen=child, owner=personas.owner, team=org.team_a, status="assessment"
        )
    return cases


def test_a_parent_with_mitid_sees_exactly_the_cases_custody_allows(provider, households, caplog):
    caplog.set_level(logging.DEBUG)
    client = Client()
    flow = log_in(client, provider, "mor", start=CITIZEN_START)
    assert flow.response.status_code == 302
    members = FamilyMember.objects.filter(citizen__cpr=MOTHER_CPR)
    user = members.first().user
    assert user is not None and {m.user for m in members} == {user}
    assert user.role == Role.FAMILY and not user.has_usable_password()
    visible = set(Case.objects.filter(family_case_visibility(user)))
    assert visible == {households["Ida"]}
    home = client.get("/familie/").content.decode()
    assert "Ida" in home and "Oskar" not in home

    # The second login finds the same user.
    log_in(Client(), provider, "mor", start=CITIZEN_START)
    assert User.objects.filter(role=Role.FAMILY, family_memberships__citizen__cpr=MOTHER_CPR)
    assert User.objects.filter(family_memberships__citizen__cpr=MOTHER_CPR).distinct().count() == 1

    # The CPR claim is in no log line, and not in the session either.
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for form in (MOTHER_CPR, f"{MOTHER_CPR[:6]}-{MOTHER_CPR[6:]}"):
        assert form not in logged
        for session in Session.objects.all():
            assert form not in str(session.get_decoded())
    assert caplog.records, "the flow logged nothing: the check above would prove nothing"


def test_low_assurance_is_refused(provider, households):
    client = Client()
    refused = log_in(client, provider, "mor-lav", start=CITIZEN_START).response
    assert refused.status_code == 302 and refused["Location"] == "/login/"
    assert any("sikringsniveau" in m for m in error_messages(refused))
    assert not FamilyMember.objects.filter(citizen__cpr=MOTHER_CPR, user__isnull=False).exists()
    assert client.get("/familie/").status_code == 302


def test_a_person_unknown_to_the_municipality_is_refused(provider, households):
    refused = log_in(Client(), provider, "far", start=CITIZEN_START).response
    assert refused["Location"] == "/login/"
    assert any("kan ikke finde dig" in m for m in error_messages(refused))
    assert not User.objects.filter(role=Role.FAMILY, username__startswith="mitid-").exists()
