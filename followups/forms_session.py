"""The phone-first session form. Every field is optional here: a draft takes anything typed
so far, and ``followups.sessions.session_log`` decides what a logged session needs. What a
service refuses is put back onto the form with ``add_service_error``, so nothing typed is lost.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.models import FamilyMember, Measure
from core.forms import ServiceForm
from followups.models import Session
from followups.sessions import FAMILY_SUMMARY_MAX, INTERNAL_NOTE_MAX, SessionData
from plans.forms import goal_label
from plans.models import Goal

DATE_ISO = "%Y-%m-%d"
TIME_FORMAT = "%H:%M"
DURATION_PRESETS = (30, 45, 60, 90)
OTHER = "other"


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        member: FamilyMember = obj
        return f"{member.name} ({_('barn') if member.is_child else _('voksen')})"


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return goal_label(obj, 90)


class TherapistChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        user: User = obj
        return f"{user.get_full_name() or user.username} ({user.get_role_display()})"


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        measure: Measure = obj
        return str(measure)


class SessionForm(ServiceForm):
    service_fields = {"measure": "measure"}
    # Every field may be empty in a draft; these may also be empty in a logged session.
    optional_names = frozenset(
        {
            "location_other",
            "family_participants",
            "network_participants",
            "second_therapist",
            "goals",
            "internal_note",
            "family_summary",
        }
    )

    measure = MeasureChoiceField(
        label=_("Indsats"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    date = forms.DateField(
        label=_("Dato"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_ISO),
        error_messages={"invalid": _("Skriv datoen som dd.mm.åååå.")},
    )
    start_time = forms.TimeField(
        label=_("Starttidspunkt"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format=TIME_FORMAT),
        error_messages={"invalid": _("Skriv tidspunktet som tt:mm.")},
    )
    duration_preset = forms.ChoiceField(
        label=_("Varighed"),
        required=False,
        choices=[(str(m), _("%(minutes)d min") % {"minutes": m}) for m in DURATION_PRESETS]
        + [(OTHER, _("Andet"))],
        widget=forms.RadioSelect(attrs={"class": "duration-preset"}),
    )
    duration_minutes = forms.IntegerField(
        label=_("Andet antal minutter"),
        required=False,
        help_text=_("Fra 5 til 720 minutter. Bruges, når du har valgt »Andet«."),
        widget=forms.NumberInput(
            attrs={
                "min": 5,
                "max": 720,
                "step": 1,
                "inputmode": "numeric",
                "class": "duration-other",
            }
        ),
        error_messages={"invalid": _("Skriv varigheden som et helt antal minutter.")},
    )
    location = forms.ChoiceField(
        label=_("Sted"),
        required=False,
        choices=Session.Location.choices,
        widget=forms.RadioSelect,
    )
    location_other = forms.CharField(
        label=_("Hvor, hvis andet sted"),
        required=False,
        max_length=200,
    )
    methods = forms.MultipleChoiceField(
        label=_("Metoder"),
        required=False,
        choices=Session.Method.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Vælg mindst én."),
    )
    family_participants = MemberChoiceField(
        label=_("Deltagere fra familien"),
        queryset=FamilyMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    network_participants = forms.CharField(
        label=_("Netværkspersoner, der deltog"),
        required=False,
        max_length=500,
        help_text=_("Fx »mormor, fodboldtræneren«."),
    )
    second_therapist = TherapistChoiceField(
        label=_("Anden behandler"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Ingen"),
    )
    goals = GoalChoiceField(
        label=_("Mål, sessionen arbejdede med"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    internal_note = forms.CharField(
        label=_("Internt notat"),
        required=False,
        help_text=_("Ses kun af fagpersoner, aldrig af familien. Højst %(max)d tegn.")
        % {"max": INTERNAL_NOTE_MAX},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    family_summary = forms.CharField(
        label=_("Opsummering til familien"),
        required=False,
        help_text=_("Familien kan se opsummeringen. Højst %(max)d tegn.")
        % {"max": FAMILY_SUMMARY_MAX},
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        measures: QuerySet[Measure],
        members: QuerySet[FamilyMember],
        goals: QuerySet[Goal],
        therapists: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "session-%s")
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["measure"].queryset = measures
        fields["family_participants"].queryset = members
        fields["goals"].queryset = goals
        fields["second_therapist"].queryset = therapists
        if len(measures) < 2:
            # One measure: it was chosen when the session was started.
            del self.fields["measure"]
        if not goals:
            del self.fields["goals"]

    @classmethod
    def initial_for(cls, session: Session) -> dict[str, Any]:
        duration = session.duration_minutes
        preset = ""
        if duration in DURATION_PRESETS:
            preset = str(duration)
        elif duration is not None:
            preset = OTHER
        return {
            "measure": session.measure_id,
            "date": session.date,
            "start_time": session.start_time,
            "duration_preset": preset,
            "duration_minutes": duration if preset == OTHER else None,
            "location": session.location,
            "location_other": session.location_other,
            "methods": list(session.methods),
            "family_participants": [m.pk for m in session.family_participants.all()],
            "network_participants": session.network_participants,
            "second_therapist": session.second_therapist_id,
            "goals": [g.pk for g in session.goals.all()],
            "internal_note": session.internal_note,
            "family_summary": session.family_summary,
        }

    def session_data(self) -> SessionData:
        """The values that passed the form's checks; a field that did not is left as it was
        stored (a draft never loses what it had because of a half-typed value)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for name in (
            "date",
            "start_time",
            "location",
            "location_other",
            "methods",
            "family_participants",
            "network_participants",
            "second_therapist",
            "goals",
            "internal_note",
            "family_summary",
        ):
            if name in data:
                values[name] = data[name]
        if data.get("measure") is not None:
            values["measure"] = data["measure"]
        duration = self.duration(data)
        if duration is not _KEEP:
            values["duration_minutes"] = duration
        return SessionData(**values)

    def duration(self, data: dict[str, Any]) -> Any:
        """A preset button wins; "Andet" (or no preset with a number typed) takes the number."""
        preset = data.get("duration_preset")
        if preset and preset != OTHER:
            return int(preset)
        if "duration_preset" not in data or "duration_minutes" not in data:
            return _KEEP
        return data["duration_minutes"]


_KEEP = object()
