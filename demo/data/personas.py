"""The family-portal personas: demo logins that show who of a family sees a child's case in the
portal (``access.rules``) and who does not. The README's demo user table lists each of them
with what they should see.

- ``familie-far``: the father of the children of ``familie`` (the mother, who has sole custody;
  ``FAMILY_PLAN``'s first row). He has moved out but is still listed with the family, without
  custody: he sees no child's case.
- ``stedforaelder``: the mother's new partner in that household, step-parent to each of her
  children: sees no child's case.
- ``ung``: a young person of 16 with its own login, whose younger sister also has a case with
  a measure and a plan: ``ung`` sees its own case, never its sister's.
- ``ung18``: a young person who turned 18 earlier this year, with its own login and a contact
  person who goes on as support after 18. Both parents are in the family (they held custody
  until the 18th birthday, which no longer counts): ``ung18-mor`` has the young person's consent
  (``PortalConsent``) and sees the case, ``ung18-far`` has none and sees nothing.

Plain tables only; ``demo.builders.personas`` builds them with a generator of its own, after
the drawn families, so the rest of the demo stays as it was. Ages are counted back from the
demo's "today". Every name is invented (none is among the drawn names of ``people``).
"""

from dataclasses import dataclass

from cases.models import FamilyRelation
from demo.data.families import MEASURE, FamilyPlan

Kind = FamilyRelation.Kind

# --- familie's household: the father without custody and the mother's new partner ----------

# The custodial mother's login (``FAMILY_PLAN``), whose household the two adults below are in.
HOUSEHOLD_LOGIN = "familie"
# The children's father, listed with the family without custody (``SOLE_CUSTODY_MOTHER``).
FATHER_LOGIN = "familie-far"


@dataclass(frozen=True)
class Adult:
    first_name: str
    last_name: str
    phone: str
    kind: str  # FamilyRelation.Kind, to every child of the family
    login: str | None = None
    consent: bool = False  # the young person (18 or older) has consented to this adult


STEPPARENT = Adult("Allan", "Kronborg", "+45 31 47 62 08", Kind.STEP_PARENT, "stedforaelder")

# --- the young people with a login of their own ---------------------------------------------


@dataclass(frozen=True)
class Young:
    first_name: str
    female: bool
    age: int  # on the demo's "today"
    days_since_birthday: int
    login: str | None = None
    # The birthday falls in the current calendar year: never before 1 January (so on
    # 1 January the young person turns ``age`` that very day).
    birthday_this_year: bool = False


@dataclass(frozen=True)
class PersonaFamily:
    plan: FamilyPlan  # owner, therapist, one stage per child and the story variant
    surname: str
    street: str
    postal_code: str
    town: str
    relative: str  # the relative the family leans on (``people.RELATIVES``)
    children: tuple[Young, ...]  # oldest first, one per stage of ``plan``
    adults: tuple[Adult, ...]  # the custodial (or, from 18, consented) parent first


PERSONA_FAMILIES: tuple[PersonaFamily, ...] = (
    # ung: 16, a running measure with its ungeplan; its sister of 12 has her own measure and
    # plan, which a custody holder sees and ung never does.
    PersonaFamily(
        plan=FamilyPlan("sagsbehandler2", (MEASURE, MEASURE), variant="running"),
        surname="Skovgaard",
        street="Ahornvej 17",
        postal_code="4992",
        town="Fjordby Øst",
        relative="farmor",
        children=(
            Young("Asger", female=False, age=16, days_since_birthday=150, login="ung"),
            Young("Ellinor", female=True, age=12, days_since_birthday=200),
        ),
        adults=(
            Adult("Vibeke", "Skovgaard", "+45 42 18 73 55", Kind.PARENT_CUSTODY),
            Adult("Ulrik", "Skovgaard", "+45 29 64 30 81", Kind.PARENT_CUSTODY),
        ),
    ),
    # ung18: turned 18 this year; the contact person ordered at 17 goes on as support after 18.
    PersonaFamily(
        plan=FamilyPlan("sagsbehandler", (MEASURE,), variant="established"),
        surname="Lykkegaard",
        street="Markvej 4",
        postal_code="4993",
        town="Sandvig",
        relative="moster",
        children=(
            Young(
                "Vilma",
                female=True,
                age=18,
                days_since_birthday=40,
                login="ung18",
                birthday_this_year=True,
            ),
        ),
        adults=(
            Adult(
                "Merete",
                "Lykkegaard",
                "+45 51 36 92 14",
                Kind.PARENT_CUSTODY,
                login="ung18-mor",
                consent=True,
            ),
            Adult(
                "Preben", "Lykkegaard", "+45 23 81 05 67", Kind.PARENT_CUSTODY, login="ung18-far"
            ),
        ),
    ),
)

# Days after the 18th birthday that the young person consented (never after "today").
CONSENT_DAYS_AFTER_BIRTHDAY = 6
# The decision on support after 18 (Barnets Lov § 111), taken with the measure at 17.
AFTER_18_DECISION = (
    "{child} fortsætter med sin faste kontaktperson efter det fyldte 18. år som støtte efter "
    "18 år, frem til {child} er godt i gang med sin uddannelse. {child} er enig."
)

# Every persona login, in the order they are made (and printed by ``seed_demo``).
PERSONA_LOGINS: tuple[str, ...] = (
    FATHER_LOGIN,
    *(adult.login for adult in (STEPPARENT,) if adult.login),
    *(
        login
        for family in PERSONA_FAMILIES
        for login in (
            *(child.login for child in family.children),
            *(adult.login for adult in family.adults),
        )
        if login
    ),
)
