"""The demo's families: children with fictitious CPR numbers (registered through
``cases.services``), the adults around them and their relations, the family's login where its
row has one, and for each child what its case is to tell (``ChildPlan``).

The rows are ``demo.data.families.FAMILY_PLAN``; names, streets and institutions are drawn from
``demo.data.people`` with the demo's generator.
"""

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import Role, User
from cases import services
from cases.models import Citizen, Family, FamilyMember, FamilyRelation, Notification, age_on
from core.cpr import birth_date_from_cpr, century_for
from demo.builders.clock import Clock
from demo.builders.staff import Logins
from demo.builders.stories import Story, StoryTeller
from demo.data.cases import CONCERNS, Concern
from demo.data.families import FamilyPlan
from demo.data.people import (
    BOYS,
    FAMILY_STRUCTURES,
    GIRLS,
    GRANDMOTHERS,
    HEALTH_VISITORS,
    KINDERGARTENS,
    MEN,
    NURSERIES,
    RELATIVES,
    SCHOOLS,
    SOLE_CUSTODY_MOTHER,
    STREETS,
    TOWNS,
    WOMEN,
    YOUTH_EDUCATION,
)

Kind = FamilyRelation.Kind
Reporter = Notification.ReporterKind


@dataclass
class ChildPlan:
    """One child and what its case is to tell."""

    citizen: Citizen
    member: FamilyMember
    story: Story
    owner: User
    therapist: str | None
    institution: str
    parent: FamilyMember
    relative: str
    concern: Concern
    family_index: int
    position: int  # 0 for the oldest child of the family
    has_login: bool = False  # the family has a demo login: its plans get a longer history


