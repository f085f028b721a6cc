"""How a family gets hold of the people on its case: the caseworker (the case's owner) and
the therapist who wrote the letter, from their user profile (``accounts.User``: e-mail,
``phone`` and ``phone_hours``). Shown in the closing letter (letters/pdf.py) and in the family
portal's Kontakt box (portal/views/home.py)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.models import User


@dataclass(frozen=True)
class Contact:
    """One person the family can contact, as printed: never more than the profile holds."""

    role: str  # what the person is to the family: "Sagsbehandler", "Familiebehandler"
    name: str
    title: str  # the user's job title ("Socialrådgiver"), or empty
    organisation: str
    phone: str
    phone_hours: str
    email: str

    @property
    def phone_link(self) -> str:
        """The number for a ``tel:`` link (digits and a leading +)."""
        return "".join(c for c in self.phone if c.isdigit() or c == "+")


def contact_of(user: User, *, role: str = "", organisation: str = "") -> Contact:
    return Contact(
        role=role or str(user.get_role_display()),
        name=user.get_full_name() or user.get_username(),
        title=user.title,
        organisation=organisation,
        phone=user.phone,
        phone_hours=user.phone_hours,
        email=user.email,
    )


def caseworker_contact(user: User, *, organisation: str = "") -> Contact:
    return contact_of(user, role=_("Sagsbehandler"), organisation=organisation)
