"""Forms of the network pages. They check the shape of the input; the rules live in
network/services.py, and what a service refuses is put back onto the form with
``add_service_error`` so the user keeps everything typed."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from network.models import Circle, Meeting, NetworkMember, Sector
from network.services import Invitation
from plans.forms import PlanForm
from plans.models import Goal

DATE_ISO = "%Y-%m-%d"
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
ChildWish = NetworkMember.ChildWish


def _date(label: Any, *, required: bool = False, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_ISO),
        **kwargs,
    )


class NetworkForm(PlanForm):
    """A network form: its own ids on the page (see plans.forms.PlanForm)."""


class MemberForm(NetworkForm):
    name = forms.CharField(
        label=_("Navn"),
        max_length=120,
        error_messages={"required": _("Skriv personens navn.")},
    )
    relation = forms.CharField(
        label=_("Relation til barnet"),
        max_length=120,
        required=False,
        help_text=_("Fx mormor, klasselærer, fodboldtræner."),
    )
    sector = forms.ChoiceField(
        label=_("Del af barnets liv"),
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg hvilken del af barnets liv personen hører til.")},
    )
    circle = forms.TypedChoiceField(
        label=_("Hvor tæt på barnet"),
        choices=Circle.choices,
        coerce=int,
        initial=Circle.MIDDLE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg hvor tæt på barnet personen er.")},
    )
    role = forms.CharField(
        label=_("Hvad kan personen hjælpe med"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    phone = forms.CharField(label=_("Telefon"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        error_messages={"invalid": _("Skriv en gyldig e-mailadresse.")},
    )
    address = forms.CharField(label=_("Adresse"), max_length=200, required=False)
    consent_given_by = forms.CharField(
        label=_("Samtykke til kontakt givet af"),
        max_length=120,
        required=False,
        help_text=_("Hvem i familien har sagt ja til, at kommunen kontakter personen?"),
    )
    consent_given_on = _date(_("Samtykke givet den"))
    consent_withdrawn_on = _date(_("Samtykke trukket tilbage den"))
    child_wants_invited = forms.ChoiceField(
        label=_("Ønsker barnet personen inviteret til møder?"),
        choices=ChildWish.choices,
        initial=ChildWish.NOT_ASKED,
        widget=forms.RadioSelect,
    )
    given_by_family = forms.TypedChoiceField(
        label=_("Hvem har oplyst personen?"),
        choices=[("1", _("Familien")), ("0", _("En fagperson"))],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
        help_text=_("Familien ser kontaktoplysningerne på de personer, den selv har oplyst."),
    )
    system_user = forms.ModelChoiceField(
        label=_("Bruger i systemet"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Ingen (person uden for kommunen)"),
        help_text=_("Kun for fagpersoner, der selv bruger Familieværft."),
    )

    def __init__(self, *args: Any, staff: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["system_user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[u.pk for u in staff]).order_by(
            "first_name", "last_name", "id"
        )
        field.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[method-assign,assignment]

    def service_arguments(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    @staticmethod
    def initial_for(member: NetworkMember) -> dict[str, Any]:
        initial = {
            field: getattr(member, field)
            for field in MemberForm.base_fields
            if field not in ("system_user", "given_by_family")
        }
        initial["system_user"] = member.user_id
        initial["given_by_family"] = "1" if member.given_by_family else "0"
        return initial


class MoveForm(NetworkForm):
    direction = forms.ChoiceField(
        label=_("Flyt"),
        choices=[("closer", _("Tættere på")), ("further", _("Længere væk"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg tættere på eller længere væk.")},
    )


class SnapshotForm(NetworkForm):
    reason = forms.CharField(
        label=_("Anledning"),
        max_length=200,
        help_text=_("Fx netværksmøde eller opfølgning."),
        error_messages={"required": _("Skriv anledningen, fx et netværksmøde.")},
    )


class MeetingForm(NetworkForm):
    """The meeting and whom to invite: one row per person on the map, with the child's wish."""

    kind = forms.ChoiceField(
        label=_("Type møde"),
        choices=Meeting.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg hvilken slags møde det er.")},
    )
    starts_at = forms.DateTimeField(
        label=_("Dato og klokkeslæt"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        error_messages={
            "required": _("Skriv dato og klokkeslæt for mødet."),
            "invalid": _("Skriv dato og klokkeslæt som 22.11.2026 14:00."),
        },
    )
    place = forms.CharField(
        label=_("Sted"), max_length=200, error_messages={"required": _("Skriv hvor mødet holdes.")}
    )
    purpose = forms.CharField(
        label=_("Formål"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv mødets formål.")},
    )

    def __init__(
        self,
        *args: Any,
        members: Sequence[NetworkMember] = (),
        invited: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = list(members)
        invited = invited or {}
        self.invitee_rows = []
        for member in self.members:
            invite = forms.BooleanField(
                label=_("Invitér %(name)s") % {"name": member.name},
                required=False,
                initial=member.pk in invited,
            )
            wish = forms.ChoiceField(
                label=_("Barnets ønske for %(name)s") % {"name": member.name},
                choices=ChildWish.choices,
                required=False,
                initial=invited.get(member.pk, member.child_wants_invited),
            )
            self.fields[f"invite_{member.pk}"] = invite
            self.fields[f"wish_{member.pk}"] = wish
            self.invitee_rows.append(
                (member, self[f"invite_{member.pk}"], self[f"wish_{member.pk}"])
            )

    @property
    def meeting_fields(self) -> list[Any]:
        return [self[name] for name in ("kind", "starts_at", "place", "purpose")]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "starts_at": data["starts_at"],
            "place": data["place"],
            "purpose": data["purpose"],
            "invitations": [
                Invitation(member=m, child_wish=data[f"wish_{m.pk}"] or ChildWish.NOT_ASKED)
                for m in self.members
                if data.get(f"invite_{m.pk}")
            ],
        }


class RecordForm(NetworkForm):
    """Minutes, attendance and whether the meeting is held: written during the meeting."""

    minutes = forms.CharField(
        label=_("Referat"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    attended = forms.MultipleChoiceField(
        label=_("Deltog"), required=False, widget=forms.CheckboxSelectMultiple
    )
    held = forms.BooleanField(label=_("Mødet er afholdt"), required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(inv.pk), inv.member.name) for inv in meeting.invitees.all()]

    def service_arguments(self) -> dict[str, Any]:
        return {
            "minutes": self.cleaned_data["minutes"],
            "attended": [int(pk) for pk in self.cleaned_data["attended"]],
            "held": self.cleaned_data["held"],
        }


class DecisionForm(NetworkForm):
    member = forms.ModelChoiceField(
        label=_("Hvem (fra netværkskortet)"),
        queryset=NetworkMember.objects.none(),
        required=False,
        empty_label=_("Vælg person"),
    )
    who_text = forms.CharField(label=_("… eller skriv et navn"), max_length=200, required=False)
    what = forms.CharField(
        label=_("Hvad"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv hvad der skal ske.")},
    )
    due_on = _date(_("Senest"))

    def __init__(self, *args: Any, members: Sequence[NetworkMember] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = NetworkMember.objects.filter(pk__in=[m.pk for m in members]).order_by(
            "name", "id"
        )


class DecisionToPlanForm(NetworkForm):
    goal = forms.ModelChoiceField(
        label=_("Mål i planen"),
        queryset=Goal.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg et mål i barnets plan.")},
    )

    def __init__(self, *args: Any, goals: Sequence[Goal] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["goal"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Goal.objects.filter(pk__in=[g.pk for g in goals]).order_by(
            "position", "id"
        )
        field.label_from_instance = lambda g: g.family_wording  # type: ignore[method-assign,assignment]
