"""Forms for the pages of one case: judgements, receipts, assessments, measures, journal.

Forms check the shape of the input (required fields, dates, numbers). The rules of the
domain live in cases/services.py and cases/deadlines.py; what a service refuses is put
back onto the form with ``add_service_error`` so the user keeps everything typed.
"""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationUnit, Role, Team, TeamMembership, User
from cases.models import Assessment, AssessmentArea, Notification
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
    """A running assessment: its areas (resources and challenges), the views, the conversation
    with the child and the conclusion; saved on the way, or finished. The rules are
    ``cases.services.assessment_finish``'s."""

    service_fields = {"areas": None}

    finished_on = _date_field(
        _("Afsluttet"),
        initial=timezone.localdate,
        required=False,
        help_text=_("Udfyldes, når undersøgelsen afsluttes."),
    )
    conversation_on = _date_field(_("Samtale med barnet afholdt"), required=False)
    conversation_place = forms.CharField(
        label=_("Hvor samtalen blev holdt"),
        max_length=200,
        required=False,
        help_text=_("Fx i hjemmet, på skolen eller på rådhuset."),
    )
    conversation_not_held_reason = _text(
        _("Hvis samtalen ikke er holdt: hvorfor"), required=False, rows=2
    )
    parents_view = _text(
        _("Forældrenes synspunkter"),
        required=False,
        rows=3,
        help_text=_("Undersøgelsen gennemføres i samarbejde med forældrene (Barnets Lov § 22)."),
    )
    child_view = _text(
        _("Barnets eller den unges synspunkter"),
        required=False,
        rows=3,
        help_text=_("Fra 15 år gennemføres undersøgelsen også i samarbejde med den unge."),
    )
    conclusion = _text(_("Konklusion"), required=False, rows=6)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != Assessment.Kind.CHILD_ASSESSMENT:
            return
        for area in AssessmentArea.Area:
            self.fields[f"{area.value}_resources"] = _text(
                _("%(area)s: ressourcer") % {"area": area.label}, required=False, rows=2
            )
            self.fields[f"{area.value}_concerns"] = _text(
                _("%(area)s: udfordringer") % {"area": area.label}, required=False, rows=2
            )

    @classmethod
    def initial_from(cls, assessment: Assessment) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(assessment, name)
            for name in (
                "conclusion",
                "parents_view",
                "child_view",
                "conversation_on",
                "conversation_place",
                "conversation_not_held_reason",
            )
        }
        for area in assessment.areas.all():
            initial[f"{area.area}_resources"] = area.resources
            initial[f"{area.area}_concerns"] = area.concerns
        return initial

    def area_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        if self.kind != Assessment.Kind.CHILD_ASSESSMENT:
            return []
        return [
            (area.label, self[f"{area.value}_resources"], self[f"{area.value}_concerns"])
            for area in AssessmentArea.Area
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        areas = {}
        for area in AssessmentArea.Area.values:
            resources = data.pop(f"{area}_resources", None)
            concerns = data.pop(f"{area}_concerns", None)
            if resources is not None or concerns is not None:
                areas[area] = (resources or "", concerns or "")
        data["areas"] = areas
        return data


class AssessmentPreliminaryForm(ServiceForm):
    text = _text(
        _("Foreløbig vurdering"),
        rows=5,
        help_text=_(
            "Hvad undersøgelsen hidtil viser, og hvorfor den ikke kan afsluttes til tiden."
        ),
        error_messages={"required": _("Skriv den foreløbige vurdering.")},
    )
    expected_finish_on = _date_field(
        _("Forventes afsluttet"),
        error_messages={"required": _("Angiv hvornår undersøgelsen forventes afsluttet.")},
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
