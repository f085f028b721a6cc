"""Who may see and do what: every access rule of the application, in one module.

**Seeing a case (staff).** A member of staff sees a case through one of four relations, each
an indexed lookup:

* they own it (the caseworker, ``owner``);
* they lead the case's team (``TeamMembership.is_lead``);
* they are assigned to one of its measures (a therapist or psychologist at the provider);
* it is shared with them until an end date, with a reason (``CaseShare``, holiday cover).

Family users, anonymous and inactive users see no case here (the family portal has its own
rule below). Anything a user may not see answers 404, exactly like what does not exist, and
the attempt is logged (``access.refusals.access_log_denied``).

**Doing things with a case** (``CaseAccess``, worked out once per request):

* *authority* (judgements, assessments, measures, closing, the journal's corrections): the
  owner or the team lead, in the roles caseworker or team lead;
* *goals and network* (the plan's goals, who does what, ratings, the network map and
  meetings): the authority, or staff assigned to one of the case's measures;
* *the authority's file* (notifications and who reported, the assessment, the journal, the
  CPR page, the access log): the authority's staff who see the case; a provider's therapist
  or psychologist works from the order of the measures they are assigned to (their
  purpose, expected duration, planned hours, the plan, the network, follow-ups, sessions and
  letters) and gets a 404 for the rest, as for a case they do not see;
* *journal*: the authority's staff who see the case;
* *sessions*: staff assigned to one of the case's measures;
* *closing letters*: written by the therapists (or psychologists) assigned to the letter's
  measure; sent without the family's approval by them or by the case's owner;
* *access log export*: team leads and administrators.

**The family portal.** A family user sees a child's case only with a right to: custody of the
child while it is under 18; the child or young person itself, from 10 years; from 18, an
adult the young person has consented to; an adult the caseworker has granted access to, with a
reason and a last day, while the child is under 18. A parent without custody, a step-parent, a
sibling or another adult sees nothing otherwise. And only once the municipality has involved
the family (from the assessment on): at the notification stage the concern may be about the
parent who would read it.

This module knows the case app's field names (``owner``, ``team``, ``measures``,
``citizen``), not its code: the access layer sits below the case app (README, "Project
layout"), so the rules are conditions (``Q``) and predicates the case app applies.
"""

import datetime as dt
from functools import cached_property
from typing import Any, cast

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from access.log import Action, access_log_record
from access.models import CaseShare
from accounts.models import STAFF_ROLES, Role, Team, TeamMembership, User

VIEW_CASE = "cases.view_case"
# The roles that run cases as the municipality's authority (myndighed).
AUTHORITY = (Role.CASEWORKER, Role.TEAM_LEAD)
# The roles that work at a provider (udfører) on a measure the authority ordered.
PROVIDER = (Role.THERAPIST, Role.PSYCHOLOGIST)
NOTIFICATION_STATUS = "notification"  # cases.models.CaseStatus.NOTIFICATION
CUSTODY = "parent_custody"  # cases.models.FamilyRelation.Kind.PARENT_CUSTODY
PARTY_AGE = 10  # a child is a party to its own case, and may have its own portal login
ADULT_AGE = 18

AnyUser = User | AnonymousUser


def role_of(user: AnyUser) -> str | None:
    """The user's role, or None for anonymous and inactive users."""
    if not user.is_authenticated or not user.is_active:
        return None
    return cast(User, user).role


def is_staff(user: AnyUser) -> bool:
    return role_of(user) in STAFF_ROLES


def is_family(user: AnyUser) -> bool:
    return role_of(user) == Role.FAMILY


# --- seeing cases ----------------------------------------------------------------------------


def case_visibility(user: AnyUser) -> Q:
    """The condition on ``cases.Case`` rows that ``user`` may see as staff.

    Each relation is its own indexed condition (``id = ANY(ARRAY(subquery))`` through
    ``core.lookups.InArray``), so PostgreSQL combines four index scans instead of planning a
    semi-join over every case.
    """
    if not is_staff(user):
        return Q(pk__in=[])
    staff = cast(User, user)
    led_cases = Team.objects.filter(
        memberships__user_id=staff.pk, memberships__is_lead=True
    ).values("cases__id")
    assigned_cases = staff.measure_assignments.values("measure__case_id")  # type: ignore[attr-defined]
    shared_cases = CaseShare.objects.filter(
        user_id=staff.pk,
        permission__codename="view_case",
        valid_until__gte=timezone.localdate(),
    ).values("content_object_id")
    return (
        Q(owner_id=staff.pk)
        | Q(id__in_array=led_cases)
        | Q(id__in_array=assigned_cases)
        | Q(id__in_array=shared_cases)
    )


