"""Template helpers of the family portal (Det Fælles Designsystem, templates/family/base.html).

``portal_authority`` names the municipality in the portal's header and footer: the authority
unit of the family's own children's cases (the first, by the case's opening), else the first
authority unit, else nothing. ``dkfds_field`` renders a form field's widget with DKFDS's input
classes and its hint and error message ids in ``aria-describedby``.
"""

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from accounts.models import OrganisationUnit, User
from cases.models import Case

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_authority(context: template.Context) -> dict[str, str]:
    """{"municipality", "unit", "address"} of the family's municipality (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    unit: OrganisationUnit | None = None
    if isinstance(user, User) and user.is_authenticated and user.is_family:
        case = (
            Case.objects.visible_to_family(user)
            .select_related("team__unit")
            .order_by("opened_at", "pk")
            .first()
        )
        unit = case.team.unit if case is not None else None
    if unit is None:
        unit = (
            OrganisationUnit.objects.filter(kind=OrganisationUnit.Kind.AUTHORITY)
            .order_by("name")
            .first()
        )
    if unit is None:
        return {"municipality": "", "unit": "", "address": ""}
    return {"municipality": unit.municipality, "unit": unit.name, "address": unit.address}


INPUT_CLASSES = {
    forms.CheckboxInput: "form-checkbox",
    forms.RadioSelect: "form-radio",
    forms.Select: "form-select",
}


@register.filter
def dkfds_field(field: forms.BoundField) -> SafeString:
    """The widget of ``field`` with DKFDS's class (``form-input`` for text and text areas) and
    ``aria-describedby`` naming its hint (``<id>-hint``) and error (``<id>-error``)."""
    widget = field.field.widget
    css = next(
        (name for kind, name in INPUT_CLASSES.items() if isinstance(widget, kind)), "form-input"
    )
    attrs: dict[str, Any] = {"class": css}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
