"""The whole demo world, in order: what ``manage.py seed_demo`` builds.

Fjordby Kommune with two authority teams and a family house, about 40 families and 70
children, each child with its one case. Every case is built through ``cases.services`` so the
deadline engine computes its deadlines exactly as for real cases; every case with a measure
gets its plan written with the family through ``plans.services``. Runs are deterministic (one
generator seeded with ``SEED``, and generators per case seeded from it): the same moment gives
the same world. The family-portal personas (``demo.builders.personas``) are built beside the
drawn families without drawing from that generator, so adding them left the rest as it was. The
tables are in ``demo.data``; all names, addresses and CPR numbers are invented.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from accounts.models import User
from demo.builders.cases import CaseBuilder
from demo.builders.clock import Clock
from demo.builders.decisions import demo_decisions
from demo.builders.families import ChildPlan, FamilyBuilder
from demo.builders.file_access import demo_file_access
from demo.builders.letters import demo_letters
from demo.builders.personas import household, young_people
from demo.builders.staff import Logins, organisation, staff
from demo.builders.stories import StoryTeller
from demo.data.families import FAMILY_PLAN
from demo.data.people import SURNAMES

SEED = 20240101
# The demo exists when this user does; ``make setup`` runs the command every time.
MARKER_USERNAME = "sagsbehandler"


@dataclass
class Result:
    """What a run made, for the command's summary."""

    families: int = 0
    children: int = 0
    case_ids: list[Any] = field(default_factory=list)
    users: list[User] = field(default_factory=list)  # made now, in order
    existing_users: list[str] = field(default_factory=list)  # there already, left alone


def demo_exists() -> bool:
    return User.objects.filter(username=MARKER_USERNAME).exists()


def build_demo(*, now: dt.datetime) -> Result:
    """Build the demo world as of ``now`` (call it inside a transaction)."""
    clock = Clock(rng=random.Random(SEED), now=now)
    rng = clock.rng
    result = Result()
    logins = Logins()
    teams = organisation()
    staff(logins, teams)
    families = FamilyBuilder(clock, logins, StoryTeller(clock))
    surnames = list(SURNAMES)
    rng.shuffle(surnames)
    children: list[ChildPlan] = []
    for index, plan in enumerate(FAMILY_PLAN):
        surname = surnames[index % len(surnames)]
        others = rng.sample([s for s in surnames if s != surname], 2)
        made = families.family(index, plan, surname, others, owner=logins.users[plan.owner])
        result.families += 1
        result.children += len(made)
        children.extend(made)
    # familie's household: the children's father without custody and the mother's partner.
    household(logins)
    cases = CaseBuilder(clock, users=logins.users, teams=teams, seed=SEED)
    # Oldest history first, so case numbers follow the order cases were opened.
    for child in sorted(children, key=lambda c: (c.story.earliest, c.family_index)):
        result.case_ids.append(cases.case(child).pk)
    # Closing letters for the demo families with a login (waiting, revised, sent).
    demo_letters(today=clock.today)
    # The young people with a login of their own (ung, ung18), with a generator of their own.
    personas = young_people(
        now=now, logins=logins, teams=teams, seed=SEED, first_index=len(FAMILY_PLAN)
    )
    result.families += personas.families
    result.children += personas.children
    result.case_ids.extend(case.pk for case in personas.cases)
    # Decisions of every kind (one in party hearing, two complained of) and familie's letter.
    demo_decisions(today=clock.today)
    # One request for access to the files, pending, with a reporter's identity exempt.
    demo_file_access(today=clock.today)
    result.users, result.existing_users = logins.created, logins.existing
    return result
