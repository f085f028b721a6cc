"""Forms of the plan pages. They check the shape of the input (required fields, dates, whole
numbers 0–10); the rules live in plans/services.py, and what a service refuses is put back
onto the form with ``add_service_error`` so the user keeps everything typed.

Several forms of one kind can be on the plan page at once (a responsibility form under every
goal), so every form gets its own ``auto_id``; the field *names* stay the same.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.models import FamilyMember
from core.forms import ServiceForm
from plans.models import Area, Goal, Plan, PlanVersion, Rating, Responsibility, SafetyMapEntry
from plans.services import RatingInput

DATE_ISO = "%Y-%m-%d"
RATING_MIN, RATING_MAX = 0, 10
RATING_ERROR = _("En vurdering er et helt tal fra 0 til 10.")


def _date_field(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_ISO),
        **kwargs,
    )


def _textarea(label: Any, *, required: bool = True, rows: int = 3, **kwargs: Any) -> Any:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def _rating_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=RATING_MIN,
        max_value=RATING_MAX,
        widget=forms.NumberInput(
            attrs={
                "min": RATING_MIN,
                "max": RATING_MAX,
                "step": 1,
                "inputmode": "numeric",
                "class": "rating-input",
            }
        ),
        error_messages={
            "invalid": RATING_ERROR,
            "min_value": RATING_ERROR,
            "max_value": RATING_ERROR,
        },
    )


def goal_label(goal: Goal, length: int = 60) -> str:
    return Truncator(goal.family_wording).chars(length)


class PlanForm(ServiceForm):
    """A plan form: its own ids on the page, and the label of every error on its field."""

    def __init__(self, *args: Any, id_prefix: str = "", **kwargs: Any) -> None:
        if id_prefix:
            kwargs.setdefault("auto_id", f"{id_prefix}-%s")
        super().__init__(*args, **kwargs)
        self.id_prefix = id_prefix or "id"


# --- the plan --------------------------------------------------------------------------------


class PlanCreateForm(PlanForm):
    kind = forms.ChoiceField(
        label=_("Type af plan"),
        choices=Plan.Kind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Fra det fyldte 16. år laves en ungeplan (Barnets Lov § 108), før da barnets plan."
        ),
        error_messages={"required": _("Vælg barnets plan eller ungeplan.")},
    )


@dataclass(frozen=True)
class TextSection:
    """One of the plan's own texts, edited inline on the plan page."""

    slug: str  # in the URL and the page anchor
    field: str  # Plan field and plan_update argument
    label: Any
    help_text: Any
    saved: Any  # announced after saving
    internal: bool = False


TEXT_SECTIONS: dict[str, TextSection] = {
    s.slug: s
    for s in (
        TextSection(
            "formaal",
            "purpose",
            _("Overordnet formål"),
            _("Hvad skal støtten føre til? Skriv det, så familien kan genkende det."),
            _("Formålet er gemt."),
        ),
        TextSection(
            "barnets-stemme",
            "child_voice",
            _("Barnets stemme"),
            _("Hvad siger barnet eller den unge selv? Brug gerne barnets egne ord."),
            _("Barnets stemme er gemt."),
        ),
        TextSection(
            "foraeldrenes-syn",
            "parents_view",
            _("Forældrenes syn"),
            _("Hvordan ser forældrene situationen, og hvad ønsker de?"),
            _("Forældrenes syn er gemt."),
        ),
        TextSection(
            "bekymringernes-hus",
            "house_worries",
            _("Bekymringernes hus"),
            _("Det, barnet er bekymret for eller ked af."),
            _("Bekymringernes hus er gemt."),
        ),
        TextSection(
            "de-gode-tings-hus",
            "house_good_things",
            _("De gode tings hus"),
            _("Det, der går godt, og det barnet er glad for."),
            _("De gode tings hus er gemt."),
        ),
        TextSection(
            "droemmenes-hus",
            "house_dreams",
            _("Drømmenes hus"),
            _("Det, barnet drømmer om og ønsker sig."),
            _("Drømmenes hus er gemt."),
        ),
        TextSection(
            "intern-note",
            "internal_note",
            _("Intern note"),
            _("Kun for fagpersoner. Familien ser aldrig noten, heller ikke i udskriften."),
            _("Den interne note er gemt."),
            internal=True,
        ),
    )
}
THREE_HOUSES = ("bekymringernes-hus", "de-gode-tings-hus", "droemmenes-hus")


