"""The network maps and network meetings of the demo cases with a measure (``seed_demo``).

Each map is built through ``network.services`` the way it is built at the kitchen table: first
the people the family names at the start of the measure (version 1, kept by hand at the first
network meeting), then more people and some moving closer as the work goes on (version 2 at a
later meeting), so comparing a version with today shows the network growing. A held meeting
has minutes, attendance and decisions (one is a responsibility in the plan); a case whose
measure is still running has a meeting coming up, which the family sees in its portal.

The services stamp "now" on versions; those are moved to the story's dates, as the rest of
``seed_demo`` does. Every case draws from its own generator. Names, relations and texts are
the tables of ``demo.data.network``.
"""

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from cases.models import FamilyMember
from demo.builders.plans import PlanSubject
from demo.data.network import (
    CASEWORKER_RELATION,
    DEFAULT_RELATIVE,
    FAR_RELATIVES,
    FEMALE_FIRST,
    FEMALE_RELATIONS,
    FIRST,
    FIRST_SNAPSHOT_REASON,
    FRIENDS,
    LAST,
    LATER_RELATIVES,
    LEISURE,
    MALE_FIRST,
    MALE_RELATIONS,
    MEETING_MINUTES,
    MEETING_PLACES,
    MEETING_PURPOSE,
    NEXT_MEETING_HOURS,
    NEXT_MEETING_PLACES,
    NEXT_MEETING_PURPOSE,
    PARENT,
    PARENTS_DECISION,
    PROFESSIONALS,
    RELATIVE_DECISION,
    RELATIVE_ROLE,
    SCHOOL_STAFF,
    SECOND_SNAPSHOT_REASON,
    SIBLING,
    THERAPIST,
)
from network import services as network
from network.models import MapSnapshot, Meeting, MeetingInvitee, NetworkMember
from network.services import Invitation
from plans.models import Goal


def _name(rng: random.Random, relation: str = "") -> str:
    """An invented name that fits the relation: a grandmother gets a woman's first name."""
    first: tuple[str, ...]
    if relation in FEMALE_RELATIONS:
        first = FEMALE_FIRST
    elif relation in MALE_RELATIONS:
        first = MALE_FIRST
    else:
        first = FIRST
    return f"{rng.choice(first)} {rng.choice(LAST)}"


def _address(name: str) -> str:
    """An invented e-mail address for ``name`` at the reserved example domain."""
    local = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    local = local.replace(" ", ".")
    return f"{local}@example.dk"


def _named_person(title: str, rng: random.Random) -> tuple[str, str]:
    """The map's name and relation of a person the plan names by title and first name:
    "Fodboldtræner Kasper" is Kasper (with a last name), the child's fodboldtræner."""
    relation, _space, name = title.partition(" ")
    if " " not in name:
        name = f"{name} {rng.choice(LAST)}"
    return name, relation[:1].lower() + relation[1:]


def _backdate(snapshot: MapSnapshot, at: dt.datetime) -> None:
    MapSnapshot.objects.filter(pk=snapshot.pk).update(taken_at=at, taken_on=at.date())