def _portal_rights(citizen: str, who: str, value: Any) -> Q:
    """The condition on the citizen (the child or young person, reached through the path
    ``citizen``) whose case a family member may see in the portal; the member is the one whose
    field ``who`` (``user_id`` for a login, ``id`` for a member record) equals ``value``:

    * a custody holder of the child (``FamilyRelation`` "parent_custody", sole or joint),
      while the child is under 18;
    * the child or young person itself, through its own login, from 10 years (the age at
      which a child is a party to its own case) — never a sibling's case;
    * from 18, an adult the young person has consented to (``PortalConsent``, recorded and
      revocable);
    * an adult the caseworker has granted access to, with a reason, until a last day, while
      the child is under 18 (``PortalGrant``; from 18 the young person decides alone).

    A parent without custody, a step-parent or another adult sees nothing otherwise.
    """
    today = timezone.localdate()
    adult_born_by = today - relativedelta(years=ADULT_AGE)  # born on or before: 18 or older
    party_born_by = today - relativedelta(years=PARTY_AGE)
    memberships = f"{citizen}family_memberships__"
    custody = Q(
        **{
            f"{citizen}birth_date__gt": adult_born_by,
            f"{memberships}is_child": True,
            f"{memberships}relations_to_child__kind": CUSTODY,
            f"{memberships}relations_to_child__member__{who}": value,
        }
    )
    own = Q(
        **{
            f"{citizen}birth_date__lte": party_born_by,
            f"{memberships}is_child": True,
            f"{memberships}{who}": value,
        }
    )
    consented = Q(
        **{
            f"{citizen}birth_date__lte": adult_born_by,
            f"{citizen}portal_consents__member__{who}": value,
            f"{citizen}portal_consents__revoked_at": None,
        }
    )
    granted = Q(
        **{
            f"{citizen}birth_date__gt": adult_born_by,
            f"{citizen}portal_grants__member__{who}": value,
            f"{citizen}portal_grants__revoked_at": None,
            f"{citizen}portal_grants__valid_until__gte": today,
        }
    )
    return custody | own | consented | granted


def _family_rights(user: AnyUser, citizen: str) -> Q:
    """``_portal_rights`` of the family member whose login is ``user``."""
    return _portal_rights(citizen, "user_id", cast(User, user).pk)


def member_portal_rights(member: Any) -> Q:
    """The condition on ``cases.Citizen`` rows whose case the family member ``member`` (a pk,
    or an ``OuterRef`` to one) would see in the portal with a login (``_portal_rights``)."""
    return _portal_rights("", "id", member)


def family_case_visibility(user: AnyUser) -> Q:
    """The condition on ``cases.Case`` rows that a family user may see in the portal
    (``_family_rights``), once past the notification stage: at the notification stage the
    concern may be about the parent who would read it."""
    if not is_family(user):
        return Q(pk__in=[])
    return _family_rights(user, "citizen__") & ~Q(status=NOTIFICATION_STATUS)


def family_children_visibility(user: AnyUser) -> Q:
    """The condition on ``cases.FamilyMember`` rows of the children whose case ``user`` may
    see (the portal's landing page)."""
    if not is_family(user):
        return Q(pk__in=[])
    return Q(is_child=True) & _family_rights(user, "citizen__")


def family_may_see_case(case: Any) -> bool:
    """A family sees its child's case only once the municipality has involved it."""
    return case.status != NOTIFICATION_STATUS


# --- what a user may do, above any one case ---------------------------------------------------


def can_register_notification(user: AnyUser) -> bool:
    return role_of(user) in AUTHORITY


def can_export_access_log(user: AnyUser) -> bool:
    return role_of(user) in (Role.TEAM_LEAD, Role.ADMIN)


# Who oversees more than their own cases: the access log's export, the outbox.
OVERSIGHT_ROLES = (Role.TEAM_LEAD, Role.ADMIN)


