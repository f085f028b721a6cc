"""The form that records a held follow-up. It checks the shape of the input (dates, required
texts, a verdict for every open goal); the rules live in followups/services.py, and
what the service refuses is put back onto the form so the user keeps everything typed."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceForm
from followups.models import FollowUp, GoalEvaluation
from followups.services import MAX_SCHEDULED_AHEAD, TEXT_MAX, EvaluationInput
from plans.models import Goal, RatingRound

DATE_ISO = "%Y-%m-%d"


def _date_field(
    label: Any,
    *,
    required: bool = True,
    error_messages: dict[str, Any] | None = None,
    **kwargs: Any,
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_ISO),
        error_messages={"invalid": _("Skriv en gyldig dato."), **(error_messages or {})},
        **kwargs,
    )


def _text(label: Any, *, required: bool = True, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


@dataclass(frozen=True)
class GoalFields:
    """The verdict and note of one goal, shown together in a fieldset."""

    goal: Goal
    verdict: forms.BoundField
    note: forms.BoundField


class FollowUpCompleteForm(ServiceForm):
    held_on = _date_field(
        _("Holdt den"),
        initial=timezone.localdate,
        error_messages={"required": _("Angiv hvornår opfølgningen blev holdt.")},
    )
    participants = _text(
        _("Deltagere"),
        rows=2,
        help_text=_("Hvem var med: familien, barnet, netværket og fagpersoner."),
        error_messages={"required": _("Skriv hvem der deltog.")},
    )
    decision = forms.ChoiceField(
        label=_("Beslutning"),
        choices=FollowUp.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg en beslutning.")},
    )
    decision_reasons = _text(
        _("Begrundelse for beslutningen"),
        help_text=_(
            "Virker indsatsen, er målene nået eller inden for rækkevidde, og er indsatsen "
            "stadig den mindst indgribende, der er tilstrækkelig?"
        ),
        error_messages={"required": _("Skriv begrundelsen for beslutningen.")},
    )
    revise_plan = forms.BooleanField(
        label=_("Planen er revideret på mødet: gem den som en ny version"),
        required=False,
        help_text=_("Ret planens mål på planen først; versionen gemmer planen, som den er nu."),
    )
    rating_round = forms.TypedChoiceField(
        label=_("Skaleringsrunde fra mødet"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Runden skal være holdt samme dag som opfølgningen."),
    )
    schedule_reasons = _text(
        _("Begrundelse for de næste opfølgninger"),
        required=False,
        help_text=_(
            "Familien kan se begrundelsen. Skriv den, så barnet og forældrene forstår den."
        ),
    )

    service_fields = {"next_dates": "next_date_1", "evaluations": None}

    def __init__(
        self,
        *args: Any,
        followup: FollowUp,
        goals: Sequence[Goal],
        rounds: Sequence[RatingRound],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.followup = followup
        self.goals = list(goals)
        cast(forms.ChoiceField, self.fields["rating_round"]).choices = [
            ("", _("Ingen skaleringsrunde")),
            *[(r.pk, f"{r.held_on:%d.%m.%Y}{f' – {r.note}' if r.note else ''}") for r in rounds],
        ]
        for goal in self.goals:
            wording = Truncator(goal.family_wording).chars(80)
            self.fields[f"verdict_{goal.pk}"] = forms.ChoiceField(
                label=_("Vurdering af målet: %(goal)s") % {"goal": wording},
                choices=GoalEvaluation.Verdict.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Vælg en vurdering af målet.")},
            )
            self.fields[f"note_{goal.pk}"] = _text(
                _("Bemærkning til målet: %(goal)s") % {"goal": wording}, required=False, rows=2
            )
        first = followup.number == 1
        for n in range(1, MAX_SCHEDULED_AHEAD + 1):
            self.fields[f"next_date_{n}"] = _date_field(
                _("%(n)s. næste opfølgning") % {"n": n}, required=False
            )
        if first:
            self.fields["next_date_1"].help_text = _(
                "Ved første opfølgning beslutter I, hvornår de næste skal være – tæt på "
                "hinanden i starten og sjældnere senere. Mindst én dato, medmindre indsatsen "
                "afsluttes."
            )

    # --- layout helpers for the template ----------------------------------------------------

    def goal_fields(self) -> list[GoalFields]:
        return [
            GoalFields(goal=g, verdict=self[f"verdict_{g.pk}"], note=self[f"note_{g.pk}"])
            for g in self.goals
        ]

    def date_fields(self) -> list[forms.BoundField]:
        return [self[f"next_date_{n}"] for n in range(1, MAX_SCHEDULED_AHEAD + 1)]

    def clean_held_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise ValidationError(_("Datoen kan ikke ligge i fremtiden."))
        return value

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "participants": data["participants"],
            "decision": data["decision"],
            "decision_reasons": data["decision_reasons"],
            "evaluations": [
                EvaluationInput(goal=g, verdict=data[f"verdict_{g.pk}"], note=data[f"note_{g.pk}"])
                for g in self.goals
            ],
            "rating_round_id": data["rating_round"],
            "revise_plan": data["revise_plan"],
            "next_dates": [
                data[f"next_date_{n}"]
                for n in range(1, MAX_SCHEDULED_AHEAD + 1)
                if data.get(f"next_date_{n}")
            ],
            "schedule_reasons": data["schedule_reasons"],
        }
