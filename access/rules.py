"""All access control, in one module.

Visibility of a case comes from indexed relations:

* the owning caseworker,
* the lead of the case's team,
* a therapist assigned to one of the case's measures,
* an explicit share (django-guardian object permission with an end date), e.g. holiday cover.

Plans, network, follow-ups, sessions and letters are reached through their case and have no
permission rows of their own. Anything a user may not see answers 404, and the attempt is
logged. Nothing here calls ``has_perm`` row by row or ``get_objects_for_user``: the visible
case ids are one SQL subquery (a UNION of four index lookups).
"""

import datetime as dt
import functools
import uuid
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Lookup, QuerySet, UUIDField
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from access.log import Action, access_log_record
from access.refusals import mark_refusal_logged
from accounts.models import STAFF_ROLES, Role, Team, User
from cases.models import (
    Case,
    CaseStatus,
    CaseUserObjectPermission,
    Citizen,
    FamilyMember,
    Measure,
)
from core import json_rows

VIEW_CASE = "cases.view_case"


def role_of(user: User | AnonymousUser) -> str | None:
    """The user's role, or None for anonymous and inactive users."""
    if not user.is_authenticated or not user.is_active:
        return None
    return cast(User, user).role


def _union(querysets: list[QuerySet]) -> tuple[str, tuple[Any, ...]]:
    parts: list[str] = []
    params: list[Any] = []
    for qs in querysets:
        sql, qs_params = qs.order_by().query.sql_with_params()
        parts.append(sql)
        params.extend(qs_params)
    return " UNION ".join(parts), tuple(params)


# About 1.2 kB of SQL per entry: at most ~1.2 MB per process.
@functools.lru_cache(maxsize=1024)
def _visible_case_ids_sql(uid: int, today: dt.date, vendor: str) -> tuple[str, tuple[Any, ...]]:
    """The SQL of ``visible_case_ids``, compiled once per user and day (and database vendor):
    compiling the four querysets cost more CPU than running them (``make bench``). The SQL
    depends on nothing else: the content type is matched by its app label in the query."""
    return _union(
        [
            Case.objects.filter(owner_id=uid).values("id"),
            Case.objects.filter(
                team__memberships__user_id=uid, team__memberships__is_lead=True
            ).values("id"),
            Measure.objects.filter(assignments__user_id=uid).values("case_id"),
            CaseUserObjectPermission.objects.filter(
                user_id=uid,
                permission__codename="view_case",
                permission__content_type__app_label="cases",
                valid_until__gte=today,
            ).values("content_object_id"),
        ]
    )


def visible_case_ids(user: User | AnonymousUser) -> RawSQL | QuerySet:
    """The ids of the cases ``user`` may see, as a single SQL subquery."""
    if role_of(user) in (None, Role.FAMILY):
        return Case.objects.none().values("id")
    sql, params = _visible_case_ids_sql(
        cast(User, user).pk, timezone.localdate(), connection.vendor
    )
    # Safe: every part is SQL compiled by the ORM, and its values stay parameters.
    return RawSQL(sql, params)  # noqa: S611


@UUIDField.register_lookup
class InArray(Lookup):
    """``id__in_array=<subquery>``: ``id = ANY(ARRAY(<subquery>))`` on PostgreSQL, ``IN``
    elsewhere.

    With ``IN``, Postgres plans a semi-join from its estimate of the UNION's size; at
    100,000 cases it chose a hash join over a sequential scan of every case (tens of
    milliseconds per query, growing with the table; found by ``make bench``). The array is
    evaluated once and each id found through the primary key, whatever the estimate.
    """

    lookup_name = "in_array"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not rhs.startswith("("):
            rhs = f"({rhs})"
        template = "%s = ANY(ARRAY%s)" if connection.vendor == "postgresql" else "%s IN %s"
        return template % (lhs, rhs), (*lhs_params, *rhs_params)


def visible_cases(user: User | AnonymousUser) -> QuerySet[Case]:
    return Case.objects.filter(id__in_array=visible_case_ids(user))


def can_see_case(user: User | AnonymousUser, case: Case) -> bool:
    return visible_cases(user).filter(id=case.pk).exists()