class UserAccess:
    """What the logged-in user may do on the pages above a single case (the header, Mine
    sager, the lists). Templates ask this object (``user_access``), never a role string."""

    def __init__(self, user: AnyUser) -> None:
        self.user = user
        self.role = role_of(user)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_family(self) -> bool:
        return self.role == Role.FAMILY

    @property
    def is_authority(self) -> bool:
        return self.role in AUTHORITY

    @property
    def is_provider(self) -> bool:
        return self.role in PROVIDER

    @property
    def leads_teams(self) -> bool:
        """A team lead (the team overview is theirs)."""
        return self.role == Role.TEAM_LEAD

    @property
    def can_register_notification(self) -> bool:
        return self.is_authority

    @property
    def can_export_access_log(self) -> bool:
        return self.role in OVERSIGHT_ROLES

    @property
    def sees_print_queue(self) -> bool:
        """The letters of its own cases that go by paper (letters.post_views)."""
        return self.is_authority

    @property
    def sees_outbox(self) -> bool:
        """Every message leaving the system, without its text (letters.post_views)."""
        return self.role in OVERSIGHT_ROLES


class CaseAccess(UserAccess):
    """What the user may do with one case they may see, worked out once per request.

    Made by the case pages' loader (``cases.pages``) after the case was found visible, and
    asked by views, templates (``access`` in their context) and the API. At most two queries,
    each run once: whether the user leads the case's team, and which of its measures the user
    is assigned to.
    """

    def __init__(self, user: AnyUser, case: Any) -> None:
        super().__init__(user)
        self.case = case

    @cached_property
    def is_owner(self) -> bool:
        return self.is_authority and self.case.owner_id == cast(User, self.user).pk

    @cached_property
    def is_team_lead(self) -> bool:
        return (
            self.is_authority
            and TeamMembership.objects.filter(
                team_id=self.case.team_id, user_id=cast(User, self.user).pk, is_lead=True
            ).exists()
        )

    @cached_property
    def assigned_measure_ids(self) -> frozenset[int]:
        """The case's measures the user is assigned to (as staff)."""
        if not self.is_staff:
            return frozenset()
        rows = cast(Any, self.user).measure_assignments.filter(measure__case_id=self.case.pk)
        return frozenset(rows.values_list("measure_id", flat=True))

    @property
    def can_work(self) -> bool:
        """Authority actions (judgements, assessments, measures, closing): owner or team lead."""
        return self.is_owner or self.is_team_lead

    @property
    def is_assigned(self) -> bool:
        """Staff assigned to one of the case's measures."""
        return bool(self.assigned_measure_ids)

    @property
    def can_work_goals(self) -> bool:
        """The plan's goals, who does what, ratings and the network: the caseworker's work, and
        the assigned therapist's too, since they work on the goals with the family."""
        return self.can_work or self.is_assigned

    @property
    def reads_the_authority_file(self) -> bool:
        """The authority's own file — notifications (and who reported), the assessment, the
        journal, the CPR page and the access log — is for the authority's staff; a provider
        (therapist, psychologist) works from the measures' orders."""
        return self.is_staff and not self.is_provider

    def may_see_reporter(self, notification: Any) -> bool:
        """Who reported: a reporter who asked not to be known by the family is shown only to
        the case's owner and team lead."""
        return not notification.reporter_confidential or self.can_work

    @property
    def can_write_journal(self) -> bool:
        return self.reads_the_authority_file

    @property
    def can_log_sessions(self) -> bool:
        return self.is_assigned

    @property
    def can_edit(self) -> bool:
        return self.can_work and self.case.is_open

    @property
    def can_edit_goals(self) -> bool:
        return self.can_work_goals and self.case.is_open

    @cached_property
    def letter_measure_ids(self) -> frozenset[int]:
        """The measures whose closing letter the user writes (assigned therapists only)."""
        return self.assigned_measure_ids if self.is_provider else frozenset()

    def can_write_letter(self, measure: Any) -> bool:
        return measure.pk in self.letter_measure_ids

    def can_send_letter(self, measure: Any) -> bool:
        """Sending without the family's approval: its therapists or the case's owner."""
        return self.is_owner or self.can_write_letter(measure)

    def allows(self, need: str, measure: Any = None) -> bool:
        return NEEDS[need](self, measure)


