"""The demo's organisation and users: the municipality's units and teams (``demo.data.people``),
the staff in them, and the logins the families get, all sharing one password.

Built with the shared factories (``demo.factories``), every value given; a user that already
exists (an ``admin`` made with ``createsuperuser``, say) is left alone and reported.
"""

from dataclasses import dataclass, field

import factory
from django.contrib.auth.hashers import make_password

from accounts.models import OrganisationUnit, Role, Team, TeamMembership, User
from demo import factories as f
from demo.data.people import (
    AUTHORITY_ADDRESS,
    AUTHORITY_UNIT,
    DEMO_PASSWORD,
    EMAIL_DOMAIN,
    MUNICIPALITY,
    PROVIDER_ADDRESS,
    PROVIDER_UNIT,
    STAFF,
    TEAMS,
)


def organisation() -> dict[str, Team]:
    """The authority with its two teams and the family house with its team, by team name."""
    units = {
        AUTHORITY_UNIT: f.OrganisationUnitFactory.create(
            name=AUTHORITY_UNIT,
            kind=OrganisationUnit.Kind.AUTHORITY,
            municipality=MUNICIPALITY,
            address=AUTHORITY_ADDRESS,
        ),
        PROVIDER_UNIT: f.OrganisationUnitFactory.create(
            name=PROVIDER_UNIT,
            kind=OrganisationUnit.Kind.PROVIDER,
            municipality=MUNICIPALITY,
            address=PROVIDER_ADDRESS,
        ),
    }
    return {team: f.TeamFactory.create(unit=units[unit], name=team) for unit, team in TEAMS}


@dataclass
class Logins:
    """The demo's users by username; ``created`` in the order made (the printed table)."""

    password_hash: str = field(default_factory=lambda: make_password(DEMO_PASSWORD))
    users: dict[str, User] = field(default_factory=dict)
    created: list[User] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)

    def user(
        self,
        *,
        username: str,
        first_name: str,
        last_name: str,
        role: str,
        title: str = "",
        is_admin: bool = False,
        phone: str = "",
        phone_hours: str = "",
    ) -> User:
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            # Someone made this user by hand (createsuperuser admin, say): leave it alone.
            self.existing.append(username)
            self.users[username] = existing
            return existing
        user = f.UserFactory.create(
            username=username,
            # Hashed once for every demo user, not once each.
            password=factory.Transformer.Force(self.password_hash),
            first_name=first_name,
            last_name=last_name,
            role=role,
            title=title,
            phone=phone,
            phone_hours=phone_hours,
            email=f"{username}@{EMAIL_DOMAIN}",
            is_staff=is_admin,
            is_superuser=is_admin,
        )
        self.users[username] = user
        self.created.append(user)
        return user


# When the staff answer the phone: the authority's telephone hours, the family house's own.
PHONE_HOURS: dict[str, str] = {
    Role.CASEWORKER: "Mandag–torsdag kl. 9–12, fredag kl. 9–11",
    Role.TEAM_LEAD: "Mandag–fredag kl. 8.30–9.30",
    Role.THERAPIST: "Mandag–fredag kl. 8–9",
    Role.PSYCHOLOGIST: "Tirsdag og torsdag kl. 12–13",
}


def staff(logins: Logins, teams: dict[str, Team]) -> None:
    """Every row of ``STAFF``, in its team (as its lead where it leads it)."""
    for number, person in enumerate(STAFF):
        user = logins.user(
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            role=person.role,
            title=person.title,
            is_admin=person.role == Role.ADMIN,
            # What the family sees in its portal and letters (invented numbers).
            phone=""
            if person.role == Role.ADMIN
            else f"72 36 {40 + number:02d} {11 * number % 90 + 10:02d}",
            phone_hours=PHONE_HOURS.get(person.role, ""),
        )
        if person.team is not None:
            TeamMembership.objects.get_or_create(
                team=teams[person.team], user=user, defaults={"is_lead": person.is_lead}
            )
