"""Who sees which case, explicit shares, loading a case for a request, and role checks."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import RequestFactory
from guardian.shortcuts import assign_perm

from access import rules as permissions
from access.log import Action
from access.models import AccessLogEntry, CaseShare
from accounts.models import Role
from cases.models import Case, CaseStatus
from cases.pages import load_case
from demo import factories as f
from portal.pages import load_family_case

CPH = ZoneInfo("Europe/Copenhagen")


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CPH)


@pytest.fixture
def inactive_owner(personas):
    personas.owner.is_active = False
    personas.owner.save(update_fields=["is_active"])
    return personas.owner


@pytest.fixture
def team_b_case(org, personas):
    """The colleague's own case on team B, to check visibility does not leak across teams."""
    return f.CaseFactory(owner=personas.colleague, team=org.team_b)


def sees(user, case) -> bool:
    return Case.objects.visible_to(user).filter(id=case.id).exists()


def request_for(user, path: str = "/sager/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


# --- visible_cases ---------------------------------------------------------------------------


def test_visible_cases_for_every_persona(case, team_b_case, personas):
    expected = {
        "owner": {case},
        "colleague": {team_b_case},
        "team_lead": {case},
        "therapist": {case},
        "other_therapist": set(),
        "family_user": set(),
        "other_family_user": set(),
    }
    actual = {name: set(Case.objects.visible_to(user)) for name, user in vars(personas).items()}
    assert actual == expected
    for name, user in vars(personas).items():
        assert Case.objects.visible_to(user).filter(pk=case.pk).exists() is (
            case in expected[name]
        ), name


def test_anonymous_sees_nothing(case):
    assert not Case.objects.visible_to(AnonymousUser()).exists()
    assert Case.objects.visible_to(AnonymousUser()).filter(pk=case.pk).exists() is False


def test_inactive_user_sees_nothing(case, inactive_owner):
    assert not Case.objects.visible_to(inactive_owner).exists()


def test_inactive_team_lead_sees_nothing(case, personas):
    personas.team_lead.is_active = False
    personas.team_lead.save(update_fields=["is_active"])
    assert not sees(personas.team_lead, case)


def test_a_team_member_who_is_not_lead_sees_only_own_cases(case, org, personas):
    member = f.UserFactory(role=Role.CASEWORKER)
    f.add_member(org.team_a, member)
    assert not sees(member, case)
    own = f.CaseFactory(owner=member, team=org.team_a)
    assert set(Case.objects.visible_to(member)) == {own}


def test_lead_of_another_team_does_not_see_the_case(case, org):
    lead_b = f.UserFactory(role=Role.TEAM_LEAD)
    f.add_member(org.team_b, lead_b, lead=True)
    assert not sees(lead_b, case)


def test_assignment_grants_visibility_and_follows_the_measure(case, personas):
    other_measure = f.MeasureFactory(case=f.CaseFactory(), provider_team=case.team)
    f.assign(other_measure, personas.other_therapist)
    assert set(Case.objects.visible_to(personas.other_therapist)) == {other_measure.case}


def test_closed_cases_stay_visible_to_those_who_worked_on_them(case, personas):
    case.status = CaseStatus.CLOSED
    case.save(update_fields=["status"])
    assert sees(personas.owner, case)
    assert sees(personas.team_lead, case)


def test_a_family_user_who_owns_a_case_row_still_sees_nothing(case, personas, org):
    # Defence in depth: a family login never gets staff visibility, whatever the rows say.
    stray = f.CaseFactory(owner=personas.family_user, team=org.team_a)
    assert not sees(personas.family_user, stray)


# --- explicit shares -------------------------------------------------------------------------


def test_share_is_visible_until_and_including_valid_until(case, personas):
    with time_machine.travel(local(2026, 4, 1, 9, 0), tick=False):
        share = permissions.case_share_grant(
            case=case,
            user=personas.colleague,
            valid_until=dt.date(2026, 4, 10),
            reason="Ferieafløsning",
            granted_by=personas.owner,
        )
        assert sees(personas.colleague, case)
    share.refresh_from_db()
    assert share.valid_until == dt.date(2026, 4, 10)
    assert share.reason == "Ferieafløsning"
    assert share.granted_by == personas.owner
    assert share.permission.codename == "view_case"

    with time_machine.travel(local(2026, 4, 10, 0, 0, 1), tick=False):
        assert sees(personas.colleague, case)
    with time_machine.travel(local(2026, 4, 10, 23, 59, 59), tick=False):
        assert sees(personas.colleague, case)
    with time_machine.travel(local(2026, 4, 11, 0, 0, 1), tick=False):
        assert not sees(personas.colleague, case)
    # 10 April 23:30 UTC is already 11 April in Denmark.
    with time_machine.travel(dt.datetime(2026, 4, 10, 23, 30, tzinfo=dt.UTC), tick=False):
        assert not sees(personas.colleague, case)


def test_share_grant_is_logged(case, personas):
    permissions.case_share_grant(
        case=case,
        user=personas.colleague,
        valid_until=dt.date(2099, 1, 1),
        reason="Sygdom",
        granted_by=personas.team_lead,
    )
    entry = AccessLogEntry.objects.get(action=Action.CHANGE)
    assert entry.user == personas.team_lead
    assert entry.case == case
    assert entry.citizen_id == case.citizen_id
    assert entry.target == "deling med colleague"


def test_granting_again_extends_the_one_share(case, personas):
    for until in (dt.date(2099, 1, 1), dt.date(2099, 6, 1)):
        permissions.case_share_grant(
            case=case,
            user=personas.colleague,
            valid_until=until,
            reason="Afløsning",
            granted_by=personas.owner,
        )
    share = CaseShare.objects.get(user=personas.colleague)
    assert share.valid_until == dt.date(2099, 6, 1)


def test_share_revoke_removes_visibility(case, personas):
    permissions.case_share_grant(
        case=case,
        user=personas.colleague,
        valid_until=dt.date(2099, 1, 1),
        reason="Afløsning",
        granted_by=personas.owner,
    )
    assert sees(personas.colleague, case)
    permissions.case_share_revoke(case=case, user=personas.colleague, revoked_by=personas.owner)
    assert not sees(personas.colleague, case)
    assert not CaseShare.objects.filter(user=personas.colleague).exists()
    entry = AccessLogEntry.objects.filter(action=Action.CHANGE).order_by("-id").first()
    assert entry is not None
    assert entry.user == personas.owner
    assert entry.target == "deling med colleague ophævet"


def test_expired_share_is_not_visible(case, personas):
    with time_machine.travel(local(2026, 4, 20, 12, 0), tick=False):
        permissions.case_share_grant(
            case=case,
            user=personas.colleague,
            valid_until=dt.date(2026, 4, 30),
            reason="Afløsning i påsken",
            granted_by=personas.owner,
        )
        assert sees(personas.colleague, case)
    with time_machine.travel(local(2026, 5, 1, 12, 0), tick=False):
        assert not sees(personas.colleague, case)


def test_a_share_cannot_be_granted_already_expired_or_without_reason(case, personas):
    with time_machine.travel(local(2026, 5, 1, 12, 0), tick=False):
        with pytest.raises(ValidationError) as expired:
            permissions.case_share_grant(
                case=case,
                user=personas.colleague,
                valid_until=dt.date(2026, 4, 30),
                reason="Gammel afløsning",
                granted_by=personas.owner,
            )
        assert "valid_until" in expired.value.message_dict
        with pytest.raises(ValidationError) as no_reason:
            permissions.case_share_grant(
                case=case,
                user=personas.colleague,
                valid_until=dt.date(2026, 5, 30),
                reason="  ",
                granted_by=personas.owner,
            )
        assert "reason" in no_reason.value.message_dict
    assert not CaseShare.objects.filter(user=personas.colleague).exists()


def test_share_without_end_date_grants_nothing(case, personas):
    # Only case_share_grant writes shares; a bare guardian row has no end date and no effect.
    assign_perm(permissions.VIEW_CASE, personas.colleague, case)
    assert CaseShare.objects.filter(user=personas.colleague).exists()
    assert not sees(personas.colleague, case)


def test_a_share_of_another_permission_grants_no_visibility(case, personas):
    share = assign_perm("cases.change_case", personas.colleague, case)
    share.valid_until = dt.date(2099, 1, 1)
    share.save()
    assert not sees(personas.colleague, case)


def test_a_share_with_a_family_user_is_refused_and_grants_nothing(case, personas):
    with pytest.raises(ValidationError):
        permissions.case_share_grant(
            case=case,
            user=personas.family_user,
            valid_until=dt.date(2099, 1, 1),
            reason="Fejl",
            granted_by=personas.owner,
        )
    assert not CaseShare.objects.filter(user=personas.family_user).exists()
    assert not sees(personas.family_user, case)


def test_a_share_of_one_case_shows_only_that_case(case, personas):
    f.CaseFactory(owner=personas.owner, team=case.team)
    permissions.case_share_grant(
        case=case,
        user=personas.other_therapist,
        valid_until=dt.date(2099, 1, 1),
        reason="Afløsning",
        granted_by=personas.owner,
    )
    assert set(Case.objects.visible_to(personas.other_therapist)) == {case}


# --- loading a case for a request (cases.pages.load_case, portal.pages.load_family_case) -----


def test_get_case_for_request_returns_the_case_and_logs_the_view(case, personas):
    path = f"/sager/{case.id}/"
    loaded = load_case(request_for(personas.owner, path), case.id)
    assert loaded == case
    entry = AccessLogEntry.objects.get()
    assert entry.action == Action.VIEW
    assert entry.user == personas.owner
    assert entry.username == "owner"
    assert entry.case == case
    assert entry.citizen_id == case.citizen_id
    assert entry.target == path


@pytest.mark.parametrize("name", ["owner", "team_lead", "therapist"])
def test_everyone_who_may_see_gets_the_case(case, personas, name):
    user = getattr(personas, name)
    assert load_case(request_for(user), str(case.id)) == case
    assert AccessLogEntry.objects.get().user == user


def test_get_case_for_request_with_another_action(case, personas):
    load_case(request_for(personas.owner), case.id, action=Action.CHANGE)
    assert AccessLogEntry.objects.get().action == Action.CHANGE


def test_get_case_for_request_loads_the_related_rows_in_one_query(
    case, personas, django_assert_num_queries
):
    request = request_for(personas.owner)
    with django_assert_num_queries(2):  # the case, the log row
        loaded = load_case(request, case.id)
    with django_assert_num_queries(0):
        assert loaded.citizen.cpr
        assert loaded.owner.username == "owner"
        assert loaded.team.name == "Team Nord"


@pytest.mark.parametrize(
    "name", ["colleague", "other_therapist", "family_user", "other_family_user"]
)
def test_outsider_gets_404_and_a_denied_entry_tied_to_the_case(case, personas, name):
    user = getattr(personas, name)
    path = f"/sager/{case.id}/"
    with pytest.raises(Http404):
        load_case(request_for(user, path), case.id)
    entry = AccessLogEntry.objects.get()
    assert entry.action == Action.DENIED
    assert entry.user == user
    assert entry.username == user.username
    assert entry.case == case
    assert entry.citizen_id == case.citizen_id
    assert entry.target == path


def test_anonymous_gets_404_and_a_denied_entry_without_user(case):
    with pytest.raises(Http404):
        load_case(request_for(AnonymousUser()), case.id)
    entry = AccessLogEntry.objects.get()
    assert entry.action == Action.DENIED
    assert entry.user is None
    assert entry.username == ""
    assert entry.case == case


def test_inactive_user_gets_404(case, inactive_owner):
    with pytest.raises(Http404):
        load_case(request_for(inactive_owner), case.id)
    assert AccessLogEntry.objects.get().action == Action.DENIED


@pytest.mark.parametrize("name", ["owner", "colleague"])
def test_unknown_case_id_gets_404_and_a_denied_entry_without_case(case, personas, name):
    user = getattr(personas, name)
    missing = uuid.uuid4()
    with pytest.raises(Http404):
        load_case(request_for(user, f"/sager/{missing}/"), missing)
    entry = AccessLogEntry.objects.get()
    assert entry.action == Action.DENIED
    assert entry.user == user
    assert entry.case is None
    assert entry.citizen is None
    assert entry.target == f"/sager/{missing}/"


def test_expired_share_gets_404(case, personas):
    with time_machine.travel(local(2026, 4, 1, 9, 0), tick=False):
        permissions.case_share_grant(
            case=case,
            user=personas.colleague,
            valid_until=dt.date(2026, 4, 1),
            reason="Én dag",
            granted_by=personas.owner,
        )
        assert load_case(request_for(personas.colleague), case.id) == case
    with time_machine.travel(local(2026, 4, 2, 9, 0), tick=False), pytest.raises(Http404):
        load_case(request_for(personas.colleague), case.id)


def test_requests_run_without_a_request_wide_transaction(settings):
    # With ATOMIC_REQUESTS the Http404 would roll back the very entry recording the refusal.
    assert not settings.DATABASES["default"].get("ATOMIC_REQUESTS")


# --- one query, however many cases ----------------------------------------------------------


def _cases_through_every_relation(org, personas, n: int) -> None:
    for _ in range(n):
        f.CaseFactory(owner=personas.owner, team=org.team_a)
        f.CaseFactory(owner=personas.colleague, team=org.team_a)  # seen as lead
        measure = f.MeasureFactory(provider_team=org.family_house)
        f.assign(measure, personas.team_lead)  # seen as assigned
        shared = f.CaseFactory(owner=personas.colleague, team=org.team_b)
        permissions.case_share_grant(
            case=shared,
            user=personas.team_lead,
            valid_until=dt.date(2099, 1, 1),
            reason="Afløsning",
            granted_by=personas.colleague,
        )
        f.CaseFactory(owner=personas.colleague, team=org.team_b)  # not seen


@pytest.mark.parametrize("n", [1, 15])
def test_visible_cases_is_one_query_whatever_the_number_of_cases(
    case, org, personas, n, django_assert_num_queries
):
    _cases_through_every_relation(org, personas, n)
    with django_assert_num_queries(1) as captured:
        seen = list(Case.objects.visible_to(personas.team_lead))
    # The fixture's case (as lead) plus per round: own-team case ×2, assigned, shared.
    assert len(seen) == 1 + 4 * n
    sql = captured.captured_queries[0]["sql"]
    # Each relation its own indexed condition: the owner column and three id arrays.
    assert sql.count("= ANY(ARRAY(") == 3
    assert "::text" not in sql  # no guardian-style casting of ids to text


def test_visible_case_ids_is_a_subquery_usable_in_other_queries(
    case, personas, django_assert_num_queries
):
    from cases.models import Notification

    with django_assert_num_queries(1):
        count = Notification.objects.filter(
            case_id__in=Case.objects.visible_to(personas.therapist).values("id")
        ).count()
    assert count == case.notifications.count() == 1


# --- role checks -----------------------------------------------------------------------------


def test_can_register_notification_per_role(personas, inactive_owner):
    assert permissions.can_register_notification(personas.team_lead) is True
    assert permissions.can_register_notification(personas.colleague) is True
    for user in (
        personas.therapist,
        personas.family_user,
        f.UserFactory(role=Role.PSYCHOLOGIST),
        f.UserFactory(role=Role.ADMIN),
        AnonymousUser(),
        inactive_owner,
    ):
        assert permissions.can_register_notification(user) is False, user


def test_can_work_case_per_persona(case, personas, org, inactive_owner):
    lead_b = f.UserFactory(role=Role.TEAM_LEAD)
    f.add_member(org.team_b, lead_b, lead=True)
    assert permissions.CaseAccess(personas.team_lead, case).can_work is True
    for user in (
        personas.colleague,
        personas.therapist,  # sees the case, but has no authority
        personas.other_therapist,
        personas.family_user,
        lead_b,
        AnonymousUser(),
        inactive_owner,
    ):
        assert permissions.CaseAccess(user, case).can_work is False, user


def test_can_work_case_owner(case, personas):
    assert permissions.CaseAccess(personas.owner, case).can_work is True


def test_can_work_case_as_a_team_member_who_is_not_lead(case, org):
    member = f.UserFactory(role=Role.CASEWORKER)
    f.add_member(org.team_a, member)
    assert permissions.CaseAccess(member, case).can_work is False


def test_can_export_access_log_per_role(personas, inactive_owner):
    admin = f.UserFactory(role=Role.ADMIN)
    assert permissions.can_export_access_log(personas.team_lead) is True
    assert permissions.can_export_access_log(admin) is True
    for user in (
        personas.owner,
        personas.colleague,
        personas.therapist,
        personas.family_user,
        f.UserFactory(role=Role.PSYCHOLOGIST),
        AnonymousUser(),
    ):
        assert permissions.can_export_access_log(user) is False, user
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    assert permissions.can_export_access_log(admin) is False


def test_a_malformed_case_id_is_a_logged_404_not_an_error(case, personas):
    request = request_for(personas.owner, "/sager/not-a-uuid/")
    with pytest.raises(Http404):
        load_case(request, "not-a-uuid")
    entry = AccessLogEntry.objects.latest("id")
    assert (entry.action, entry.case_id, entry.username) == ("denied", None, "owner")


def test_get_case_for_family_only_own_child_and_not_at_the_notification_stage(case, personas):
    own = load_family_case(request_for(personas.family_user), case.id)
    assert own == case
    assert AccessLogEntry.objects.filter(
        user=personas.family_user, case=case, action="view"
    ).exists()
    for outsider in (personas.other_family_user, personas.owner):
        with pytest.raises(Http404):
            load_family_case(request_for(outsider), case.id)
        assert AccessLogEntry.objects.filter(user=outsider, case=case, action="denied").exists()
    case.status = "notification"
    case.save(update_fields=["status"])
    with pytest.raises(Http404):
        load_family_case(request_for(personas.family_user), case.id)