def case_access(user: AnyUser, case: Any) -> CaseAccess:
    """The rights of ``user`` on a case they may see, for code without a request (services,
    the API's helpers); a page asks ``request.case_access`` instead, made once per request."""
    cached = getattr(case, "_case_access", None)
    if cached is not None and cached.user is user:
        return cast(CaseAccess, cached)
    access = CaseAccess(user, case)
    case._case_access = access
    return access


class Need:
    """What a page of a case needs beyond seeing the case (``cases.pages.case_page``)."""

    READ = "read"
    # The authority's own file; a provider gets a 404 for it, as for a case it does not see.
    AUTHORITY_FILE = "authority_file"
    AUTHORITY = "authority"
    GOALS = "goals"
    JOURNAL = "journal"
    EXPORT = "export"
    SESSIONS = "sessions"
    LETTER_WRITE = "letter_write"
    LETTER_SEND = "letter_send"


# Needs whose refusal is a 404 (the page is not there for the user), not a 403.
HIDDEN_WHEN_REFUSED = frozenset({Need.AUTHORITY_FILE})

NEEDS = {
    Need.READ: lambda access, measure: True,
    Need.AUTHORITY_FILE: lambda access, measure: access.reads_the_authority_file,
    Need.AUTHORITY: lambda access, measure: access.can_work,
    Need.GOALS: lambda access, measure: access.can_work_goals,
    Need.JOURNAL: lambda access, measure: access.can_write_journal,
    Need.EXPORT: lambda access, measure: access.can_export_access_log,
    Need.SESSIONS: lambda access, measure: access.can_log_sessions,
    Need.LETTER_WRITE: lambda access, measure: access.can_write_letter(measure),
    Need.LETTER_SEND: lambda access, measure: access.can_send_letter(measure),
}


# --- explicit shares: the only callers of guardian's assign_perm / remove_perm ---------------


@transaction.atomic
def case_share_grant(
    *, case: Any, user: User, valid_until: dt.date, reason: str, granted_by: User
) -> CaseShare:
    if valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("Slutdatoen for delingen er overskredet.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor sagen deles (fx ferieafløsning).")})
    if user.role not in STAFF_ROLES or not user.is_active:
        raise ValidationError({"user": _("Sager kan kun deles med aktive medarbejdere.")})
    share = cast(CaseShare, assign_perm(VIEW_CASE, user, case))
    share.valid_until = valid_until
    share.reason = reason.strip()
    share.granted_by = granted_by
    share.granted_at = timezone.now()
    share.expiry_logged_at = None
    share.save(
        update_fields=["valid_until", "reason", "granted_by", "granted_at", "expiry_logged_at"]
    )
    access_log_record(
        user=granted_by, action=Action.CHANGE, case=case, target=f"deling med {user.username}"
    )
    return share


def active_shares(case: Any) -> Any:
    """The case's shares that count today, soonest end first."""
    return (
        CaseShare.objects.filter(
            content_object_id=case.pk,
            permission__codename="view_case",
            valid_until__gte=timezone.localdate(),
        )
        .select_related("user", "granted_by")
        .order_by("valid_until", "user__first_name")
    )


def share_is_active(user: AnyUser, case: Any) -> bool:
    """Whether ``user`` holds a share of ``case`` that counts today."""
    return is_staff(user) and active_shares(case).filter(user_id=cast(User, user).pk).exists()


def log_expired_shares() -> int:
    """Write the end of every share whose last day has passed to the case's access log,
    once per share (the beat runs this daily; a repeated run writes nothing)."""
    today = timezone.localdate()
    expired = CaseShare.objects.filter(
        valid_until__lt=today, expiry_logged_at=None, permission__codename="view_case"
    ).select_related("user", "content_object")
    count = 0
    for share in expired:
        with transaction.atomic():
            claimed = CaseShare.objects.filter(pk=share.pk, expiry_logged_at=None).update(
                expiry_logged_at=timezone.now()
            )
            if not claimed:
                continue
            access_log_record(
                user=None,
                action=Action.CHANGE,
                case=share.content_object,
                target=f"deling med {share.user.username} udløbet {share.valid_until:%d.%m.%Y}",
            )
            count += 1
    return count


@transaction.atomic
def case_share_revoke(*, case: Any, user: User, revoked_by: User) -> None:
    remove_perm(VIEW_CASE, user, case)
    access_log_record(
        user=revoked_by,
        action=Action.CHANGE,
        case=case,
        target=f"deling med {user.username} ophævet",
    )
