"""The family-portal personas of ``demo.data.personas``: logins that show who of a family sees
a child's case in the portal (``access.rules``) and who does not.

- ``household`` runs after the drawn families and before their cases, and draws nothing: it
  gives the father of ``familie``'s children (listed without custody) his login, and adds the
  mother's new partner as step-parent to each of her children, with a login too. In the
  children's plans the partner is among the adults at home, where the father was.
- ``young_people`` runs after every other case, with a generator of its own (so the drawn
  world stays as it was): the families of ``ung`` and ``ung18``, their cases played through
  ``demo.builders.cases`` like every other, ``ung18``'s consent to one parent and the decision
  on support after 18.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.management.base import CommandError
from django.utils import timezone

from access.rules import ADULT_AGE
from accounts.models import Role, Team, User
from cases import deadlines, services
from cases.models import (
    Case,
    Citizen,
    Family,
    FamilyMember,
    FamilyRelation,
    JournalNote,
    Measure,
    PortalConsent,
    age_on,
)
from demo.builders.cases import CaseBuilder
from demo.builders.clock import Clock
from demo.builders.families import ChildPlan, FamilyBuilder
from demo.builders.staff import Logins
from demo.builders.stories import StoryTeller
from demo.data.personas import (
    AFTER_18_DECISION,
    CONSENT_DAYS_AFTER_BIRTHDAY,
    FATHER_LOGIN,
    HOUSEHOLD_LOGIN,
    PERSONA_FAMILIES,
    STEPPARENT,
    Adult,
    PersonaFamily,
    Young,
)

Kind = FamilyRelation.Kind


def _login(logins: Logins, username: str, member: FamilyMember) -> User:
    """``username`` as ``member``'s family-portal login."""
    citizen = member.citizen
    user = logins.user(
        username=username,
        first_name=citizen.first_name if citizen is not None else member.first_name,
        last_name=citizen.last_name if citizen is not None else member.last_name,
        role=Role.FAMILY,
    )
    member.user = user
    member.save(update_fields=["user"])
    return user


def _adult(
    logins: Logins, family: Family, adult: Adult, children: list[FamilyMember]
) -> FamilyMember:
    member = FamilyMember.objects.create(
        family=family, first_name=adult.first_name, last_name=adult.last_name, phone=adult.phone
    )
    for child in children:
        FamilyRelation.objects.create(member=member, child=child, kind=adult.kind)
    if adult.login is not None:
        _login(logins, adult.login, member)
    return member


def household(logins: Logins) -> None:
    """The father of ``familie``'s children and the mother's new partner, with their logins."""
    mother = (
        FamilyMember.objects.filter(user=logins.users[HOUSEHOLD_LOGIN], is_child=False)
        .select_related("family")
        .first()
    )
    if mother is None:  # pragma: no cover - a bug in demo.data
        raise CommandError(f"Internal error: no family member has the login {HOUSEHOLD_LOGIN}")
    family = mother.family
    fathers = list(
        FamilyMember.objects.filter(
            family=family, is_child=False, relations__kind=Kind.PARENT_NO_CUSTODY
        ).distinct()
    )
    if len(fathers) != 1:  # pragma: no cover - a bug in demo.data
        raise CommandError(
            f"Internal error: {HOUSEHOLD_LOGIN}'s family must list one parent without custody"
        )
    _login(logins, FATHER_LOGIN, fathers[0])
    children = list(family.members.filter(is_child=True).order_by("pk"))
    _adult(logins, family, STEPPARENT, children)


def born_on(today: dt.date, young: Young) -> dt.date:
    """The birth date that makes ``young`` its age on ``today``, its last birthday
    ``days_since_birthday`` ago (never before 1 January where it falls in this year)."""
    birthday = today - dt.timedelta(days=young.days_since_birthday)
    if young.birthday_this_year:
        birthday = max(birthday, dt.date(today.year, 1, 1))
    born = birthday - relativedelta(years=young.age)
    if age_on(born, today) != young.age:  # pragma: no cover - a bug in demo.data
        raise CommandError("Internal error: a persona's birth date disagrees with its age")
    return born


@dataclass
class Made:
    """What ``young_people`` made, for the command's summary."""

    families: int = 0
    children: int = 0
    cases: list[Case] = field(default_factory=list)


