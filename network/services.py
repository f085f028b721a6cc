"""Domain actions on the network map and the network meetings of a case.

Access is decided before a service is called: a view loads the case through
``cases.pages.case_page`` (the rules are ``access.rules``) and every network object through
that case. Services check that objects belong together (an invitee to the case's network, a
goal to the case's plan) and that the case is open. Every write is atomic and raises
``ValidationError`` with Danish messages per field; nothing is half saved.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import STAFF_ROLES, User
from cases.models import Case
from network.models import (
    CIRCLE_MAX,
    CIRCLE_MIN,
    MapSnapshot,
    Meeting,
    MeetingDecision,
    MeetingInvitee,
    NetworkMember,
    Sector,
)
from plans import services as plan_services
from plans.models import Goal, Responsibility
from plans.services import _next_position, _raise, _text

ChildWish = NetworkMember.ChildWish
MEMBER_FIELDS = (
    "name",
    "relation",
    "sector",
    "circle",
    "role",
    "phone",
    "email",
    "address",
    "consent_given_by",
    "consent_given_on",
    "consent_withdrawn_on",
    "child_wants_invited",
    "user",
    "given_by_family",
)
TEXT_FIELDS = (
    "name",
    "relation",
    "role",
    "phone",
    "email",
    "address",
    "consent_given_by",
)


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("Sagen er lukket, og netværket kan ikke ændres."))


# --- members ---------------------------------------------------------------------------------


def _clean_member(values: dict[str, Any]) -> dict[str, Any]:
    """The member's fields checked and tidied; a ValidationError names every wrong field."""
    errors: dict[str, Any] = {}
    cleaned = dict(values)
    for field in TEXT_FIELDS:
        if field in cleaned:
            required = _("Skriv personens navn.") if field == "name" else ""
            cleaned[field] = _text(errors, NetworkMember, field, cleaned[field], required=required)
    if "sector" in cleaned and cleaned["sector"] not in Sector.values:
        errors["sector"] = _("Vælg hvilken del af barnets liv personen hører til.")
    if "circle" in cleaned:
        try:
            cleaned["circle"] = int(cleaned["circle"])
        except (TypeError, ValueError):
            cleaned["circle"] = 0
        if not CIRCLE_MIN <= cleaned["circle"] <= CIRCLE_MAX:
            errors["circle"] = _("Vælg en cirkel fra 1 (tættest på) til 3 (længere væk).")
    if "child_wants_invited" in cleaned and cleaned["child_wants_invited"] not in ChildWish.values:
        errors["child_wants_invited"] = _("Vælg om barnet ønsker personen inviteret.")
    if cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = _("Skriv en gyldig e-mailadresse.")
    user = cleaned.get("user")
    if user is not None and (user.role not in STAFF_ROLES or not user.is_active):
        errors["user"] = _("Vælg en aktiv medarbejder.")
    given = cleaned.get("consent_given_on")
    withdrawn = cleaned.get("consent_withdrawn_on")
    today = timezone.localdate()
    if given is not None and given > today:
        errors["consent_given_on"] = _("Samtykket kan ikke være givet i fremtiden.")
    if given is not None and not cleaned.get("consent_given_by"):
        errors["consent_given_by"] = _("Skriv hvem der gav samtykket.")
    if withdrawn is not None:
        if given is None:
            errors["consent_withdrawn_on"] = _(
                "Et samtykke skal være givet, før det trækkes tilbage."
            )
        elif withdrawn < given:
            errors["consent_withdrawn_on"] = _(
                "Samtykket kan ikke trækkes tilbage, før det er givet."
            )
        elif withdrawn > today:
            errors["consent_withdrawn_on"] = _("Datoen må ikke ligge i fremtiden.")
    _raise(errors)
    return cleaned


@transaction.atomic
def network_member_add(
    *,
    case: Case,
    user: User,
    name: str,
    sector: str,
    circle: int = 2,
    relation: str = "",
    role: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    consent_given_by: str = "",
    consent_given_on: dt.date | None = None,
    consent_withdrawn_on: dt.date | None = None,
    child_wants_invited: str = ChildWish.NOT_ASKED,
    system_user: User | None = None,
    given_by_family: bool = True,
) -> NetworkMember:
    """Put a person on the child's map."""
    _require_open(case)
    values = _clean_member(
        {
            "name": name,
            "relation": relation,
            "sector": sector,
            "circle": circle,
            "role": role,
            "phone": phone,
            "email": email,
            "address": address,
            "consent_given_by": consent_given_by,
            "consent_given_on": consent_given_on,
            "consent_withdrawn_on": consent_withdrawn_on,
            "child_wants_invited": child_wants_invited,
            "user": system_user,
            "given_by_family": given_by_family,
        }
    )
    member = NetworkMember.objects.create(case=case, created_by=user, **values)
    network_snapshot_auto(case=case, user=user)
    return member


