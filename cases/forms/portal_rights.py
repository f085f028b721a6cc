"""The forms on the case's Familie tab that widen who of the family sees the case in the portal:
the young person's consent (from 18) and the caseworker's time-limited grant (under 18). The
rules are checked again by ``cases.portal_rights``."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms.case import _date_field
from cases.models import FamilyMember
from core.forms import ServiceForm


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


def _member_field(label: Any, required: Any) -> MemberChoiceField:
    return MemberChoiceField(
        label=label,
        queryset=FamilyMember.objects.none(),
        error_messages={
            "required": required,
            "invalid_choice": _("Vælg en person fra listen."),
        },
    )


class PortalConsentForm(ServiceForm):
    prefix = "consent"

    member = _member_field(_("Voksen"), _("Vælg den voksne, den unge giver samtykke til."))
    given_on = _date_field(
        _("Samtykket er givet"),
        help_text=_("Den dag, den unge gav samtykket, fx på et møde eller skriftligt."),
        error_messages={
            "required": _("Angiv hvornår samtykket er givet."),
            "invalid": _("Skriv datoen som dd.mm.åååå."),
        },
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("given_on", timezone.localdate())


class PortalGrantForm(ServiceForm):
    prefix = "grant"

    member = _member_field(_("Voksen"), _("Vælg den voksne, der skal kunne se sagen."))
    valid_until = _date_field(
        _("Adgang til og med"),
        help_text=_("Den sidste dag, personen kan se sagen. Højst et år frem."),
        error_messages={
            "required": _("Angiv den sidste dag, personen kan se sagen."),
            "invalid": _("Skriv datoen som dd.mm.åååå."),
        },
    )
    reason = forms.CharField(
        label=_("Begrundelse"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Fx at forældremyndighedsindehaveren ønsker det, eller at personen deltager i "
            "planen. Begrundelsen står i sagens adgangslog."
        ),
        error_messages={"required": _("Skriv hvorfor personen skal kunne se sagen.")},
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]

    def clean_valid_until(self) -> Any:
        value = self.cleaned_data["valid_until"]
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("Datoen er overskredet. Vælg i dag eller senere."))
        return value
