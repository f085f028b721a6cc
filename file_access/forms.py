"""The forms of a case's Aktindsigt pages: registering a request, the notice of a longer
answer time, and an exemption. The rules are ``file_access.services``'s."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms.case import _date_field, _text
from cases.models import Case, FamilyMember
from core.forms import ServiceForm
from file_access import documents, services

DATE_INVALID = _("Skriv datoen som dd.mm.åååå.")


class RequestForm(ServiceForm):
    prefix = "request"

    requester = forms.ModelChoiceField(
        label=_("Part"),
        queryset=FamilyMember.objects.none(),
        empty_label=_("Vælg"),
        error_messages={
            "required": _("Vælg, hvem der beder om aktindsigt."),
            "invalid_choice": _("Vælg en af sagens parter."),
        },
        help_text=_("Forældre med forældremyndighed og barnet selv fra 10 år."),
    )
    received_on = _date_field(
        _("Modtaget"),
        error_messages={"required": _("Skriv, hvornår anmodningen kom."), "invalid": DATE_INVALID},
    )
    asked_for = _text(
        _("Anmodningen omfatter"),
        rows=3,
        help_text=_("Fx »alle sagens dokumenter« eller »underretningerne fra 2026«."),
        error_messages={"required": _("Skriv, hvad parten beder om at se.")},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.parties = services.parties(case)
        field: Any = self.fields["requester"]
        field.queryset = FamilyMember.objects.filter(pk__in=[p.member.pk for p in self.parties])
        labels = {p.member.pk: p.label for p in self.parties}
        field.label_from_instance = lambda member: labels.get(member.pk, member.name)


class NoticeForm(ServiceForm):
    prefix = "notice"

    reason = _text(
        _("Hvorfor tager svaret længere tid?"),
        rows=3,
        error_messages={"required": _("Skriv, hvorfor svaret tager længere tid.")},
    )
    expected_on = _date_field(
        _("Svaret kan forventes"),
        error_messages={
            "required": _("Skriv, hvornår svaret kan forventes."),
            "invalid": DATE_INVALID,
        },
    )


class ExemptionForm(ServiceForm):
    prefix = "exemption"

    document = forms.ChoiceField(
        label=_("Hvad undtages"),
        choices=(),
        error_messages={
            "required": _("Vælg, hvad der undtages."),
            "invalid_choice": _("Vælg et dokument fra sagen."),
        },
    )
    reason = _text(
        _("Begrundelse"),
        rows=3,
        error_messages={"required": _("Skriv, hvorfor det undtages.")},
    )
    legal_basis = forms.CharField(
        label=_("Hjemmel"),
        max_length=200,
        initial="Forvaltningsloven § 15 b",
        help_text=_(
            "Fx Forvaltningsloven § 15 b (afgørende hensyn til private interesser, som en "
            "underretters identitet) eller § 12 (interne arbejdsdokumenter)."
        ),
        error_messages={"required": _("Skriv hjemlen, fx Forvaltningsloven § 15 b.")},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["document"]
        field.choices = [("", _("Vælg")), *documents.exemption_choices(case)]