def get_case_for_request(
    request: HttpRequest,
    case_id: Any,
    *,
    action: str = Action.VIEW,
    related: tuple[str, ...] = ("citizen", "owner", "team"),  # _HEADER_RELATED
) -> Case:
    """Load a case the requesting user may see, log the access, or log the refusal and 404."""
    user = request.user
    case_uuid = _as_uuid(case_id)
    case = None
    if case_uuid is not None:
        if related == _HEADER_RELATED and connection.vendor == "postgresql":
            case = _visible_case_with_header(cast(User, user), case_uuid)
        else:
            case = visible_cases(user).select_related(*related).filter(id=case_uuid).first()
    if case is None:
        access_log_denied(request, case_id=case_uuid)
        raise Http404
    access_log_record(user=user, action=action, case=case, target=request.path)
    return case


# What every case page's header shows, and what ``get_case_for_request`` loads by default.
_HEADER_RELATED = ("citizen", "owner", "team")


@functools.lru_cache(maxsize=1024)
def _case_with_header_sql(uid: int, today: dt.date) -> tuple[str, tuple[Any, ...]]:
    """One visible case with its citizen, owner and team as JSON (``json_rows``), in SQL
    composed once per user and day: on every case page the queryset took ~0.7 ms of CPU to
    build and compile, several times what PostgreSQL needs to run it (``make bench``).
    Of the owner everything but the password hash."""
    quote = connection.ops.quote_name
    owner = ", ".join(
        f"'{field.column}', o.{quote(str(field.column))}"
        for field in User._meta.concrete_fields
        if field.attname != "password"
    )
    visible_sql, visible_params = _visible_case_ids_sql(uid, today, connection.vendor)
    sql = (
        "SELECT row_to_json(c), row_to_json(ci), json_build_object("  # noqa: S608 (see below)
        + owner
        + "), row_to_json(t) FROM cases_case c"
        " JOIN cases_citizen ci ON ci.id = c.citizen_id"
        " JOIN accounts_user o ON o.id = c.owner_id"
        " JOIN accounts_team t ON t.id = c.team_id"
        " WHERE c.id = %s AND c.id = ANY(ARRAY(" + visible_sql + "))"
    )
    # Safe: column names come from the model, the rest is SQL compiled by the ORM, and every
    # value stays a parameter.
    return sql, visible_params