@transaction.atomic
def network_member_update(*, member: NetworkMember, user: User, **changes: Any) -> NetworkMember:
    """Change a member's fields (only those given); ``system_user`` is the linked user."""
    _require_open(member.case)
    if member.removed_at is not None:
        raise ValidationError(_("Personen er fjernet fra kortet."))
    if "system_user" in changes:
        changes["user"] = changes.pop("system_user")
    unknown = set(changes) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    current = {field: getattr(member, field) for field in MEMBER_FIELDS}
    cleaned = _clean_member({**current, **changes})
    changed = [field for field in MEMBER_FIELDS if cleaned[field] != current[field]]
    if changed:
        for field in changed:
            setattr(member, field, cleaned[field])
        member.save(update_fields=[*changed, "updated_at"])
        if {"name", "relation", "sector", "circle", "role"} & set(changed):
            network_snapshot_auto(case=member.case, user=user)
    return member


@transaction.atomic
def network_member_move(*, member: NetworkMember, user: User, direction: str) -> NetworkMember:
    """One circle closer to the child (``"closer"``) or further away (``"further"``)."""
    step = {"closer": -1, "further": 1}.get(direction)
    if step is None:
        raise ValidationError({"direction": _("Vælg tættere på eller længere væk.")})
    circle = member.circle + step
    if circle < CIRCLE_MIN:
        raise ValidationError(
            {"direction": _("%(name)s er allerede tættest på.") % {"name": member.name}}
        )
    if circle > CIRCLE_MAX:
        raise ValidationError(
            {"direction": _("%(name)s er allerede i den yderste cirkel.") % {"name": member.name}}
        )
    return network_member_update(member=member, user=user, circle=circle)


@transaction.atomic
def network_member_remove(*, member: NetworkMember, user: User) -> None:
    """Take a person off the map. The row stays (meetings and earlier versions name them)."""
    _require_open(member.case)
    if member.removed_at is not None:
        return
    member.removed_at = timezone.now()
    member.save(update_fields=["removed_at", "updated_at"])
    network_snapshot_auto(case=member.case, user=user)


def active_members(case: Case) -> models.QuerySet[NetworkMember]:
    return NetworkMember.objects.filter(case=case, removed_at=None).order_by(
        "sector", "circle", "name", "id"
    )


# --- versions --------------------------------------------------------------------------------


def members_json(members: Sequence[NetworkMember]) -> list[dict[str, Any]]:
    """What a version keeps of each member: the map's content, never contact details."""
    return [
        {
            "id": m.pk,
            "name": m.name,
            "relation": m.relation,
            "sector": m.sector,
            "circle": m.circle,
            "role": m.role,
        }
        for m in members
    ]


def network_snapshot_auto(*, case: Case, user: User | None) -> MapSnapshot:
    """The day's automatic version of the map: created, or updated in place later that day."""
    now = timezone.now()
    today = timezone.localdate(now)
    content = members_json(list(active_members(case)))
    updated = MapSnapshot.objects.filter(case=case, taken_on=today, automatic=True).update(
        taken_at=now, members=content, taken_by=user
    )
    if updated:
        return MapSnapshot.objects.get(case=case, taken_on=today, automatic=True)
    try:
        with transaction.atomic():
            return MapSnapshot.objects.create(
                case=case,
                taken_at=now,
                taken_on=today,
                automatic=True,
                reason=_("Automatisk ved ændring"),
                members=content,
                taken_by=user,
            )
    except IntegrityError:
        # Written by another request at the same moment: the partial unique index refused ours.
        MapSnapshot.objects.filter(case=case, taken_on=today, automatic=True).update(
            taken_at=now, members=content, taken_by=user
        )
        return MapSnapshot.objects.get(case=case, taken_on=today, automatic=True)


@transaction.atomic
def network_snapshot_take(*, case: Case, user: User, reason: str) -> MapSnapshot:
    """A version taken by hand, e.g. at a network meeting."""
    _require_open(case)
    errors: dict[str, Any] = {}
    reason = _text(
        errors, MapSnapshot, "reason", reason, required=_("Skriv anledningen, fx et netværksmøde.")
    )
    _raise(errors)
    now = timezone.now()
    return MapSnapshot.objects.create(
        case=case,
        taken_at=now,
        taken_on=timezone.localdate(now),
        automatic=False,
        reason=reason,
        members=members_json(list(active_members(case))),
        taken_by=user,
    )


