"""The family's view of their child's network map (family portal): read-only, plain language.

The case is loaded only through ``portal.pages.family_case_page`` (the family's own child,
read logged; anyone else a logged 404). The template gets the map, a list of the people on it
with contact details only of the people the family itself named, and the coming meetings —
never the case object's internal parts.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases.models import Case
from network import selectors
from portal.pages import family_case_page


@family_case_page()
def family_network(request: HttpRequest, case: Case) -> HttpResponse:
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