def _visible_case_with_header(user: User, case_id: uuid.UUID) -> Case | None:
    if role_of(user) in (None, Role.FAMILY):  # as visible_case_ids: they see no case here
        return None
    sql, visible_params = _case_with_header_sql(user.pk, timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(sql, (case_id, *visible_params))
        row = cursor.fetchone()
    if row is None:
        return None
    case_row, citizen_row, owner_row, team_row = row
    return json_rows.instance(
        Case,
        case_row,
        citizen=json_rows.instance(Citizen, citizen_row),
        owner=json_rows.instance(User, owner_row),
        team=json_rows.instance(Team, team_row),
    )


def _as_uuid(value: Any) -> uuid.UUID | None:
    """A case id from a URL or a request body; None if it cannot be one."""
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def access_log_denied(request: HttpRequest, *, case_id: Any = None) -> None:
    """Record a refused attempt, tied to the case when it exists."""
    case_uuid = _as_uuid(case_id)
    existing = (
        Case.objects.filter(id=case_uuid).only("id", "citizen_id").first() if case_uuid else None
    )
    access_log_record(user=request.user, action=Action.DENIED, case=existing, target=request.path)
    mark_refusal_logged(request)


# --- who may do what (besides seeing a case) -------------------------------------------------


def can_register_notification(user: User | AnonymousUser) -> bool:
    return role_of(user) in (Role.CASEWORKER, Role.TEAM_LEAD)


def can_work_case(user: User | AnonymousUser, case: Case) -> bool:
    """Authority actions (judgements, assessments, measures, closing): owner or team lead."""
    if role_of(user) not in (Role.CASEWORKER, Role.TEAM_LEAD):
        return False
    uid: int = cast(User, user).pk
    if case.owner_id == uid:
        return True
    return case.team.memberships.filter(user_id=uid, is_lead=True).exists()


def is_assigned_staff(user: User | AnonymousUser, case: Case) -> bool:
    """A therapist (or psychologist) assigned to one of the case's measures."""
    if role_of(user) not in STAFF_ROLES:
        return False
    uid: int = cast(User, user).pk
    return Measure.objects.filter(case=case, assignments__user_id=uid).exists()


def can_work_goals(user: User | AnonymousUser, case: Case) -> bool:
    """The plan's goals, who does what and the ratings: the caseworker's work, and the
    assigned therapist's too, since they work on the goals with the family."""
    return can_work_case(user, case) or is_assigned_staff(user, case)


def can_write_journal(user: User | AnonymousUser, case: Case) -> bool:
    """Anyone who may see the case and works on it as staff may add journal notes."""
    return role_of(user) in STAFF_ROLES


def can_write_letter(user: User | AnonymousUser, measure: Measure) -> bool:
    """A closing status letter: the therapists (or psychologists) assigned to its measure."""
    if role_of(user) not in (Role.THERAPIST, Role.PSYCHOLOGIST):
        return False
    return measure.assignments.filter(user_id=cast(User, user).pk).exists()


def can_send_letter(user: User | AnonymousUser, case: Case, measure: Measure) -> bool:
    """Sending a letter without the family's approval: its therapists or the case's owner."""
    if role_of(user) in (Role.CASEWORKER, Role.TEAM_LEAD) and case.owner_id == cast(User, user).pk:
        return True
    return can_write_letter(user, measure)


def can_export_access_log(user: User | AnonymousUser) -> bool:
    return role_of(user) in (Role.TEAM_LEAD, Role.ADMIN)


def export_citizen_or_404(request: HttpRequest, citizen_id: Any) -> Citizen:
    """A citizen whose access log the user may export: they must see one of the citizen's cases."""
    if not can_export_access_log(request.user):
        access_log_denied(request)
        raise Http404
    if role_of(request.user) == Role.ADMIN:
        citizen = Citizen.objects.filter(id=citizen_id).first()
    else:
        citizen = Citizen.objects.filter(
            id=citizen_id, cases__in=visible_cases(request.user)
        ).first()
    if citizen is None:
        access_log_denied(request)
        raise Http404
    return citizen


# --- families --------------------------------------------------------------------------------


def family_children(user: User | AnonymousUser) -> QuerySet[FamilyMember]:
    """The children in the families the user belongs to (family portal)."""
    if role_of(user) != Role.FAMILY:
        return FamilyMember.objects.none()
    return FamilyMember.objects.filter(
        is_child=True, family__members__user_id=cast(User, user).pk
    ).select_related("citizen", "family")


def family_may_see_case(case: Case) -> bool:
    """A family sees its child's case only once the municipality has involved it.

    At the notification stage the concern may be about the parent who would read it; the
    family learns of the case from the caseworker (assessment onwards), not from the portal.
    """
    return case.status != CaseStatus.NOTIFICATION


def get_case_for_family(request: HttpRequest, case_id: Any) -> Case:
    """A case of a child in the requesting family member's own family, shown to the family.

    Logs the read, or logs the refusal and raises 404 — like ``get_case_for_request`` for staff.
    """
    case_uuid = _as_uuid(case_id)
    citizen_ids = family_children(request.user).values("citizen_id")
    case = (
        Case.objects.select_related("citizen", "owner")
        .filter(id=case_uuid, citizen_id__in=citizen_ids)
        .first()
        if case_uuid is not None
        else None
    )
    if case is None or not family_may_see_case(case):
        access_log_denied(request, case_id=case_uuid)
        raise Http404
    access_log_record(user=request.user, action=Action.VIEW, case=case, target=request.path)
    return case


# --- explicit shares: the only callers of guardian's assign_perm / remove_perm ---------------


@transaction.atomic
def case_share_grant(
    *, case: Case, user: User, valid_until: dt.date, reason: str, granted_by: User
) -> CaseUserObjectPermission:
    if valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("Slutdatoen for delingen er overskredet.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor sagen deles (fx ferieafløsning).")})
    if user.role not in STAFF_ROLES or not user.is_active:
        raise ValidationError({"user": _("Sager kan kun deles med aktive medarbejdere.")})
    share = cast(CaseUserObjectPermission, assign_perm(VIEW_CASE, user, case))
    share.valid_until = valid_until
    share.reason = reason.strip()
    share.granted_by = granted_by
    share.save(update_fields=["valid_until", "reason", "granted_by"])
    access_log_record(
        user=granted_by, action=Action.CHANGE, case=case, target=f"deling med {user.username}"
    )
    return share


@transaction.atomic
def case_share_revoke(*, case: Case, user: User, revoked_by: User) -> None:
    remove_perm(VIEW_CASE, user, case)
    access_log_record(
        user=revoked_by,
        action=Action.CHANGE,
        case=case,
        target=f"deling med {user.username} ophævet",
    )