def demo_network_for_plan(
    *,
    subject: PlanSubject,
    seed: str,
    today: dt.date,
    at: Callable[[dt.date, int], dt.datetime],
) -> None:
    """The network map (8–25 people, two versions) and the meetings of one demo case."""
    rng = random.Random(seed)
    case, owner = subject.case, subject.owner
    child = subject.child
    start = subject.measure_start
    end = subject.measure_end or today

    def add(name: str, sector: str, circle: int, relation: str, role: str = "", **kw: object):
        return network.network_member_add(
            case=case,
            user=owner,
            name=name,
            sector=sector,
            circle=circle,
            relation=relation,
            role=role,
            **kw,  # type: ignore[arg-type]
        )

    # Version 1: the people the family names at the start.
    consent = start + dt.timedelta(days=7)
    first: list[NetworkMember] = []
    for parent in subject.parents:
        first.append(add(parent.name, "family", 1, *PARENT, child_wants_invited="yes"))
    siblings = FamilyMember.objects.filter(family=child.family, is_child=True).exclude(pk=child.pk)
    for sibling in siblings[:3]:
        first.append(add(sibling.name, "family", 1, SIBLING))
    relation = subject.relative or DEFAULT_RELATIVE
    relative_name = (
        f"{subject.relative_first_name} {rng.choice(LAST)}"
        if subject.relative_first_name
        else _name(rng, relation)
    )
    relative = add(
        relative_name,
        "relatives",
        2,
        relation,
        RELATIVE_ROLE,
        consent_given_by=subject.parents[0].name if subject.parents else "",
        consent_given_on=consent if subject.parents else None,
        child_wants_invited="yes",
        phone=f"2{rng.randint(1000000, 9999999)}",
        # With the family's consent and an address, the relative gets meeting invitations.
        email=_address(relative_name) if subject.parents else "",
    )
    first.append(relative)
    far_relation = rng.choice([r for r in FAR_RELATIVES if r != relation])
    first.append(add(_name(rng, far_relation), "relatives", 3, far_relation))
    friend = rng.choice(FRIENDS)
    first.append(add(_name(rng, friend), "friends", 2, friend))
    staff_relation, staff_role = rng.choice(SCHOOL_STAFF)
    # The people the plan names are on the map (the school's, from the start).
    named = sorted(subject.named_people)
    for sector, title in named:
        name, named_relation = _named_person(title, rng)
        first.append(add(name, sector, 2, named_relation, given_by_family=sector != "school"))
    if subject.has_institution and not any(sector == "school" for sector, _title in named):
        first.append(
            add(_name(rng), "school", 2, staff_relation, staff_role, given_by_family=False)
        )
    first.append(
        add(
            owner.get_full_name() or owner.username,
            "professionals",
            3,
            CASEWORKER_RELATION,
            system_user=owner,
            given_by_family=False,
        )
    )
    first.append(
        add(
            subject.therapist.get_full_name() or subject.therapist.username,
            "professionals",
            2,
            *THERAPIST,
            system_user=subject.therapist,
            given_by_family=False,
        )
    )
    first_meeting_day = min(start + dt.timedelta(days=rng.randint(10, 20)), end)
    v1 = network.network_snapshot_take(case=case, user=owner, reason=FIRST_SNAPSHOT_REASON)
    _backdate(v1, at(first_meeting_day, 15))

    # Version 2: more people, some closer, as the network is worked with.
    later: list[NetworkMember] = []
    leisure_relation, leisure_role = rng.choice(LEISURE)
    later.append(add(_name(rng), "friends", 3, leisure_relation, leisure_role))
    friend = rng.choice(FRIENDS)
    later.append(add(_name(rng, friend), "friends", 2, friend, child_wants_invited="yes"))
    later_relation = rng.choice([r for r in LATER_RELATIVES if r != relation])
    later.append(add(_name(rng, later_relation), "relatives", 2, later_relation))
    pro_relation, pro_role = rng.choice(PROFESSIONALS)
    later.append(
        add(
            _name(rng, pro_relation),
            "professionals",
            3,
            pro_relation,
            pro_role,
            given_by_family=False,
        )
    )
    for _ in range(rng.randint(0, 8)):
        friend = rng.choice(FRIENDS)
        later.append(add(_name(rng, friend), "friends", rng.choice((2, 3, 3)), friend))
    network.network_member_move(member=relative, user=owner, direction="closer")
    second_day = max(first_meeting_day, end - dt.timedelta(days=rng.randint(5, 25)))
    v2 = network.network_snapshot_take(case=case, user=owner, reason=SECOND_SNAPSHOT_REASON)
    _backdate(v2, at(second_day, 15))

    # A held network meeting at the first version, with minutes and decisions.
    invited = [m for m in first if m.child_wants_invited == "yes"][:4]
    held = network.meeting_create(
        case=case,
        user=owner,
        kind=Meeting.Kind.NETWORK_MEETING,
        starts_at=at(first_meeting_day, 14),
        place=rng.choice(MEETING_PLACES),
        purpose=MEETING_PURPOSE.format(child=child.first_name or child.name),
        invitations=[Invitation(m, "yes") for m in invited],
    )
    network.meeting_record(
        meeting=held,
        minutes=MEETING_MINUTES.format(relative=relative.name),
        attended=list(MeetingInvitee.objects.filter(meeting=held).values_list("pk", flat=True)),
        held=True,
    )
    decision = network.meeting_decision_add(
        meeting=held,
        member=relative,
        what=RELATIVE_DECISION,
        due_on=first_meeting_day + dt.timedelta(days=14),
    )
    who, what = PARENTS_DECISION
    network.meeting_decision_add(meeting=held, who_text=who, what=what)
    goal = (
        Goal.objects.filter(plan__case=case, status=Goal.Status.OPEN)
        .select_related("plan")
        .order_by("position", "id")
        .first()
    )
    if goal is not None and case.is_open:
        goal.plan.case = case
        network.meeting_decision_to_responsibility(decision=decision, goal=goal)

    # A meeting to come while the measure runs: the child chose whom to invite.
    if subject.measure_end is None and case.is_open:
        day = today + dt.timedelta(days=rng.randint(5, 20))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        wishes = [Invitation(m, "yes") for m in [*first[:1], relative, *later[1:2]]]
        network.meeting_create(
            case=case,
            user=subject.therapist,
            kind=rng.choice((Meeting.Kind.NETWORK_MEETING, Meeting.Kind.DIALOGUE_MEETING)),
            # Not ``at``: it keeps moments in the past, and this one is to come.
            starts_at=timezone.make_aware(
                dt.datetime.combine(day, dt.time(rng.choice(NEXT_MEETING_HOURS)))
            ),
            place=rng.choice(NEXT_MEETING_PLACES),
            purpose=NEXT_MEETING_PURPOSE,
            invitations=wishes,
        )
