"""The forms of a case's Afgørelser pages: a draft decision, the party hearing and its answers,
making the decision, and a complaint with its reconsideration and Ankestyrelsen's result. Each
has its own prefix. The rules are ``cases.decisions``'s."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from cases.forms.case import (
    TAPER_ROWS,
    LegalBasisChoiceField,
    TherapistChoiceField,
    _date_field,
    _text,
    provider_teams,
    therapist_choices,
)
from cases.models import Complaint, Decision, LegalBasis, Measure
from core.forms import ServiceForm

DATE_INVALID = _("Skriv datoen som dd.mm.åååå.")


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.legal_basis.reference} – {obj.purpose[:60]}"


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        decided = timezone.localdate(obj.decided_at).strftime("%d.%m.%Y") if obj.decided_at else ""
        return f"{obj.get_kind_display()} {decided}".strip()


class DecisionKindForm(forms.Form):
    """The first step of a new decision: what kind of decision (a GET form)."""

    art = forms.ChoiceField(
        label=_("Hvad skal der træffes afgørelse om?"),
        choices=Decision.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg afgørelsens art.")},
    )


ORDER_KINDS = (Decision.Kind.MEASURE_ORDER, Decision.Kind.YOUNG_ADULT)
MEASURE_KINDS = (Decision.Kind.MEASURE_CHANGE, Decision.Kind.MEASURE_END)

# The fields each kind of decision shows besides the ones every decision has (``COMMON``).
COMMON = (
    "facts",
    "reasons",
    "child_view",
    "conversation_on",
    "conversation_place",
    "conversation_present",
    "bisidder_offered",
    "bisidder_name",
    "conversation_not_held_reason",
)
ORDER_TERMS = (
    "legal_basis",
    "purpose",
    "expected_duration_months",
    "start_date",
    "planned_end_date",
    "provider_team",
    "therapists",
    "consent_given_on",
    "consents",
    "acting_first_ground",
)
CHANGE_TERMS = (
    "measure",
    "changes_from",
    "purpose",
    "expected_duration_months",
    "planned_end_date",
    "provider_team",
    "therapists",
)
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Decision.Kind.MEASURE_ORDER: ORDER_TERMS,
    Decision.Kind.YOUNG_ADULT: ORDER_TERMS,
    Decision.Kind.MEASURE_CHANGE: CHANGE_TERMS,
    Decision.Kind.MEASURE_END: ("measure", "ends_on"),
    Decision.Kind.APPLICATION_GRANT: ("legal_basis", "consents"),
    Decision.Kind.APPLICATION_REFUSAL: ("legal_basis",),
    Decision.Kind.PLAN: ("legal_basis",),
    Decision.Kind.AFTER_18: ("legal_basis", "consents"),
}
HOURS_KINDS = (*ORDER_KINDS, Decision.Kind.MEASURE_CHANGE)


class DecisionDraftForm(ServiceForm):
    """A draft decision of one kind (fixed before the form: ``DecisionKindForm``), with the
    fields that kind needs: for a decision on a measure, the measure's terms; for every
    decision, the facts, the reasons and the child's view and conversation."""

    prefix = "decision"
    service_fields = {"conversation": None}

    measure = MeasureChoiceField(
        label=_("Indsats"),
        queryset=Measure.objects.none(),
        required=False,
        empty_label=_("Vælg indsats"),
        help_text=_("Den indsats, afgørelsen ændrer eller afslutter."),
    )
    legal_basis = LegalBasisChoiceField(
        label=_("Lovgrundlag"),
        queryset=LegalBasis.objects.filter(active=True),
        required=False,
        empty_label=_("Vælg bestemmelse"),
    )
    purpose = _text(
        _("Formål"),
        required=False,
        rows=3,
        help_text=_(
            "Skal fremgå af afgørelsen (Barnets Lov § 32, stk. 3). Skriv konkret, hvad "
            "indsatsen skal føre til for barnet og familien."
        ),
    )
    expected_duration_months = forms.IntegerField(
        label=_("Forventet varighed i måneder"),
        min_value=1,
        max_value=72,
        required=False,
        help_text=_("Skal fremgå af afgørelsen (Barnets Lov § 32, stk. 3)."),
    )
    start_date = _date_field(
        _("Startdato"), required=False, error_messages={"invalid": DATE_INVALID}
    )
    planned_end_date = _date_field(
        _("Planlagt slutdato"), required=False, error_messages={"invalid": DATE_INVALID}
    )
    changes_from = _date_field(
        _("Ændringen gælder fra"), required=False, error_messages={"invalid": DATE_INVALID}
    )
    ends_on = _date_field(
        _("Indsatsen ophører den"), required=False, error_messages={"invalid": DATE_INVALID}
    )
    provider_team = forms.ModelChoiceField(
        label=_("Udførende team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("Vælg team"),
    )
    therapists = TherapistChoiceField(
        label=_("Familiebehandlere og psykologer"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De valgte skal være med i det udførende team, og de får adgang til sagen."),
    )
    consent_given_on = _date_field(
        _("Samtykke fra forældremyndighedsindehaveren givet"),
        required=False,
        help_text=_("Indsatsen kræver samtykke (Barnets Lov § 32, stk. 2)."),
        error_messages={"invalid": DATE_INVALID},
    )
    consents = _text(
        _("Samtykker givet"),
        required=False,
        rows=2,
        help_text=_(
            "Hvilken forældremyndighedsindehaver (fra 18 år den unge), hvornår og hvordan "
            "(Barnets Lov § 32, stk. 2)."
        ),
    )
    acting_first_ground = _text(
        _("Hjemmel for at handle før undersøgelsen er afsluttet"),
        required=False,
        rows=2,
        help_text=_(
            "Kun hvis der ikke er en afsluttet børnefaglig undersøgelse (Barnets Lov § 20)."
        ),
    )
    facts = _text(_("Sagens faktiske omstændigheder"), required=False)
    reasons = _text(
        _("Begrundelse"),
        required=False,
        help_text=_(
            "De regler og hovedhensyn, afgørelsen bygger på (Forvaltningsloven §§ 22–24). "
            "Kan skrives færdig, når afgørelsen træffes."
        ),
    )
    child_view = _text(_("Barnets/den unges synspunkter"), required=False, rows=3)
    conversation_on = _date_field(
        _("Børnesamtale afholdt"), required=False, error_messages={"invalid": DATE_INVALID}
    )
    conversation_place = forms.CharField(
        label=_("Børnesamtalens sted"), max_length=200, required=False
    )
    conversation_present = _text(_("Til stede ved børnesamtalen"), required=False, rows=2)
    bisidder_offered = forms.BooleanField(
        label=_("Barnet er tilbudt en bisidder (Barnets Lov § 6)"), required=False
    )
    bisidder_name = forms.CharField(label=_("Bisidder"), max_length=200, required=False)
    conversation_not_held_reason = _text(
        _("Hvis børnesamtalen ikke er afholdt: hvorfor"), required=False, rows=2
    )

    SECTIONS = (
        (_("Afgørelsen"), ("measure", "legal_basis", "changes_from", "ends_on")),
        (
            _("Indsatsens vilkår"),
            (
                "purpose",
                "expected_duration_months",
                "start_date",
                "planned_end_date",
                "provider_team",
                "therapists",
            ),
        ),
        (_("Sagens oplysninger og begrundelse"), ("facts", "reasons")),
        (
            _("Barnet høres (Barnets Lov §§ 5–6)"),
            (
                "child_view",
                "conversation_on",
                "conversation_place",
                "conversation_present",
                "bisidder_offered",
                "bisidder_name",
                "conversation_not_held_reason",
            ),
        ),
        (_("Samtykke og hjemmel"), ("consent_given_on", "consents", "acting_first_ground")),
    )

    def __init__(self, *args: Any, case: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = {*COMMON, *KIND_FIELDS.get(kind, ())}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "measure" in self.fields:
            self.fields["measure"].queryset = (  # type: ignore[attr-defined]
                Measure.objects.filter(case=case, ended_on=None).select_related("legal_basis")
            )
            self.fields["measure"].required = True
            self.fields["measure"].error_messages["required"] = _(
                "Vælg den indsats, afgørelsen ændrer eller afslutter."
            )
        if kind in ORDER_KINDS:
            self.fields["legal_basis"].required = True
            self.fields["legal_basis"].error_messages["required"] = _(
                "Vælg lovgrundlaget for indsatsen."
            )
        if "provider_team" in self.fields:
            self.fields["provider_team"].queryset = provider_teams()  # type: ignore[attr-defined]
            self.fields["therapists"].queryset = therapist_choices()  # type: ignore[attr-defined]
        if kind == Decision.Kind.MEASURE_CHANGE:
            self.fields["purpose"].label = _("Nyt formål")
            self.fields["expected_duration_months"].label = _("Ny forventet varighed i måneder")
            self.fields["planned_end_date"].label = _("Ny planlagt slutdato")
            self.fields["provider_team"].label = _("Nyt udførende team")
            self.fields["therapists"].label = _("Behandlere, der tilknyttes")
            for name in ("purpose", "expected_duration_months", "planned_end_date"):
                self.fields[name].help_text = _("Tomt: uændret.")
        if kind in HOURS_KINDS:
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

    @classmethod
    def initial_from(cls, decision: Decision) -> dict[str, Any]:
        """The form's initial values from a saved draft."""
        initial: dict[str, Any] = {
            name: getattr(decision, name)
            for name in (*COMMON, *ORDER_TERMS, *CHANGE_TERMS, "ends_on")
            if name != "therapists"
        }
        initial["therapists"] = list(decision.therapists.all())
        for i, (weeks, hours) in enumerate(decision.hours_step_pairs, start=1):
            initial[f"weeks_{i}"], initial[f"hours_{i}"] = weeks, hours
        return initial

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        shown = []
        for heading, names in self.SECTIONS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                shown.append((heading, fields))
        return shown

    @property
    def has_hours(self) -> bool:
        return self.kind in HOURS_KINDS

    def taper_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        if not self.has_hours:
            return []
        return [(i, self[f"hours_{i}"], self[f"weeks_{i}"]) for i in range(1, TAPER_ROWS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.has_hours:
            return data
        steps: list[tuple[int | None, Decimal]] = []
        for i in range(1, TAPER_ROWS + 1):
            hours, weeks = data.pop(f"hours_{i}", None), data.pop(f"weeks_{i}", None)
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
                None, _("Kun det sidste trin kan stå uden antal uger (resten af forløbet).")
            )
        data["hours_steps"] = steps
        return data


class HearingSendForm(ServiceForm):
    prefix = "hearing"

    parties = _text(
        _("Parter"),
        rows=3,
        help_text=_("Én part pr. linje, fx forældremyndighedens indehavere og barnet fra 10 år."),
        error_messages={"required": _("Skriv de parter, der høres – én pr. linje.")},
    )
    respond_by = _date_field(
        _("Svarfrist"),
        error_messages={"required": _("Angiv svarfristen."), "invalid": DATE_INVALID},
    )
    note = _text(_("Bemærkning"), required=False, rows=2)


class HearingAnswerForm(ServiceForm):
    prefix = "answer"

    party = forms.ChoiceField(
        label=_("Part"), error_messages={"required": _("Vælg den part, der har svaret.")}
    )
    received_on = _date_field(
        _("Modtaget"),
        error_messages={
            "required": _("Angiv hvornår svaret er modtaget."),
            "invalid": DATE_INVALID,
        },
    )
    text = _text(
        _("Svar"), rows=4, error_messages={"required": _("Skriv partens svar eller et resumé.")}
    )

    def __init__(self, *args: Any, parties: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [("", _("Vælg"))] + [(p, p) for p in parties]  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())


class DecisionMakeForm(ServiceForm):
    prefix = "decide"

    reasons = _text(
        _("Begrundelse"),
        help_text=_("De regler og hovedhensyn, afgørelsen bygger på (Forvaltningsloven § 22)."),
        error_messages={"required": _("Skriv afgørelsens begrundelse.")},
    )
    hearing_waived_reason = _text(
        _("Hvis partshøringen ikke er afsluttet: hvorfor afgørelsen træffes nu"),
        required=False,
        rows=2,
    )
    acting_first_ground = _text(
        _("Hjemmel for at handle før undersøgelsen er afsluttet"), required=False, rows=2
    )


class ComplaintForm(ServiceForm):
    prefix = "complaint"

    received_on = _date_field(
        _("Klagen er modtaget"),
        error_messages={
            "required": _("Angiv hvornår klagen er modtaget."),
            "invalid": DATE_INVALID,
        },
    )
    complainant = forms.CharField(
        label=_("Klager"), max_length=200, error_messages={"required": _("Skriv hvem der klager.")}
    )
    text = _text(
        _("Klagen"), rows=4, error_messages={"required": _("Skriv klagen eller et resumé.")}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())


class ComplaintReconsiderForm(ServiceForm):
    prefix = "reconsider"

    outcome = forms.ChoiceField(
        label=_("Resultat af genvurderingen"),
        choices=Complaint.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg resultatet af genvurderingen.")},
    )
    reconsidered_on = _date_field(
        _("Genvurderet"),
        error_messages={"required": _("Angiv datoen for genvurderingen."), "invalid": DATE_INVALID},
    )
    sent_to_ankestyrelsen_on = _date_field(
        _("Sendt til Ankestyrelsen"),
        required=False,
        help_text=_("Når afgørelsen fastholdes."),
        error_messages={"invalid": DATE_INVALID},
    )
    new_decision = DecisionChoiceField(
        label=_("Ny afgørelse"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=_("Vælg"),
        help_text=_("Når afgørelsen ændres: den nye, truffede afgørelse."),
    )

    def __init__(self, *args: Any, complaint: Complaint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_decision"].queryset = (  # type: ignore[attr-defined]
            Decision.objects.filter(
                case_id=complaint.decision.case_id, status=Decision.Status.DECIDED
            ).exclude(pk=complaint.decision_id)
        )
        if not self.is_bound:
            self.initial.setdefault("reconsidered_on", timezone.localdate())


class AnkestyrelsenResultForm(ServiceForm):
    prefix = "result"

    result = forms.ChoiceField(
        label=_("Ankestyrelsens afgørelse"),
        choices=Complaint.AnkestyrelsenResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg Ankestyrelsens afgørelse.")},
    )
    result_on = _date_field(
        _("Modtaget"),
        error_messages={"required": _("Angiv datoen."), "invalid": DATE_INVALID},
    )
