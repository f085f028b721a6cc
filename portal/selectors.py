"""What the family portal's landing page shows: the user's children, their case, measures,
network meetings, letters and the decisions made on the case."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from access import rules as permissions
from accounts.models import User
from cases import portal_rights
from cases.models import Case, Decision, FamilyMember, FamilyRelation, Measure
from letters.contacts import Contact, caseworker_contact, contact_of
from letters.models import ClosingLetter
from letters.services import provider_name
from network.models import Meeting, NetworkMember


@dataclass(frozen=True)
class FamilyChild:
    member: FamilyMember
    case: Case | None
    measures: list[Measure]
    # Network meetings still to come, and whether the child has a network map.
    meetings: list[Any] = field(default_factory=list)
    has_network: bool = False
    # Closing letters: those the user is asked to read (in review, being revised after their
    # comments, or approved and being sent) and those sent to the family.
    letters_to_review: list[ClosingLetter] = field(default_factory=list)
    letters_received: list[ClosingLetter] = field(default_factory=list)
    # The decisions made on the case, newest first, each with its letter (``letter_ready``).
    decisions: list[Decision] = field(default_factory=list)
    # The child or young person is the user: the page speaks to them, and shows who of the
    # family sees their case and why (custody, their consent, the caseworker's grant).
    is_self: bool = False
    seen_by: list[tuple[str, str]] = field(default_factory=list)
    # Who the family contacts, with phone, phone hours and e-mail from their profiles: the
    # caseworker (while the case is open), then the therapists of the running measures.
    contacts: list[Contact] = field(default_factory=list)


# A letter stays on the reviewer's list from the first time it is sent for review until it is
# sent: while the therapist revises it after their comments and while the PDF is made.
REVIEW_STATUSES = (
    ClosingLetter.Status.IN_REVIEW,
    ClosingLetter.Status.DRAFT,
    ClosingLetter.Status.APPROVED,
)


def family_overview(*, user: User) -> list[FamilyChild]:
    """The user's own children, each with its case (the open one, else the latest), its
    measures, its coming network meetings and its closing letters. A fixed number of
    queries, however many children, meetings and letters there are."""

    children = list(
        FamilyMember.objects.filter(permissions.family_children_visibility(user))
        .select_related("citizen", "family")
        .distinct()
        .order_by("citizen__birth_date", "id")
    )
    citizen_ids = [c.citizen_id for c in children if c.citizen_id is not None]
    cases = (
        Case.objects.filter(citizen_id__in=citizen_ids)
        .select_related("owner", "team__unit")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.filter(ended_on=None)
                .select_related("legal_basis", "provider_team__unit")
                .prefetch_related("therapists")
                .order_by("start_date", "id"),
            ),
            Prefetch(
                "network_meetings",
                queryset=Meeting.objects.filter(
                    status=Meeting.Status.PLANNED, starts_at__gte=timezone.now()
                ).order_by("starts_at", "id"),
                to_attr="upcoming_meetings",
            ),
            Prefetch(
                "closing_letters",
                queryset=ClosingLetter.objects.filter(
                    status__in=REVIEW_STATUSES, reviewers__user=user
                )
                .select_related("measure__legal_basis")
                .distinct()
                .order_by("review_due_on", "id"),
                to_attr="letters_to_review",
            ),
            Prefetch(
                "closing_letters",
                queryset=ClosingLetter.objects.filter(status=ClosingLetter.Status.SENT)
                .select_related("measure__legal_basis")
                .order_by("-sent_at", "-id"),
                to_attr="letters_received",
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.filter(status=Decision.Status.DECIDED)
                .select_related("legal_basis", "measure__legal_basis", "letter")
                .order_by("-decided_at", "-id"),
                to_attr="decisions_made",
            ),
        )
        .annotate(
            has_network=Exists(NetworkMember.objects.filter(case=OuterRef("pk"), removed_at=None))
        )
        .order_by("opened_at")
    )
    case_by_citizen: dict[Any, Case] = {}
    for case in cases:  # later cases replace earlier ones; an open case beats a closed one
        current = case_by_citizen.get(case.citizen_id)
        if current is None or case.is_open or not current.is_open:
            case_by_citizen[case.citizen_id] = case
    result = []
    for member in children:
        child_case = case_by_citizen.get(member.citizen_id)
        if child_case is not None and not permissions.family_may_see_case(child_case):
            child_case = None
        measures = list(child_case.measures.all()) if child_case is not None else []
        is_self = member.user_id == user.pk
        result.append(
            FamilyChild(
                member=member,
                case=child_case,
                measures=measures,
                meetings=list(getattr(child_case, "upcoming_meetings", [])),
                has_network=bool(getattr(child_case, "has_network", False)),
                letters_to_review=list(getattr(child_case, "letters_to_review", [])),
                letters_received=list(getattr(child_case, "letters_received", [])),
                decisions=list(getattr(child_case, "decisions_made", [])),
                is_self=is_self,
                seen_by=seen_by(child_case) if is_self and child_case is not None else [],
                contacts=case_contacts(child_case, measures) if child_case is not None else [],
            )
        )
    return result


def case_contacts(case: Case, measures: list[Measure]) -> list[Contact]:
    """The caseworker of an open case, then each therapist of its running measures, once."""
    if not case.is_open:
        return []
    contacts = [caseworker_contact(case.owner, organisation=case.team.unit.name)]
    seen = {case.owner_id}
    for measure in measures:
        provider = provider_name(measure.provider_team)
        for therapist in sorted(measure.therapists.all(), key=lambda u: (u.last_name, u.pk)):
            if therapist.pk not in seen:
                seen.add(therapist.pk)
                contacts.append(contact_of(therapist, organisation=provider))
    return contacts


def seen_by(case: Case) -> list[tuple[str, str]]:
    """Who of the young person's family sees ``case`` in the portal, and why (for the young
    person's own page): four queries."""
    members = list(
        FamilyMember.objects.filter(family__members__citizen_id=case.citizen_id)
        .exclude(citizen_id=case.citizen_id)
        .distinct()
        .select_related("citizen")
        .prefetch_related(
            Prefetch(
                "relations",
                queryset=FamilyRelation.objects.filter(child__citizen_id=case.citizen_id),
                to_attr="relations_to_this_child",
            )
        )
        .order_by("first_name", "last_name", "id")
    )
    rights = portal_rights.member_rights(case, members)
    return [(m.name, rights[m.pk].reason) for m in members if rights[m.pk].sees_case]