class FamilyBuilder:
    def __init__(self, clock: Clock, logins: Logins, stories: StoryTeller) -> None:
        self.clock = clock
        self.rng = clock.rng
        self.now = clock.now
        self.today = clock.today
        self.logins = logins
        self.stories = stories
        self.used_cprs: set[str] = set(Citizen.objects.values_list("cpr", flat=True))

    def cpr(self, born: dt.date, *, female: bool) -> str:
        """A fictitious, unused CPR number: real birth date, century-consistent 7th digit."""
        yy = born.year % 100
        sevenths = [d for d in range(10) if century_for(yy, d) + yy == born.year]
        while True:
            serial = (
                f"{self.rng.choice(sevenths)}{self.rng.randrange(100):02d}"
                f"{self.rng.choice((0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9))}"
            )
            cpr = f"{born:%d%m%y}{serial}"
            if cpr not in self.used_cprs:
                self.used_cprs.add(cpr)
                if birth_date_from_cpr(cpr) != born:  # pragma: no cover - a bug in this file
                    raise CommandError("Internal error: generated CPR disagrees with birth date")
                return cpr

    def institution(self, age: int, chosen: dict[str, str]) -> tuple[str, str]:
        """(institution, what is stored on the citizen), shared by siblings of one band."""
        if age < 1:
            return HEALTH_VISITORS, ""
        names: tuple[str, ...]
        if age <= 2:
            band, names = "nursery", NURSERIES
        elif age <= 5:
            band, names = "kindergarten", KINDERGARTENS
        elif age <= 15:
            band, names = "school", SCHOOLS
        else:
            band, names = "youth", YOUTH_EDUCATION
        name = chosen.setdefault(band, self.rng.choice(names))
        if band == "school":
            return name, f"{name}, {age - 6}. klasse"
        return name, name

    def ages_in_days(self, plan: FamilyPlan, minimum: list[int]) -> list[int]:
        """Oldest first, 1–4 years apart, each old enough for its own case history."""
        oldest_cap = 18 * 365 - 40
        if plan.teen:
            oldest = self.rng.randint(16 * 365 + 10, oldest_cap)
        else:
            # Mostly school children; the youngest ones come as younger siblings.
            oldest = self.rng.randint(max(3 * 365, 500 * (len(plan.stages) - 1) + 60), 15 * 365)
        days = [oldest]
        for _sibling in plan.stages[1:]:
            days.append(max(30, days[-1] - self.rng.randint(450, 1500)))
        return [
            min(oldest_cap, max(d, low + self.rng.randint(40, 200)))
            for d, low in zip(days, minimum, strict=True)
        ]

    def family(
        self,
        index: int,
        plan: FamilyPlan,
        surname: str,
        other_surnames: list[str],
        owner: User,
    ) -> list[ChildPlan]:
        rng = self.rng
        structure = plan.structure or rng.choice(FAMILY_STRUCTURES)
        stories = self.stories.family_stories(plan)
        minimum = [(self.now - s.earliest).days + 45 for s in stories]
        ages = self.ages_in_days(plan, minimum)
        postal_code, town = rng.choice(TOWNS)
        address = f"{rng.choice(STREETS)} {rng.randint(1, 140)}"
        if rng.random() < 0.4:
            address += f", {rng.randint(1, 4)}. {rng.choice(('th', 'tv', 'mf'))}"
        family = Family.objects.create(
            name=f"Familien {surname}", address=f"{address}, {postal_code} {town}"
        )
        mother_first, father_first = rng.choice(WOMEN), rng.choice(MEN)
        stepfather_surname, father_surname = other_surnames[0], other_surnames[1]
        # Children from an earlier relationship carry their father's name; a joint child of a
        # stepfamily (the youngest) carries the stepfather's.
        child_surnames = [surname] * len(plan.stages)
        if structure == "stepfamily":
            child_surnames = [father_surname] * len(plan.stages)
            if len(plan.stages) > 1:
                child_surnames[-1] = stepfather_surname
        institutions: dict[str, str] = {}
        children: list[tuple[Citizen, FamilyMember, str]] = []
        used_first_names: set[str] = set()
        for days, child_surname in zip(ages, child_surnames, strict=True):
            female = rng.random() < 0.5
            first = rng.choice(
                [n for n in (GIRLS if female else BOYS) if n not in used_first_names]
            )
            used_first_names.add(first)
            born = self.today - dt.timedelta(days=days)
            age = age_on(born, self.today)
            institution, school_or_daycare = self.institution(age, institutions)
            citizen = services.citizen_create(
                data=services.CitizenData(
                    first_name=first,
                    last_name=child_surname,
                    cpr=self.cpr(born, female=female),
                    address=address,
                    postal_code=postal_code,
                    city=town,
                    school_or_daycare=school_or_daycare,
                )
            )
            member = FamilyMember.objects.create(family=family, citizen=citizen, is_child=True)
            children.append((citizen, member, institution))
        members = [m for _c, m, _i in children]
        for child in members:
            for sibling in members:
                if sibling != child:
                    FamilyRelation.objects.create(member=sibling, child=child, kind=Kind.SIBLING)

        def adult(first: str, last: str) -> FamilyMember:
            pairs = [rng.randint(20, 99)] + [rng.randint(10, 99) for _pair in range(3)]
            phone = "+45 " + " ".join(str(pair) for pair in pairs)
            return FamilyMember.objects.create(
                family=family, first_name=first, last_name=last, phone=phone
            )

        def relate(
            adult_member: FamilyMember, kind: str, only: Sequence[FamilyMember] | None = None
        ) -> None:
            for child in only if only is not None else members:
                FamilyRelation.objects.create(member=adult_member, child=child, kind=kind)

        if structure == "single_father":
            father = adult(father_first, surname)
            relate(father, Kind.PARENT_CUSTODY)
            relate(adult(mother_first, other_surnames[0]), Kind.PARENT_NO_CUSTODY)
            custodial = father
        else:
            custodial = adult(mother_first, surname)
            relate(custodial, Kind.PARENT_CUSTODY)
            if structure == "two_parents":
                relate(adult(father_first, surname), Kind.PARENT_CUSTODY)
            elif structure == SOLE_CUSTODY_MOTHER:
                # Drawn as two parents are, so the families after this one stay as they were.
                relate(adult(father_first, surname), Kind.PARENT_NO_CUSTODY)
            elif structure == "single_mother":
                relate(
                    adult(father_first, father_surname),
                    rng.choice((Kind.PARENT_CUSTODY, Kind.PARENT_NO_CUSTODY)),
                )
            elif structure == "with_grandmother":
                relate(adult(rng.choice(GRANDMOTHERS), surname), Kind.OTHER_ADULT)
            elif structure == "stepfamily":
                stepfather = adult(rng.choice(MEN), stepfather_surname)
                earlier = members[:-1] if len(members) > 1 else members
                relate(stepfather, Kind.STEP_PARENT, earlier)
                if len(members) > 1:
                    relate(stepfather, Kind.PARENT_CUSTODY, members[-1:])
                relate(
                    adult(father_first, father_surname),
                    rng.choice((Kind.PARENT_CUSTODY, Kind.PARENT_NO_CUSTODY)),
                    earlier,
                )
        if plan.login is not None:
            login = self.logins.user(
                username=plan.login,
                first_name=custodial.first_name,
                last_name=custodial.last_name,
                role=Role.FAMILY,
            )
            custodial.user = login
            custodial.save(update_fields=["user"])

        return self.child_plans(
            index=index,
            plan=plan,
            children=children,
            stories=stories,
            owner=owner,
            parent=custodial,
            relative=rng.choice(RELATIVES),
            has_login=plan.login is not None,
        )

    def child_plans(
        self,
        *,
        index: int,
        plan: FamilyPlan,
        children: Sequence[tuple[Citizen, FamilyMember, str]],
        stories: Sequence[Story],
        owner: User,
        parent: FamilyMember,
        relative: str,
        has_login: bool,
    ) -> list[ChildPlan]:
        """What each child's case is to tell: its story and the notification it starts with.
        ``children`` are (citizen, member, institution), oldest first, one per story."""
        # Siblings registered together share one notification text and reporter.
        shared = Counter(s.received_at for s in stories)
        concerns: dict[dt.datetime, Concern] = {}
        plans = []
        for position, ((citizen, member, institution), story) in enumerate(
            zip(children, stories, strict=True)
        ):
            if story.received_at not in concerns:
                band = (
                    "family"
                    if shared[story.received_at] > 1
                    else self.band(citizen, story.received_at)
                )
                concerns[story.received_at] = draw_concern(
                    self.rng,
                    band,
                    professional=story.needs_professional,
                    # Only notifications of concern carry the 24-hour acute judgement.
                    notification_only=story.variant.startswith("acute"),
                )
            plans.append(
                ChildPlan(
                    citizen=citizen,
                    member=member,
                    story=story,
                    owner=owner,
                    therapist=plan.therapist,
                    institution=institution,
                    parent=parent,
                    relative=relative,
                    concern=concerns[story.received_at],
                    family_index=index,
                    position=position,
                    has_login=has_login,
                )
            )
        return plans

    @staticmethod
    def band(citizen: Citizen, at: dt.datetime) -> str:
        age = age_on(citizen.birth_date, timezone.localdate(at))
        if age < 1:
            return "infant"
        return "small" if age <= 5 else "school" if age <= 13 else "teen"


def draw_concern(
    rng: random.Random, band: str, *, professional: bool, notification_only: bool = False
) -> Concern:
    """A notification text that fits the child's age band ("family" for siblings together)."""
    if band == "infant":  # not in daycare yet: the health visitor is who sees the baby
        pool = [c for c in CONCERNS if c.organisation == HEALTH_VISITORS]
    else:
        pool = [c for c in CONCERNS if c.band == band]
    if professional:
        pool = [c for c in pool if c.reporter_kind == Reporter.PROFESSIONAL]
    if notification_only:
        pool = [c for c in pool if c.kind == Notification.Kind.NOTIFICATION]
    return rng.choice(pool)
