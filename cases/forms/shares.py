"""The form that shares a case with a named colleague until a date (holiday cover), on the
case's Adgangslog tab. The rules (an active member of staff, an end date not passed, a
reason) are checked again by ``access.rules.case_share_grant``."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, User
from cases.forms.case import _date_field
from core.forms import ServiceForm


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class CaseShareForm(ServiceForm):
    prefix = "share"
    service_fields = {"user": "colleague"}

    colleague = ColleagueChoiceField(
        label=_("Kollega"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Vælg den kollega, sagen skal deles med."),
            "invalid_choice": _("Vælg en kollega fra listen."),
        },
    )
    valid_until = _date_field(
        _("Delt til og med"),
        help_text=_("Den sidste dag, kollegaen kan se sagen. Fx den sidste feriedag."),
        error_messages={
            "required": _("Angiv den sidste dag, sagen er delt."),
            "invalid": _("Skriv datoen som dd.mm.åååå."),
        },
    )
    reason = forms.CharField(
        label=_("Begrundelse"),
        max_length=300,
        help_text=_("Fx ferieafløsning. Begrundelsen står i sagens adgangslog."),
        error_messages={"required": _("Skriv hvorfor sagen deles.")},
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, role__in=STAFF_ROLES)
            .exclude(pk=case.owner_id)
            .order_by("first_name", "last_name", "username")
        )

    def clean_valid_until(self) -> Any:
        value = self.cleaned_data["valid_until"]
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("Datoen er overskredet. Vælg i dag eller senere."))
        return value
