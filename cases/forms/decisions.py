"""The forms of a case's Afgørelser pages: a draft decision, the party hearing and its answers,
making the decision, and a complaint with its reconsideration and Ankestyrelsen's result. Each
has its own prefix. The rules are ``cases.decisions``'s."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms.case import LegalBasisChoiceField, _date_field, _text
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


class DecisionDraftForm(ServiceForm):
    prefix = "decision"
    service_fields = {"conversation": None}

    kind = forms.ChoiceField(
        label=_("Afgørelsens art"),
        choices=[("", _("Vælg")), *Decision.Kind.choices],
        error_messages={"required": _("Vælg afgørelsens art.")},
    )
    measure = MeasureChoiceField(
        label=_("Indsats"),
        queryset=Measure.objects.none(),
        required=False,
        empty_label=_("Ingen"),
        help_text=_("Ved ændring eller ophør: den indsats, afgørelsen gælder."),
    )
    legal_basis = LegalBasisChoiceField(
        label=_("Lovgrundlag"),
        queryset=LegalBasis.objects.filter(active=True),
        required=False,
        empty_label=_("Vælg bestemmelse"),
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
        _("Hjemmel for at handle før undersøgelsen er afsluttet"), required=False, rows=2
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = (  # type: ignore[attr-defined]
            Measure.objects.filter(case=case).select_related("legal_basis")
        )


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
