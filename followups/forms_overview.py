"""Forms of the overview pages: the filters of the deadline list and the reminder list, and
the decision on support after 18. The filters never refuse a request: an unknown value falls
back to the default, as on Mine sager."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from followups.selectors import (
    OUTCOME_STATES,
    STATE_CHOICES,
    STATE_OPEN,
    DeadlineFilters,
    LedTeams,
)

SCOPE_MINE = "mine"
SCOPE_ALL = "all"
SHOW_ALL = "all"
SHOW_UNREAD = "unread"


class ReminderFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Vis"),
        choices=[(SHOW_ALL, _("Alle påmindelser")), (SHOW_UNREAD, _("Kun ulæste"))],
        required=False,
    )

    def unread_only(self) -> bool:
        return self.is_valid() and self.cleaned_data["show"] == SHOW_UNREAD


class DeadlineFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Frister"), choices=STATE_CHOICES, required=False)
    rule = forms.ChoiceField(label=_("Frist"), required=False)
    scope = forms.ChoiceField(
        label=_("Vis"),
        choices=[(SCOPE_MINE, _("Kun mine sager")), (SCOPE_ALL, _("Alle sager, jeg kan se"))],
        required=False,
    )
    worker = forms.TypedChoiceField(label=_("Sagsbehandler"), coerce=int, required=False)
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False)

    def __init__(
        self,
        data: Any,
        *,
        user: User,
        rules: list[tuple[str, str]],
        teams: LedTeams,
    ) -> None:
        super().__init__(data)
        self.user = user
        self.teams = teams
        cast(forms.ChoiceField, self.fields["rule"]).choices = [("", _("Alle frister")), *rules]
        cast(forms.ChoiceField, self.fields["worker"]).choices = [("", _("Alle i teamet"))] + [
            (u.pk, u.get_full_name() or u.username) for u in teams.workers()
        ]
        cast(forms.ChoiceField, self.fields["team"]).choices = [("", _("Alle mine teams"))] + [
            (t.pk, t.name) for t in teams.teams
        ]

    @property
    def default_only_mine(self) -> bool:
        """Caseworkers start with their own cases; others with every case they may see."""
        return self.user.role == Role.CASEWORKER

    def _value(self, name: str) -> Any:
        """The cleaned value of one filter, or None when missing or not allowed."""
        field = self.fields[name]
        raw = self.data.get(name, "")
        if raw in ("", None):
            return None
        try:
            value = field.clean(raw)
        except ValidationError:
            return None
        return value if value not in ("", None) else None

    def filters(self) -> DeadlineFilters:
        state = self._value("state") or STATE_OPEN
        scope = self._value("scope")
        worker = self._value("worker") if self.teams else None
        team = self._value("team") if self.teams else None
        only_mine = self.default_only_mine if scope is None else scope == SCOPE_MINE
        return DeadlineFilters(
            state=state,
            rule=self._value("rule") or "",
            only_mine=only_mine and worker is None,
            worker_id=worker,
            team_id=team,
        )

    @staticmethod
    def is_outcome(filters: DeadlineFilters) -> bool:
        return filters.state in OUTCOME_STATES


class After18DecisionForm(forms.Form):
    decided_on = forms.DateField(
        label=_("Afgørelsen er truffet den"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Skriv datoen for afgørelsen.")},
    )
    decision = forms.CharField(
        label=_("Afgørelse"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_(
            "Hvilken støtte efter det fyldte 18. år er der truffet afgørelse om (eller at der "
            "ikke skal være støtte), og hvorfor. Afgørelsen gemmes i sagens journal."
        ),
        error_messages={"required": _("Skriv afgørelsen.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            self.add_error(key if key in self.fields else None, errors)