@dataclass(frozen=True)
class Move:
    member: dict[str, Any]
    before: int
    after: int


@dataclass(frozen=True)
class MapComparison:
    joined: list[dict[str, Any]]
    left: list[dict[str, Any]]
    closer: list[Move]
    further: list[Move]
    unchanged: int

    @property
    def growth(self) -> int:
        return len(self.joined) - len(self.left)


def network_maps_compare(
    *, before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]
) -> MapComparison:
    """Who joined, left, moved closer or further away between two versions of a map."""
    old = {m["id"]: m for m in before}
    new = {m["id"]: m for m in after}
    closer: list[Move] = []
    further: list[Move] = []
    for key in sorted(old.keys() & new.keys(), key=lambda k: (new[k]["name"], k)):
        a, b = old[key]["circle"], new[key]["circle"]
        if b < a:
            closer.append(Move(new[key], a, b))
        elif b > a:
            further.append(Move(new[key], a, b))
    return MapComparison(
        joined=sorted(
            (new[k] for k in new.keys() - old.keys()), key=lambda m: (m["name"], m["id"])
        ),
        left=sorted((old[k] for k in old.keys() - new.keys()), key=lambda m: (m["name"], m["id"])),
        closer=closer,
        further=further,
        unchanged=len(old.keys() & new.keys()) - len(closer) - len(further),
    )


# --- meetings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    member: NetworkMember
    child_wish: str = ChildWish.NOT_ASKED


def _clean_meeting(
    case: Case,
    *,
    kind: str,
    starts_at: dt.datetime | None,
    place: str,
    purpose: str,
    invitations: Sequence[Invitation],
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if kind not in Meeting.Kind.values:
        errors["kind"] = _("Vælg hvilken slags møde det er.")
    if starts_at is None:
        errors["starts_at"] = _("Skriv dato og klokkeslæt for mødet.")
    place = _text(errors, Meeting, "place", place, required=_("Skriv hvor mødet holdes."))
    purpose = _text(errors, Meeting, "purpose", purpose, required=_("Skriv mødets formål."))
    seen: set[int] = set()
    for invitation in invitations:
        member = invitation.member
        if member.case_id != case.pk or member.removed_at is not None:
            errors["invitees"] = _("Vælg kun personer fra barnets netværkskort.")
        elif member.pk in seen:
            errors["invitees"] = _("%(name)s er valgt to gange.") % {"name": member.name}
        elif invitation.child_wish not in ChildWish.values:
            errors["invitees"] = _("Vælg barnets ønske for %(name)s.") % {"name": member.name}
        seen.add(member.pk)
    _raise(errors)
    return {"kind": kind, "starts_at": starts_at, "place": place, "purpose": purpose}


def _set_invitees(meeting: Meeting, invitations: Sequence[Invitation]) -> None:
    wanted = {inv.member.pk: inv for inv in invitations}
    existing = {inv.member_id: inv for inv in meeting.invitees.all()}
    gone = [pk for pk in existing if pk not in wanted]
    if gone:
        if MeetingInvitee.objects.filter(
            meeting=meeting, member_id__in=gone, attended=True
        ).exists():
            raise ValidationError(
                {"invitees": _("En person, der er registreret som deltager, kan ikke fjernes.")}
            )
        MeetingInvitee.objects.filter(meeting=meeting, member_id__in=gone).delete()
    for pk, invitation in wanted.items():
        current = existing.get(pk)
        if current is None:
            MeetingInvitee.objects.create(
                meeting=meeting, member=invitation.member, child_wish=invitation.child_wish
            )
        elif current.child_wish != invitation.child_wish:
            current.child_wish = invitation.child_wish
            current.save(update_fields=["child_wish"])
    # The child's wish is also the member's standing wish on the map.
    for invitation in invitations:
        if (
            invitation.child_wish != ChildWish.NOT_ASKED
            and invitation.member.child_wants_invited != invitation.child_wish
        ):
            NetworkMember.objects.filter(pk=invitation.member.pk).update(
                child_wants_invited=invitation.child_wish
            )


@transaction.atomic
def meeting_create(
    *,
    case: Case,
    user: User,
    kind: str,
    starts_at: dt.datetime | None,
    place: str,
    purpose: str,
    invitations: Sequence[Invitation] = (),
) -> Meeting:
    """Plan a meeting and invite the people the child chose (recording the child's wish)."""
    _require_open(case)
    values = _clean_meeting(
        case, kind=kind, starts_at=starts_at, place=place, purpose=purpose, invitations=invitations
    )
    meeting = Meeting.objects.create(case=case, created_by=user, **values)
    _set_invitees(meeting, invitations)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    kind: str,
    starts_at: dt.datetime | None,
    place: str,
    purpose: str,
    invitations: Sequence[Invitation],
) -> Meeting:
    _require_open(meeting.case)
    values = _clean_meeting(
        meeting.case,
        kind=kind,
        starts_at=starts_at,
        place=place,
        purpose=purpose,
        invitations=invitations,
    )
    for field, value in values.items():
        setattr(meeting, field, value)
    meeting.save(update_fields=[*values, "updated_at"])
    _set_invitees(meeting, invitations)
    return meeting