class YoungPeople:
    def __init__(
        self, *, now: dt.datetime, logins: Logins, teams: dict[str, Team], seed: int
    ) -> None:
        # A generator of their own: the drawn families and cases stay as they were.
        self.clock = Clock(rng=random.Random(f"{seed}:personas"), now=now)
        self.today = self.clock.today
        self.logins = logins
        self.stories = StoryTeller(self.clock)
        self.people = FamilyBuilder(self.clock, logins, self.stories)
        self.cases = CaseBuilder(self.clock, users=logins.users, teams=teams, seed=seed)
        self.adults: dict[Adult, FamilyMember] = {}

    def family(self, index: int, persona: PersonaFamily) -> list[ChildPlan]:
        plan = persona.plan
        stories = self.stories.family_stories(plan)
        family = Family.objects.create(
            name=f"Familien {persona.surname}",
            address=f"{persona.street}, {persona.postal_code} {persona.town}",
        )
        institutions: dict[str, str] = {}
        children: list[tuple[Citizen, FamilyMember, str]] = []
        for young in persona.children:
            born = born_on(self.today, young)
            institution, school_or_daycare = self.people.institution(
                age_on(born, self.today), institutions
            )
            citizen = services.citizen_create(
                data=services.CitizenData(
                    first_name=young.first_name,
                    last_name=persona.surname,
                    cpr=self.people.cpr(born, female=young.female),
                    address=persona.street,
                    postal_code=persona.postal_code,
                    city=persona.town,
                    school_or_daycare=school_or_daycare,
                )
            )
            member = FamilyMember.objects.create(family=family, citizen=citizen, is_child=True)
            children.append((citizen, member, institution))
            if young.login is not None:
                _login(self.logins, young.login, member)
        members = [member for _citizen, member, _institution in children]
        for child in members:
            for sibling in members:
                if sibling != child:
                    FamilyRelation.objects.create(member=sibling, child=child, kind=Kind.SIBLING)
        for adult in persona.adults:
            self.adults[adult] = _adult(self.logins, family, adult, members)
        return self.people.child_plans(
            index=index,
            plan=plan,
            children=children,
            stories=stories,
            owner=self.logins.users[plan.owner],
            parent=self.adults[persona.adults[0]],
            relative=persona.relative,
            has_login=True,  # a fuller plan to look at, as for the other demo logins
        )

    def from_18(self, case: Case, persona: PersonaFamily, young: Young) -> None:
        """The young person's consent to the adults it chose, and the decision on support
        after 18, taken with the measure at 17."""
        child = case.citizen
        birthday = child.birth_date + relativedelta(years=ADULT_AGE)
        given_on = min(self.today, birthday + dt.timedelta(days=CONSENT_DAYS_AFTER_BIRTHDAY))
        for adult in persona.adults:
            if adult.consent:
                PortalConsent.objects.create(
                    young_person=child,
                    member=self.adults[adult],
                    given_on=given_on,
                    recorded_by=case.owner,
                )
        measure = Measure.objects.filter(case=case).order_by("start_date", "pk").first()
        if measure is None or measure.decided_at is None:  # pragma: no cover - demo.data
            return
        decided_on = timezone.localdate(measure.decided_at)
        # Scheduled when the case was opened (it was already due), met by the decision.
        deadlines.deadline_schedule(
            case=case,
            rule_code="after_18",
            start=timezone.make_aware(dt.datetime.combine(birthday, dt.time(0))),
        )
        note = deadlines.after_18_decision_record(
            case=case,
            user=case.owner,
            decided_on=decided_on,
            decision=AFTER_18_DECISION.format(child=young.first_name),
        )
        JournalNote.objects.filter(pk=note.pk).update(created_at=self.clock.at(decided_on, 13, 30))


def young_people(
    *, now: dt.datetime, logins: Logins, teams: dict[str, Team], seed: int, first_index: int
) -> Made:
    """The families of ``ung`` and ``ung18`` with their cases (indexes from ``first_index``,
    after the drawn families)."""
    builder = YoungPeople(now=now, logins=logins, teams=teams, seed=seed)
    made = Made()
    for offset, persona in enumerate(PERSONA_FAMILIES):
        children = builder.family(first_index + offset, persona)
        made.families += 1
        made.children += len(children)
        # Oldest history first, so the case numbers follow the order the cases were opened.
        for child, young in sorted(
            zip(children, persona.children, strict=True),
            key=lambda pair: (pair[0].story.earliest, pair[0].position),
        ):
            case = builder.cases.case(child)
            made.cases.append(case)
            if young.age >= ADULT_AGE:
                builder.from_18(case, persona, young)
    return made
