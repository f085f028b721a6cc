"""Versions: recording the plan as made with the family, the list of versions, one frozen
version read-only, and what changed between two versions (or a version and now)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from access.rules import Need
from cases.models import Case
from cases.pages import FORM_METHODS, case_page
from plans import selectors, services
from plans.forms import VersionFreezeForm
from plans.models import PlanVersion
from plans.views.common import (
    form_data,
    plan_or_404,
    plan_url,
    render_form_page,
    tab_context,
    user_of,
)

NOW = "nu"


@case_page(Need.AUTHORITY, what=_("gemme planen som en ny version"), methods=FORM_METHODS)
def plan_version_freeze(request: HttpRequest, case: Case) -> HttpResponse:
    plan = plan_or_404(case)
    form = VersionFreezeForm(form_data(request), id_prefix="ny-version")
    if request.method == "POST" and form.is_valid():
        try:
            version = services.plan_version_freeze(
                plan=plan, user=user_of(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _(
                    "Planen er gemt som version %(number)s. Den er registreret som udarbejdet "
                    "med familien."
                )
                % {"number": version.number},
            )
            return redirect(plan_url(case))
    return render_form_page(
        request,
        case,
        form,
        title=_("Gem som ny version"),
        intro=_(
            "Når planen er skrevet eller revideret sammen med familien, gemmes den som en "
            "version. Versionen kan ikke ændres bagefter og kan altid læses og sammenlignes. "
            "Det registrerer, at planen er udarbejdet med familien, og opfylder fristen for "
            "planen (Barnets Lov § 91). Skaleringerne gemmes ikke i versionen: de er en "
            "tidsserie for sig."
        ),
        action=reverse("plans:plan_version_freeze", kwargs={"case_id": case.pk}),
        submit=_("Gem som ny version"),
        extra={"partial": "plans/plan_detail.html#freeze_form", "plan": plan},
    )


@case_page()
def plan_versions(request: HttpRequest, case: Case) -> HttpResponse:
    plan = plan_or_404(case)
    context = {
        **tab_context(request, case),
        "plan": plan,
        "versions": list(plan.versions.select_related("frozen_by").order_by("-number")),
    }
    return render(request, "plans/plan_versions.html", context)


@case_page()
def plan_version(request: HttpRequest, case: Case, number: int) -> HttpResponse:
    """One frozen version, exactly as it was frozen."""
    version = (
        PlanVersion.objects.filter(plan__case=case, number=number)
        .select_related("frozen_by", "plan")
        .first()
    )
    if version is None:
        raise Http404
    context = {
        **tab_context(request, case),
        "plan": version.plan,
        "version": version,
        "content": selectors.version_content(snapshot=version.snapshot),
    }
    return render(request, "plans/plan_version.html", context)


def _is_number(value: str) -> bool:
    return value.isascii() and value.isdigit()


def _snapshot(plan: Any, versions: dict[int, PlanVersion], value: str) -> dict[str, Any] | None:
    if value == NOW:
        return services.plan_snapshot(plan=plan)
    if not _is_number(value):  # not str.isdigit() alone: "²".isdigit(), but int("²") fails
        return None
    version = versions.get(int(value))
    if version is None:
        raise Http404
    return version.snapshot


@case_page()
def plan_compare(request: HttpRequest, case: Case) -> HttpResponse:
    """?fra=<number>&til=<number or "nu">. Without both, or with something that is not a
    version, the page asks which two to compare; a version that does not exist is a 404."""
    plan = plan_or_404(case)
    versions = {v.number: v for v in plan.versions.select_related("frozen_by")}
    numbers = sorted(versions)
    old_value = request.GET.get("fra", str(numbers[-1]) if numbers else "")
    new_value = request.GET.get("til", NOW)
    old = new = None
    if numbers:
        old = _snapshot(plan, versions, old_value) if old_value else None
        new = _snapshot(plan, versions, new_value) if new_value else None
    problem: Any = ""
    if not numbers:
        problem = _("Planen har endnu ingen gemte versioner at sammenligne med.")
    elif old is None or new is None:
        problem = _("Vælg to versioner at sammenligne.")
    context = {
        **tab_context(request, case),
        "plan": plan,
        "numbers": numbers,
        "old_value": old_value,
        "new_value": new_value,
        "old_version": versions.get(int(old_value)) if _is_number(old_value) else None,
        "new_version": versions.get(int(new_value)) if _is_number(new_value) else None,
        "problem": problem,
        "groups": (
            selectors.versions_compare_content(old=old, new=new)
            if old is not None and new is not None
            else []
        ),
    }
    return render(request, "plans/plan_compare.html", context)
