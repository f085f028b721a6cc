"""Forms for the pages of one case: judgements, receipts, assessments, measures, journal.

Forms check the shape of the input (required fields, dates, numbers). The rules of the
domain live in cases/services.py and cases/deadlines.py; what a service refuses is put
back onto the form with ``add_service_error`` so the user keeps everything typed.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationUnit, Role, Team, TeamMembership, User
from cases.models import Assessment, LegalBasis, Notification
from core.forms import ServiceForm

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
DATE_ISO = "%Y-%m-%d"
TAPER_ROWS = 4


def _now_local() -> Any:
    return timezone.localtime().replace(second=0, microsecond=0)


def _this_minute_is_now(value: Any) -> Any:
    """A time typed to the minute that is the current minute means "now", to the second.

    Otherwise a judgement registered in the same minute as the notification would seem to
    lie before it (10:15 < 10:15:42).
    """
    now = timezone.now()
    if value is not None and value <= now and now - value < dt.timedelta(minutes=1):
        return now
    return value


def _date_field(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_ISO),
        **kwargs,
    )


def _datetime_field(label: Any, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        **kwargs,
    )


def _text(label: Any, *, required: bool = True, rows: int = 5, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


# --- notifications ---------------------------------------------------------------------------


class AcuteJudgementForm(ServiceForm):
    outcome = forms.ChoiceField(
        label=_("Resultat af vurderingen"),
        choices=Notification.AcuteOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg resultatet af vurderingen.")},
    )
    note = _text(
        _("Begrundelse"),
        help_text=_("Hvad bygger vurderingen på? Skriv kort, hvad der er gjort eller besluttet."),
        error_messages={"required": _("Skriv en kort begrundelse for vurderingen.")},
    )
    judged_at = _datetime_field(
        _("Vurderet"),
        initial=_now_local,
        help_text=_("Dato og klokkeslæt for vurderingen. Normalt lige nu."),
        error_messages={"required": _("Angiv hvornår vurderingen blev foretaget.")},
    )

    def clean_judged_at(self) -> Any:
        return _this_minute_is_now(self.cleaned_data["judged_at"])


class ReceiptForm(ServiceForm):
    sent_at = _datetime_field(
        _("Kvittering sendt"),
        initial=_now_local,
        help_text=_("Dato og klokkeslæt, hvor kvitteringen blev sendt til underretteren."),
        error_messages={"required": _("Angiv hvornår kvitteringen blev sendt.")},
    )

    def clean_sent_at(self) -> Any:
        return _this_minute_is_now(self.cleaned_data["sent_at"])


# --- assessments -----------------------------------------------------------------------------


class AssessmentStartForm(ServiceForm):
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=Assessment.Kind.choices,
        widget=forms.RadioSelect,
        initial=Assessment.Kind.CHILD_ASSESSMENT,
        error_messages={"required": _("Vælg typen af undersøgelse.")},
    )
    started_on = _date_field(
        _("Påbegyndt"),
        initial=timezone.localdate,
        error_messages={"required": _("Angiv startdatoen.")},
    )


class AssessmentFinishForm(ServiceForm):
    finished_on = _date_field(
        _("Afsluttet"),
        initial=timezone.localdate,
        error_messages={"required": _("Angiv slutdatoen.")},
    )
    conclusion = _text(
        _("Konklusion"),
        rows=7,
        error_messages={"required": _("Skriv undersøgelsens konklusion.")},
    )
    parents_view = _text(
        _("Forældrenes synspunkter"),
        required=False,
        help_text=_("Undersøgelsen gennemføres i samarbejde med forældrene (Barnets Lov § 20)."),
    )
    child_view = _text(
        _("Barnets eller den unges synspunkter"),
        required=False,
        help_text=_("Der skal være mindst én samtale med barnet eller den unge."),
    )


# --- measures --------------------------------------------------------------------------------


class LegalBasisChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        label = f"{obj.reference} – {obj.title}"
        if obj.former_reference:
            label += " " + str(_("(tidl. %(ref)s)") % {"ref": obj.former_reference})
        return label


class TherapistChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        teams = ", ".join(m.team.name for m in obj.provider_memberships)
        return f"{obj} ({obj.get_role_display()}, {teams})" if teams else str(obj)


def provider_teams() -> QuerySet[Team]:
    return Team.objects.filter(unit__kind=OrganisationUnit.Kind.PROVIDER).select_related("unit")


def therapist_choices() -> QuerySet[User]:
    return (
        User.objects.filter(
            is_active=True,
            role__in=[Role.THERAPIST, Role.PSYCHOLOGIST],
            memberships__team__unit__kind=OrganisationUnit.Kind.PROVIDER,
        )
        .distinct()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.filter(
                    team__unit__kind=OrganisationUnit.Kind.PROVIDER
                ).select_related("team"),
                to_attr="provider_memberships",
            )
        )
        .order_by("first_name", "last_name", "username")
    )


class MeasureOrderForm(ServiceForm):
    legal_basis = LegalBasisChoiceField(
        label=_("Lovgrundlag"),
        queryset=LegalBasis.objects.filter(active=True),
        empty_label=_("Vælg bestemmelse"),
        error_messages={"required": _("Vælg det lovgrundlag, indsatsen besluttes efter.")},
    )
    purpose = _text(
        _("Formål"),
        help_text=_(
            "Skal fremgå af afgørelsen (Barnets Lov § 32, stk. 3). Skriv konkret, hvad "
            "indsatsen skal føre til for barnet og familien."
        ),
        error_messages={"required": _("Afgørelsen skal angive formålet med indsatsen.")},
    )
    expected_duration_months = forms.IntegerField(
        label=_("Forventet varighed i måneder"),
        min_value=1,
        max_value=72,
        help_text=_("Skal fremgå af afgørelsen (Barnets Lov § 32, stk. 3)."),
        error_messages={"required": _("Afgørelsen skal angive den forventede varighed.")},
    )
    start_date = _date_field(
        _("Startdato"),
        initial=timezone.localdate,
        error_messages={"required": _("Angiv startdatoen.")},
    )
    planned_end_date = _date_field(
        _("Planlagt slutdato"), required=False, help_text=_("Kan udfyldes senere.")
    )
    provider_team = forms.ModelChoiceField(
        label=_("Udførende team"),
        queryset=Team.objects.none(),
        empty_label=_("Vælg team"),
        error_messages={"required": _("Vælg det team, der skal udføre indsatsen.")},
    )
    therapists = TherapistChoiceField(
        label=_("Familiebehandlere og psykologer"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Kan også tilknyttes senere. De valgte skal være med i det udførende team, og de "
            "får adgang til sagen."
        ),
    )
    consent_given_on = _date_field(
        _("Samtykke fra forældremyndighedsindehaveren givet"),
        help_text=_("Indsatsen kræver samtykke (Barnets Lov § 32, stk. 2)."),
        error_messages={
            "required": _(
                "Indsatsen kræver samtykke fra forældremyndighedsindehaveren "
                "(Barnets Lov § 32, stk. 2)."
            )
        },
    )

    service_fields = {"hours_steps": None}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider_team"].queryset = provider_teams()  # type: ignore[attr-defined]
        self.fields["therapists"].queryset = therapist_choices()  # type: ignore[attr-defined]
        for i in range(1, TAPER_ROWS + 1):
            self.fields[f"hours_{i}"] = forms.DecimalField(
                label=_("Timer pr. uge, trin %(n)s") % {"n": i},
                required=False,
                min_value=Decimal("0.5"),
                max_value=Decimal("40"),
                max_digits=4,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            )
            self.fields[f"weeks_{i}"] = forms.IntegerField(
                label=_("Antal uger, trin %(n)s") % {"n": i},
                required=False,
                min_value=1,
                max_value=520,
            )

    def taper_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(i, self[f"hours_{i}"], self[f"weeks_{i}"]) for i in range(1, TAPER_ROWS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        steps: list[tuple[int | None, Decimal]] = []
        for i in range(1, TAPER_ROWS + 1):
            hours, weeks = data.get(f"hours_{i}"), data.get(f"weeks_{i}")
            if f"hours_{i}" in self.errors or f"weeks_{i}" in self.errors:
                continue
            if hours is None and weeks is None:
                continue  # a blank row is ignored
            if hours is None:
                self.add_error(f"hours_{i}", _("Angiv timer pr. uge for trinnet."))
                continue
            steps.append((weeks, hours))
        open_ended = [n for n, (weeks, _hours) in enumerate(steps, start=1) if weeks is None]
        if open_ended and open_ended[0] != len(steps):
            self.add_error(
                None,
                _("Kun det sidste trin kan stå uden antal uger (resten af forløbet)."),
            )
        data["hours_steps"] = steps
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "legal_basis": data["legal_basis"],
            "purpose": data["purpose"],
            "expected_duration_months": data["expected_duration_months"],
            "start_date": data["start_date"],
            "planned_end_date": data["planned_end_date"],
            "provider_team": data["provider_team"],
            "consent_given_on": data["consent_given_on"],
            "therapists": list(data["therapists"]),
            "hours_steps": data["hours_steps"],
        }


class MeasureEndForm(ServiceForm):
    ended_on = _date_field(
        _("Afsluttet den"),
        initial=timezone.localdate,
        error_messages={"required": _("Angiv datoen, hvor indsatsen slutter.")},
    )


# --- journal ---------------------------------------------------------------------------------


class JournalNoteForm(ServiceForm):
    text = _text(
        _("Nyt journalnotat"),
        rows=6,
        error_messages={"required": _("Notatet er tomt.")},
    )


class JournalCorrectionForm(ServiceForm):
    text = _text(
        _("Rettet tekst"),
        rows=8,
        help_text=_("Det oprindelige notat bevares og vises som rettet."),
        error_messages={"required": _("Rettelsen er tom.")},
    )


# --- closing, reopening, deadlines -----------------------------------------------------------


class CaseCloseForm(ServiceForm):
    reason = _text(
        _("Begrundelse for at lukke sagen"),
        rows=4,
        error_messages={"required": _("Skriv en begrundelse for at lukke sagen.")},
    )


class CaseReopenForm(ServiceForm):
    """Confirmation only: the POST itself is the user's answer to "Er du sikker?"."""


class DeadlineHandleOtherwiseForm(ServiceForm):
    reason = _text(
        _("Begrundelse"),
        rows=4,
        help_text=_("Hvorfor er fristen håndteret på anden vis? Begrundelsen gemmes på sagen."),
        error_messages={"required": _("Skriv en begrundelse.")},
    )