class PlanTextForm(PlanForm):
    text = _textarea("", required=False, rows=5)

    def __init__(self, *args: Any, section: TextSection, **kwargs: Any) -> None:
        super().__init__(*args, id_prefix=f"afsnit-{section.slug}", **kwargs)
        self.fields["text"].label = section.label
        self.fields["text"].help_text = section.help_text


# --- goals and who does what -----------------------------------------------------------------


class GoalForm(PlanForm):
    area = forms.ChoiceField(
        label=_("Område"),
        choices=[("", _("Vælg område")), *Area.choices],
        error_messages={"required": _("Vælg et af planens områder.")},
    )
    family_wording = _textarea(
        _("Målet med familiens egne ord"),
        rows=2,
        help_text=_("Sådan som barnet og forældrene selv siger det."),
        error_messages={"required": _("Skriv målet med familiens egne ord.")},
    )
    professional_wording = _textarea(_("Faglig formulering"), required=False, rows=2)
    formulated_by = forms.CharField(
        label=_("Formuleret af"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("fx Emma og mor")}),
    )
    target_date = _date_field(_("Måldato"), required=False)


class GoalStatusForm(PlanForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Goal.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg en status for målet.")},
    )
    reason = _textarea(
        _("Begrundelse, hvis målet opgives"),
        required=False,
        rows=2,
        help_text=_("Skal udfyldes, når målet opgives. Begrundelsen bliver stående i planen."),
    )


@dataclass(frozen=True)
class People:
    """Who can be responsible for a goal: the child's family and the professionals on the case.

    Built once per page, so the form under each goal costs no query."""

    members: Sequence[FamilyMember]
    professionals: Sequence[User]
    child_citizen_id: uuid.UUID

    def choices(self) -> list[Any]:
        family = [
            (
                f"{'child' if m.citizen_id == self.child_citizen_id else 'member'}:{m.pk}",
                m.name,
            )
            for m in self.members
        ]
        staff = [(f"user:{u.pk}", f"{u} ({u.get_role_display()})") for u in self.professionals]
        return [
            ("", _("Vælg hvem")),
            (_("Familien"), family),
            (_("Fagpersoner på sagen"), staff),
            (
                _("Andre (skriv navnet)"),
                [
                    ("network", _("Netværksperson")),
                    ("professional", _("Anden fagperson, fx lærer eller læge")),
                ],
            ),
        ]


