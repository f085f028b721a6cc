"""The family's view of their child's plan (family portal): plain language, read-only.

The case is loaded only through ``portal.pages.family_case_page``: a case of the family's own
child, with the read logged; anyone else (another family, staff) gets a logged 404, and a case
still at the notification stage does not exist for the family. The template gets the plan as
``selectors.plan_for_family_page`` lays it out — never the internal note, and neither the case
nor the plan object, so no CPR number, case number or internal text can slip into the page.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from cases.models import Case
from followups.services import followups_for_family
from plans import charts, selectors
from plans.models import Area, Plan, Rating
from portal.pages import family_case_page

# The areas of the law in everyday words (the plan page for staff uses the law's own).
AREA_LABELS: dict[str, Any] = {
    Area.DEVELOPMENT: gettext_lazy("Udvikling og adfærd"),
    Area.FAMILY: gettext_lazy("Familien"),
    Area.SCHOOL: gettext_lazy("Dagtilbud, skole, uddannelse og arbejde"),
    Area.HEALTH: gettext_lazy("Sundhed"),
    Area.LEISURE: gettext_lazy("Fritid og venner"),
    Area.OTHER: gettext_lazy("Andet, der er vigtigt"),
}
# A professional's role is said after the name in the charts; the family knows its own.
PROFESSIONAL_RATERS = (Rating.RaterKind.CASEWORKER, Rating.RaterKind.THERAPIST)


# A chart is drawn twice: wide for a screen, narrow for a phone, where the wide one scaled
# down would make its text too small to read. CSS shows one of them.
WIDE, NARROW = (640, 320), (320, 280)


@dataclass(frozen=True)
class Chart:
    """A rating history drawn as SVG, and the same figures for the table beneath it."""

    svg: SafeString
    svg_narrow: SafeString
    dates: list[dt.date]
    rows: list[charts.RatingRow]


def _rater_label(rater: selectors.RaterSeries) -> str:
    if rater.rater_kind in PROFESSIONAL_RATERS:
        role = Rating.RaterKind(rater.rater_kind).label.lower()
        return f"{rater.rater_name} ({role})"
    return rater.rater_name


def _chart(
    *,
    title: str,
    raters: tuple[selectors.RaterSeries, ...],
    rounds: tuple[dt.date, ...],
    id_prefix: str,
) -> Chart | None:
    series = [
        charts.Series(
            label=_rater_label(rater),
            points=[
                charts.Point(on=on, value=value)
                for on, value in zip(rounds, rater.values, strict=True)
                if value is not None
            ],
        )
        for rater in raters
    ]
    if not any(one.points for one in series):
        return None
    dates, rows = charts.rating_table_rows(series)
    svg, narrow = (
        charts.rating_chart_svg(
            title=title, series=series, width=width, height=height, id_prefix=f"{id_prefix}-{width}"
        )
        for width, height in (WIDE, NARROW)
    )
    # The chart escapes every text it draws (plans/charts.py).
    return Chart(svg=mark_safe(svg), svg_narrow=mark_safe(narrow), dates=dates, rows=rows)


@family_case_page()
def family_plan(request: HttpRequest, case: Case) -> HttpResponse:
    """The current plan of one of the family's own children."""
    child = case.citizen.first_name
    plan = Plan.objects.filter(case=case).first()
    # The young person's own login reads the plan in the second person.
    is_self = case.citizen.family_memberships.filter(user=cast(User, request.user)).exists()
    context: dict[str, object] = {
        "nav": "family",
        "child": child,
        "content": None,
        "is_self": is_self,
    }
    if plan is None:
        context["page_title"] = (
            _("Din plan") if is_self else _("Planen for %(name)s") % {"name": child}
        )
        return render(request, "family/plan.html", context)
    content = selectors.plan_for_family_page(plan=plan)
    rounds = content.rounds
    # Follow-ups as the family may see them: dates, decisions and the reasons for the
    # schedule; never the participants, the reasons for the decision or the evaluations.
    followups = followups_for_family(case=case)
    context |= {
        "followups_held": sorted(
            (f for f in followups if f.held_on is not None),
            key=lambda f: f.held_on or f.due_on,
            reverse=True,
        ),
        "followups_coming": [f for f in followups if f.held_on is None],
        "page_title": _("Din plan")
        if is_self
        else _("%(kind)s for %(name)s")
        % {"kind": Plan.Kind(content.texts["kind"]).label, "name": child},
        "content": content,
        "overall_chart": _chart(
            title=_("Hvordan går det alt i alt?"),
            raters=content.overall,
            rounds=rounds,
            id_prefix="chart-overall",
        ),
        "goal_groups": [
            (
                AREA_LABELS[area],
                [
                    (
                        goal,
                        _chart(
                            title=goal.family_wording,
                            raters=goal.raters,
                            rounds=rounds,
                            id_prefix=f"chart-goal-{goal.id}",
                        ),
                    )
                    for goal in goals
                ],
            )
            for area, goals in content.goal_groups
        ],
    }
    return render(request, "family/plan.html", context)
