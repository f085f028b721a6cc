"""Forms for the list-level pages: the Mine sager filter, search and a new notification.

Forms check the shape of the input (required fields, CPR format, dates). The rules of the
domain live in cases/services.py; what a service refuses comes back onto these forms.
"""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import services
from cases.models import CaseStatus, Citizen, Notification
from cases.selectors.lists import DEFAULT_SORT, SORT_FIELDS, CaseListFilters
from cases.services import CitizenData
from core.cpr import contains_cpr, looks_like_cpr, normalise_cpr, validate_cpr

# Five minutes of leeway for clocks that differ between a PC and the server, as the service.
FUTURE_LEEWAY = dt.timedelta(minutes=5)
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"

CPR_IN_FILTER = _(
    "Listen kan ikke filtreres på CPR-nummer. Søg efter CPR-nummeret i søgefeltet øverst "
    "på siden – det vises ikke i adresselinjen."
)


NEW_CHILD_REQUIRED = _("Skal udfyldes, når barnet ikke er kendt i forvejen.")


class CaseListFilterForm(forms.Form):
    """The GET filter of Mine sager. Unknown values fall back to the defaults."""

    STATUS_CHOICES = [
        ("open", _("Alle åbne")),
        *[(s.value, s.label) for s in CaseStatus if s != CaseStatus.CLOSED],
        (CaseStatus.CLOSED.value, _("Lukkede")),
        ("all", _("Alle, også lukkede")),
    ]
    SORT_CHOICES = [
        ("deadline", _("Frist, tidligste først")),
        ("-deadline", _("Frist, seneste først")),
        ("number", _("Sagsnummer, stigende")),
        ("-number", _("Sagsnummer, faldende")),
        ("name", _("Barnets navn, A–Å")),
        ("-name", _("Barnets navn, Å–A")),
        ("status", _("Status, i sagens forløb")),
        ("-status", _("Status, omvendt")),
    ]

    status = forms.CharField(required=False, label=_("Status"))
    q = forms.CharField(
        required=False,
        max_length=100,
        label=_("Navn eller sagsnummer"),
        help_text=_("CPR-nummer søger du på i søgefeltet øverst."),
    )
    sort = forms.CharField(required=False, label=_("Sortér efter"))
    scope = forms.CharField(required=False, label=_("Vis"))

    def clean_status(self) -> str:
        value = self.cleaned_data["status"]
        return value if value in dict(self.STATUS_CHOICES) else "open"

    def clean_sort(self) -> str:
        value = self.cleaned_data["sort"]
        return value if value in SORT_FIELDS else DEFAULT_SORT

    def clean_scope(self) -> str:
        return "mine" if self.cleaned_data["scope"] == "mine" else "team"

    def clean_q(self) -> str:
        value = " ".join(self.cleaned_data["q"].split())
        if contains_cpr(value):
            raise ValidationError(CPR_IN_FILTER, code="cpr_in_filter")
        return value

    def filters(self, *, may_choose_scope: bool) -> CaseListFilters:
        """The filters to apply; an invalid field (a CPR number in q) is simply not applied."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return CaseListFilters(
            status=data.get("status", "open"),
            q=data.get("q", ""),
            sort=data.get("sort", DEFAULT_SORT),
            only_mine=may_choose_scope and data.get("scope") == "mine",
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Navn, sagsnummer eller CPR-nummer"),
        max_length=100,
        help_text=_(
            "Et CPR-nummer skal skrives helt (10 cifre) og finder kun præcis det barn. "
            "Du ser kun sager, du har adgang til."
        ),
        error_messages={"required": _("Skriv et navn, et sagsnummer eller et CPR-nummer.")},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def clean_q(self) -> str:
        value = " ".join(self.cleaned_data["q"].split())
        if contains_cpr(value) and not looks_like_cpr(value):
            # Never echo the number back into the page: the field comes back empty.
            self.data = {**self.data, self.add_prefix("q"): ""}
            raise ValidationError(
                _("Skriv CPR-nummeret alene, eller søg på navn eller sagsnummer."),
                code="cpr_mixed",
            )
        return value


def _text(label: Any, *, max_length: int = 100, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        **kwargs,
    )


class NotificationRegisterForm(forms.Form):
    cpr = forms.CharField(
        label=_("Barnets CPR-nummer"),
        max_length=20,
        help_text=_("10 cifre, fx 010190-1234."),
        error_messages={"required": _("Skriv barnets CPR-nummer.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    first_name = _text(_("Fornavn"))
    last_name = _text(_("Efternavn"))
    address = _text(_("Adresse"), max_length=200)
    postal_code = _text(_("Postnummer"), max_length=4)
    city = _text(_("By"))
    school_or_daycare = _text(
        _("Skole eller dagtilbud"),
        max_length=200,
        help_text=_("Skriv “Intet”, hvis barnet ikke går i skole eller dagtilbud."),
    )
    kind = forms.ChoiceField(
        label=_("Hvad er modtaget?"),
        choices=Notification.Kind.choices,
        initial=Notification.Kind.NOTIFICATION,
        widget=forms.RadioSelect,
    )
    received_at = forms.DateTimeField(
        label=_("Modtaget"),
        help_text=_("Dato og klokkeslæt. For en underretning regnes fristen på 24 timer herfra."),
        input_formats=[DATETIME_LOCAL, "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Skriv hvornår henvendelsen blev modtaget."),
            "invalid": _("Skriv dato og klokkeslæt, fx 22.11.2026 09:30."),
        },
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    reporter_kind = forms.ChoiceField(
        label=_("Hvem har underrettet?"),
        choices=Notification.ReporterKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg hvem der har underrettet.")},
    )
    reporter_name = _text(_("Underretters navn"), max_length=200)
    reporter_organisation = _text(
        _("Organisation"),
        max_length=200,
        help_text=_("Skal udfyldes for en fagperson, fx skole eller dagtilbud."),
    )
    reporter_email = forms.EmailField(
        label=_("Underretters e-mail"),
        required=False,
        help_text=_("Bruges til kvitteringen til fagpersoner."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    reporter_confidential = forms.BooleanField(
        label=_("Underretteren har bedt om ikke at blive kendt af familien"),
        required=False,
        help_text=_(
            "Så ser kun sagsbehandleren og teamlederen, hvem der har underrettet. Andre ser "
            "»Fortrolig underretter«."
        ),
    )
    concern = forms.CharField(
        label=_("Hvad er underretteren bekymret for?"),
        help_text=_("Brug så vidt muligt underretterens egne ord."),
        error_messages={"required": _("Beskriv bekymringen.")},
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    NEW_CHILD_FIELDS = (
        "first_name",
        "last_name",
        "address",
        "postal_code",
        "city",
        "school_or_daycare",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.known_citizen: Citizen | None = None
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean_cpr(self) -> str:
        cpr = normalise_cpr(self.cleaned_data["cpr"])
        validate_cpr(cpr)
        return cpr

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if value and not (len(value) == 4 and value.isascii() and value.isdigit()):
            raise ValidationError(_("Et postnummer består af 4 cifre."), code="postal_code")
        return value

    def clean_received_at(self) -> dt.datetime:
        received_at: dt.datetime = self.cleaned_data["received_at"]
        if received_at > timezone.now() + FUTURE_LEEWAY:
            raise ValidationError(
                _("Modtagelsestidspunktet kan ikke ligge i fremtiden."), code="future"
            )
        return received_at

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        cpr = data.get("cpr")
        if cpr:
            self.known_citizen = services.citizen_find_by_cpr(cpr=cpr)
            if self.known_citizen is None:
                for name in self.NEW_CHILD_FIELDS:
                    if name not in self.errors and not data.get(name):
                        self.add_error(name, ValidationError(NEW_CHILD_REQUIRED, code="required"))
        professional = data.get("reporter_kind") == Notification.ReporterKind.PROFESSIONAL
        if professional and not data.get("reporter_organisation"):
            self.add_error(
                "reporter_organisation",
                ValidationError(
                    _("Angiv fagpersonens organisation (fx skole eller dagtilbud)."),
                    code="required",
                ),
            )
        return data

    def citizen_data(self) -> CitizenData | None:
        if self.known_citizen is not None:
            return None
        d = self.cleaned_data
        return CitizenData(
            first_name=d["first_name"],
            last_name=d["last_name"],
            cpr=d["cpr"],
            address=d["address"],
            postal_code=d["postal_code"],
            city=d["city"],
            school_or_daycare=d["school_or_daycare"],
        )

    def notification_data(self) -> dict[str, Any]:
        """The notification's own fields, as keyword arguments for the service."""
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "received_at": d["received_at"],
            "reporter_kind": d["reporter_kind"],
            "reporter_name": d["reporter_name"],
            "reporter_organisation": d["reporter_organisation"],
            "reporter_email": d["reporter_email"],
            "reporter_confidential": d["reporter_confidential"],
            "concern": d["concern"],
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Put what the service refused onto the matching fields, the rest above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for field, messages in error.message_dict.items():
            if field == "birth_date":
                field = "cpr"
            self.add_error(field if field in self.fields else None, messages)
