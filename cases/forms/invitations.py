"""The staff's invitation form on the case's Familie tab (the family accepts in the portal:
portal.forms.InvitationAcceptForm). The service (cases/invitations.py) checks the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceForm


class InvitationForm(ServiceForm):
    """Staff: invite a member of the child's family to the portal (one form per member, told
    apart by the prefix; the member's id is posted as ``member``)."""

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        error_messages={
            "required": _("Skriv personens e-mailadresse."),
            "invalid": _("Skriv en gyldig e-mailadresse."),
        },
    )

    def __init__(self, *args: Any, member_id: int | None = None, **kwargs: Any) -> None:
        if member_id is not None:
            kwargs.setdefault("prefix", f"invitation-{member_id}")
        super().__init__(*args, **kwargs)
