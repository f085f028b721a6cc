"""Forms of the family portal (comments on and approval of a closing letter, accepting an
invitation; the staff's invitation form is cases.forms.invitations.InvitationForm).

The forms check the shape of the input; the services (letters/services.py,
cases/invitations.py) check the rules and their errors are put back on the form.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceForm
from letters.services import COMMENT_MAX


class LetterCommentForm(ServiceForm):
    """A comment on one section of the letter ("" for the whole letter)."""

    service_fields = {"section": None}

    text = forms.CharField(
        label=_("Din kommentar"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skriv, hvad der er forkert eller mangler, eller hvad du er uenig i."),
        error_messages={"required": _("Skriv din kommentar.")},
    )

    def __init__(self, *args: Any, section: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"kommentar-{section or 'hele'}")
        super().__init__(*args, **kwargs)
        self.section = section


class LetterApproveForm(ServiceForm):
    confirm = forms.BooleanField(
        label=_("Jeg har læst brevet og godkender, at det sendes som det står."),
        help_text=_("Godkendelsen kan ikke fortrydes."),
        error_messages={"required": _("Sæt kryds for at bekræfte, at du godkender brevet.")},
    )


class InvitationAcceptForm(ServiceForm):
    """The family member chooses a password (twice); the service runs Django's validators."""

    password1 = forms.CharField(
        label=_("Vælg en adgangskode"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Mindst 8 tegn, og ikke kun tal. Brug gerne en sætning, du kan huske."),
        error_messages={"required": _("Vælg en adgangskode.")},
    )
    password2 = forms.CharField(
        label=_("Gentag adgangskoden"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Skriv adgangskoden igen.")},
    )
    service_fields = {"password": "password1", "token": None}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("De to adgangskoder er ikke ens."))
        return data