@transaction.atomic
def meeting_record(
    *,
    meeting: Meeting,
    minutes: str,
    attended: Sequence[int] | None = None,
    held: bool = False,
) -> Meeting:
    """Minutes written during the meeting, who came (invitee ids), and whether it is held:
    only from the meeting's start (before it, there is nothing to write down)."""
    _require_open(meeting.case)
    if not meeting.has_started:
        local = timezone.localtime(meeting.starts_at)
        raise ValidationError(
            {
                "minutes": _(
                    "Referat og deltagere kan først skrives, når mødet er begyndt "
                    "(%(date)s kl. %(time)s)."
                )
                % {"date": f"{local:%d.%m.%Y}", "time": f"{local:%H.%M}"}
            }
        )
    errors: dict[str, Any] = {}
    minutes = (minutes or "").strip()
    invitees = list(meeting.invitees.all())
    if attended is not None:
        known = {inv.pk for inv in invitees}
        if set(attended) - known:
            errors["attended"] = _("Vælg kun blandt de inviterede.")
    _raise(errors)
    if attended is not None:
        came = set(attended)
        for invitee in invitees:
            value = invitee.pk in came
            if invitee.attended != value:
                invitee.attended = value
                invitee.save(update_fields=["attended"])
    meeting.minutes = minutes
    if held:
        meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["minutes", "status", "updated_at"])
    return meeting


@transaction.atomic
def meeting_decision_add(
    *,
    meeting: Meeting,
    what: str,
    member: NetworkMember | None = None,
    who_text: str = "",
    due_on: dt.date | None = None,
) -> MeetingDecision:
    """An action item: who (a person on the map, or a name) does what, by when."""
    _require_open(meeting.case)
    errors: dict[str, Any] = {}
    what = _text(errors, MeetingDecision, "what", what, required=_("Skriv hvad der skal ske."))
    who_text = _text(errors, MeetingDecision, "who_text", who_text)
    if member is not None and who_text:
        errors["member"] = _("Vælg en person fra kortet eller skriv et navn – ikke begge.")
    elif member is None and not who_text:
        errors["member"] = _("Vælg hvem der gør det, eller skriv et navn.")
    elif member is not None and (member.case_id != meeting.case_id or member.removed_at):
        errors["member"] = _("Vælg en person fra barnets netværkskort.")
    _raise(errors)
    position = _next_position(meeting.decisions.all())
    return MeetingDecision.objects.create(
        meeting=meeting,
        member=member,
        who_text=who_text,
        what=what,
        due_on=due_on,
        position=position,
    )


@transaction.atomic
def meeting_decision_remove(*, decision: MeetingDecision) -> None:
    _require_open(decision.meeting.case)
    decision.delete()


@transaction.atomic
def meeting_decision_to_responsibility(*, decision: MeetingDecision, goal: Goal) -> Responsibility:
    """Turn a decision into "who does what" for a goal of the case's plan."""
    case = decision.meeting.case
    _require_open(case)
    if goal.plan.case_id != case.pk:
        raise ValidationError({"goal": _("Vælg et mål i barnets plan.")})
    if decision.responsibility_id is not None:
        raise ValidationError(_("Beslutningen er allerede et ansvar i planen."))
    Kind = Responsibility.AssigneeKind
    member = decision.member
    when = (
        formats.date_format(decision.due_on, "SHORT_DATE_FORMAT")
        if decision.due_on
        else _("Efter aftale")
    )
    kwargs: dict[str, Any]
    if member is not None and member.user is not None and member.user.is_active:
        kwargs = {"assignee_kind": Kind.PROFESSIONAL, "professional": member.user}
    else:
        kwargs = {"assignee_kind": Kind.NETWORK, "assignee_name": decision.who}
    goal.plan.case = case
    responsibility = plan_services.plan_responsibility_add(
        goal=goal, task=decision.what, when=when, **kwargs
    )
    decision.responsibility = responsibility
    decision.save(update_fields=["responsibility"])
    return responsibility
