"""Forms for the staff pages of a closing status letter.

The forms check the shape of the input; what the letter services refuse (a letter in the
wrong state, a reviewer who is not among the candidates, a deadline out of range) is put back
onto the form with ``add_service_error``, so the therapist keeps everything typed.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms.case import DATE_ISO
from cases.models import FamilyMember
from core.forms import ServiceForm
from letters.models import LetterSection
from letters.services import DEFAULT_REVIEW_DAYS, REASON_MAX, SECTION_MAX

# What each section is for, shown under its label while the therapist writes.
SECTION_HELP = {
    LetterSection.COURSE: _(
        "Hvornår indsatsen begyndte og slutter, formålet, og hvor ofte og hvor I har mødtes. "
        "Forudfyldt fra sagen og de registrerede sessioner."
    ),
    LetterSection.COLLABORATION: _(
        "Hvordan samarbejdet med familien har været: hvad der har virket, og hvad der var "
        "svært. Skriv så familien kan genkende det."
    ),
    LetterSection.THEMES: _(
        "De temaer og metoder, I har arbejdet med. Forudfyldt fra metoderne i sessionerne."
    ),
    LetterSection.GOALS: _(
        "Hvert mål i planen og hvor langt det er nået, med første og seneste skalering."
    ),
    LetterSection.HANDOVER: _(
        "Hvem der tager over nu, hvor de professionelle træder tilbage: netværket eller en "
        "anden indsats. Forudfyldt fra netværkskortets nærmeste kredse."
    ),
}


class LetterEditForm(ServiceForm):
    """The five sections and a note on what changed."""

    service_fields = {"sections": None}

    change_note = forms.CharField(
        label=_("Hvad er ændret"),
        required=False,
        max_length=500,
        help_text=_("Kort, til familien og kollegerne, fx “Rettet efter jeres kommentarer”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for section, label in LetterSection.choices:
            fields[section] = forms.CharField(
                label=label,
                required=False,
                max_length=SECTION_MAX,
                help_text=SECTION_HELP[LetterSection(section)],
                widget=forms.Textarea(attrs={"rows": 8}),
                error_messages={"max_length": _("Afsnittet må højst være %(limit_value)d tegn.")},
            )
        fields["change_note"] = self.fields["change_note"]
        self.fields = fields  # type: ignore[assignment]

    def sections(self) -> dict[str, str]:
        return {s: self.cleaned_data.get(s, "") for s in LetterSection.values}


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        member: FamilyMember = obj
        name = member.name
        role = _("barnet") if member.is_child else _("forælder")
        login = (
            _("har adgang til familieportalen")
            if member.user_id
            else _("har ikke adgang til familieportalen endnu")
        )
        return f"{name} ({role}) – {login}"


class LetterReviewForm(ServiceForm):
    """Who in the family reads the letter, by when, and a confirmation."""

    reviewers = MemberChoiceField(
        label=_("Hvem skal læse brevet"),
        queryset=FamilyMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Vælg hvem i familien der skal læse brevet.")},
        help_text=_(
            "Forældre med forældremyndighed. Barnet selv kan vælges fra det fylder 10 år, "
            "hvis sagsbehandleren har besluttet det. Kun de, der har adgang til "
            "familieportalen, kan læse og godkende brevet dér."
        ),
    )
    review_due_on = forms.DateField(
        label=_("Svarfrist for familien"),
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_ISO),
        error_messages={
            "required": _("Angiv en svarfrist."),
            "invalid": _("Skriv en gyldig dato."),
        },
        help_text=_("Normalt 14 dage. Familien får en påmindelse, hvis de ikke har svaret."),
    )
    confirm = forms.BooleanField(
        label=_("Jeg har læst brevet igennem, og det kan sendes til familien"),
        error_messages={"required": _("Bekræft at brevet kan sendes til familien.")},
    )

    def __init__(self, *args: Any, candidates: Sequence[FamilyMember] = (), **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "review_due_on": timezone.localdate() + dt.timedelta(days=DEFAULT_REVIEW_DAYS),
                "reviewers": [m.pk for m in candidates if m.user_id and not m.is_child],
            },
        )
        super().__init__(*args, **kwargs)
        field = self.fields["reviewers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = FamilyMember.objects.filter(pk__in=[m.pk for m in candidates])
        # The candidates' order (parents first, then the child), without another query.
        field.choices = [(m.pk, field.label_from_instance(m)) for m in candidates]


class LetterSendWithoutApprovalForm(ServiceForm):
    reason = forms.CharField(
        label=_("Hvorfor sendes brevet uden familiens godkendelse?"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Fx: Familien har ikke svaret inden svarfristen, heller ikke efter en påmindelse. "
            "Familien får begrundelsen at se sammen med brevet."
        ),
        error_messages={"required": _("Skriv hvorfor brevet sendes uden godkendelse.")},
    )
    confirm = forms.BooleanField(
        label=_("Jeg forstår, at brevet sendes nu og ikke kan ændres bagefter"),
        error_messages={"required": _("Bekræft at brevet skal sendes uden godkendelse.")},
    )
