"""The family's view of their child's network map (family portal): read-only, plain language.

The case is loaded only through ``permissions.get_case_for_family`` (the family's own child,
read logged; anyone else a logged 404). The template gets the map, a list of the people on it
with contact details only of the people the family itself named, and the coming meetings —
never the case object's internal parts.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from access import rules as permissions
from network import selectors


@login_required
@require_safe
def family_network(request: HttpRequest, case_id: str) -> HttpResponse:
    case = permissions.get_case_for_family(request, case_id)
    members = list(selectors.active_members(case))
    rows = selectors.for_family(members)
    context = {
        "nav": "family",
        "child_name": case.citizen.first_name,
        "case_id": case.pk,
        "map_svg": selectors.draw_map(case=case, members=members, id_prefix="familiens-kort"),
        "groups": selectors.by_sector(rows),
        "count": len(rows),
        "meetings": selectors.upcoming_meetings(case),
    }
    return render(request, "network/family_network.html", context)


family_network.family_view = True  # type: ignore[attr-defined]