class ResponsibilityForm(PlanForm):
    """ "Hvem gør hvad": one select for the person, a name only for people outside the system."""

    who = forms.ChoiceField(
        label=_("Hvem"), error_messages={"required": _("Vælg hvem der har ansvaret.")}
    )
    assignee_name = forms.CharField(
        label=_("Navn"),
        required=False,
        max_length=200,
        help_text=_("Kun for en netværksperson eller en anden fagperson."),
    )
    task = _textarea(
        _("Hvad gør de"), rows=2, error_messages={"required": _("Skriv hvad der skal gøres.")}
    )
    when = forms.CharField(
        label=_("Hvornår"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("fx hver morgen")}),
        error_messages={"required": _("Skriv hvornår.")},
    )
    service_fields = {
        "assignee_kind": "who",
        "family_member": "who",
        "professional": "who",
    }

    def __init__(self, *args: Any, people: People, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        cast(forms.ChoiceField, self.fields["who"]).choices = people.choices()

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind, _sep, pk = data["who"].partition(":")
        arguments: dict[str, Any] = {
            "task": data["task"],
            "when": data["when"],
            "assignee_name": data["assignee_name"],
        }
        Kind = Responsibility.AssigneeKind
        if kind in ("child", "member"):
            arguments["assignee_kind"] = Kind.CHILD if kind == "child" else Kind.FAMILY_MEMBER
            arguments["family_member"] = next(m for m in self.people.members if str(m.pk) == pk)
            arguments["assignee_name"] = ""
        elif kind == "user":
            arguments["assignee_kind"] = Kind.PROFESSIONAL
            arguments["professional"] = next(
                u for u in self.people.professionals if str(u.pk) == pk
            )
            arguments["assignee_name"] = ""
        else:
            arguments["assignee_kind"] = Kind.NETWORK if kind == "network" else Kind.PROFESSIONAL
        return arguments


# --- Signs of Safety -------------------------------------------------------------------------


class SafetyEntryForm(PlanForm):
    column = forms.ChoiceField(
        label=_("Kolonne"),
        choices=[("", _("Vælg kolonne")), *SafetyMapEntry.Column.choices],
        error_messages={"required": _("Vælg en kolonne på vurderingskortet.")},
    )
    text = _textarea(_("Punkt"), rows=2, error_messages={"required": _("Skriv punktet.")})


class WorryForm(PlanForm):
    who_is_worried = forms.CharField(
        label=_("Hvem er bekymret"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("fx Skolen og sagsbehandleren")}),
        error_messages={"required": _("Skriv hvem der er bekymret.")},
    )
    about = _textarea(
        _("Hvad er de bekymrede for"),
        rows=2,
        error_messages={"required": _("Skriv hvad bekymringen handler om.")},
    )
    if_nothing_changes = _textarea(
        _("Hvad kan der ske, hvis intet ændrer sig"),
        rows=2,
        error_messages={"required": _("Skriv hvad der kan ske, hvis intet ændrer sig.")},
    )
    wellbeing_goal = _textarea(
        _("Trivselsmål"),
        required=False,
        rows=2,
        help_text=_("Hvad vil man se, når det er godt nok?"),
    )
    for_how_long = forms.CharField(
        label=_("Hvor længe"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("fx i tre måneder")}),
    )
    goal = forms.ChoiceField(label=_("Hører til planens mål"), required=False)

    def __init__(self, *args: Any, goals: Sequence[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = {str(goal.pk): goal for goal in goals}
        cast(forms.ChoiceField, self.fields["goal"]).choices = [("", _("Intet mål valgt"))] + [
            (pk, goal_label(goal)) for pk, goal in self.goals.items()
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["goal"] = self.goals.get(data["goal"] or "")
        return data


# --- scaling 0–10 ----------------------------------------------------------------------------


RATER_KIND_CHOICES = [("", _("Vælg")), *Rating.RaterKind.choices]


@dataclass(frozen=True)
class PersonRow:
    """One person present in a rating round: who, and their answer for each scale."""

    number: int
    who: list[tuple[str, forms.BoundField]]  # (label, field): rater kind and name
    values: list[tuple[str, forms.BoundField]]  # (scale label, field)


class RatingRoundForm(PlanForm):
    """A meeting's round: the date and, per person present, an answer for the plan as a whole
    and for each goal. People without any answer are left out; the round is saved whole."""

    held_on = _date_field(
        _("Dato for mødet"),
        initial=timezone.localdate,
        error_messages={"required": _("Angiv datoen for skaleringen.")},
    )
    note = forms.CharField(
        label=_("Anledning"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("fx Opfølgningsmøde")}),
    )
    service_fields = {"ratings": None}

    def __init__(
        self,
        *args: Any,
        goals: Sequence[Goal],
        people: Sequence[tuple[str, str]] = (),
        rows: int = 4,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        self.row_count = max(rows, len(people) + 1)
        # A field's own label names the person too ("Deltager 2: Samlet vurdering"), so that
        # the error summary says whose answer it is; the form shows the short label.
        self.short_labels: dict[str, str] = {}
        for index in range(self.row_count):
            kind, name = people[index] if index < len(people) else ("", "")
            fields: dict[str, tuple[Any, forms.Field]] = {
                f"p{index}_kind": (
                    _("Hvem"),
                    forms.ChoiceField(choices=RATER_KIND_CHOICES, required=False, initial=kind),
                ),
                f"p{index}_name": (
                    _("Navn"),
                    forms.CharField(required=False, max_length=200, initial=name),
                ),
                f"p{index}_overall": (_("Samlet vurdering"), _rating_field("")),
            }
            for goal in self.goals:
                fields[f"p{index}_goal{goal.pk}"] = (goal_label(goal), _rating_field(""))
            for field_name, (label, field) in fields.items():
                field.label = _("Deltager %(n)s: %(label)s") % {"n": index + 1, "label": label}
                self.short_labels[field_name] = str(label)
                self.fields[field_name] = field

    def _scales(self, index: int) -> list[tuple[Goal | None, str]]:
        return [(None, f"p{index}_overall")] + [
            (goal, f"p{index}_goal{goal.pk}") for goal in self.goals
        ]

    def person_rows(self) -> list[PersonRow]:
        return [
            PersonRow(
                number=index + 1,
                who=[
                    (self.short_labels[name], self[name])
                    for name in (f"p{index}_kind", f"p{index}_name")
                ],
                values=[(self.short_labels[n], self[n]) for _g, n in self._scales(index)],
            )
            for index in range(self.row_count)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ratings: list[RatingInput] = []
        for index in range(self.row_count):
            answers: list[tuple[Goal | None, int]] = [
                (goal, data[name])
                for goal, name in self._scales(index)
                if data.get(name) is not None
            ]
            if not answers:
                continue  # a blank row: the person was not there or did not answer
            kind = data.get(f"p{index}_kind", "")
            name = (data.get(f"p{index}_name") or "").strip()
            if not kind:
                self.add_error(f"p{index}_kind", _("Vælg hvem der har givet vurderingen."))
            if not name:
                self.add_error(
                    f"p{index}_name", _("Skriv navnet på den, der har givet vurderingen.")
                )
            ratings += [
                RatingInput(goal=goal, rater_kind=kind, rater_name=name, value=value)
                for goal, value in answers
            ]
        data["ratings"] = ratings
        return data


class RatingAddForm(PlanForm):
    """One more answer in a round that has been recorded already."""

    scale = forms.ChoiceField(
        label=_("Hvad vurderes"), error_messages={"required": _("Vælg hvad der vurderes.")}
    )
    rater_kind = forms.ChoiceField(
        label=_("Hvem"),
        choices=RATER_KIND_CHOICES,
        error_messages={"required": _("Vælg hvem der har givet vurderingen.")},
    )
    rater_name = forms.CharField(
        label=_("Navn"),
        max_length=200,
        error_messages={"required": _("Skriv navnet på den, der har givet vurderingen.")},
    )
    value = _rating_field(_("Vurdering 0–10"))
    service_fields = {"ratings": None, "goal": "scale"}

    def __init__(self, *args: Any, goals: Sequence[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = {str(goal.pk): goal for goal in goals}
        cast(forms.ChoiceField, self.fields["scale"]).choices = [
            ("overall", _("Samlet vurdering"))
        ] + [(pk, goal_label(goal)) for pk, goal in self.goals.items()]
        self.fields["value"].required = True
        self.fields["value"].error_messages["required"] = RATING_ERROR

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "goal": self.goals.get(data["scale"]),
            "rater_kind": data["rater_kind"],
            "rater_name": data["rater_name"],
            "value": data["value"],
        }


# --- versions --------------------------------------------------------------------------------


class VersionFreezeForm(PlanForm):
    reason = forms.CharField(
        label=_("Anledning"),
        required=False,
        max_length=PlanVersion._meta.get_field("reason").max_length,
        widget=forms.TextInput(attrs={"placeholder": _("fx Opfølgningsmøde")}),
    )
