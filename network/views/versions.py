"""Versions of the map: the list, a version taken by hand, a version's SVG, and two versions
side by side with who joined, left, moved closer or further away."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.rules import Need
from cases.models import Case
from cases.pages import FORM_METHODS, case_page
from network import selectors, services
from network.forms import SnapshotForm
from network.models import MapSnapshot
from network.views.common import (
    form_data,
    object_or_404,
    render_form_page,
    svg_response,
    tab_context,
    user_of,
)

CURRENT = "nu"  # the map of today in a comparison


def versions_url(case: Case) -> str:
    return reverse("network:network_snapshots", kwargs={"case_id": case.pk})


@case_page()
def network_snapshots(request: HttpRequest, case: Case) -> HttpResponse:
    context = {
        **tab_context(request, case),
        "snapshots": list(reversed(selectors.snapshots(case))),
        "form": SnapshotForm(id_prefix="ny-version"),
    }
    return render(request, "network/network_snapshots.html", context)


@case_page(Need.GOALS, what=gettext_lazy("gemme netværkskortet"), methods=FORM_METHODS)
def network_snapshot_take(request: HttpRequest, case: Case) -> HttpResponse:
    form = SnapshotForm(form_data(request), id_prefix="ny-version")
    if request.method == "POST" and form.is_valid():
        try:
            services.network_snapshot_take(
                case=case, user=user_of(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Kortet, som det ser ud nu, er gemt som en version."))
            return redirect(versions_url(case))
    return render_form_page(
        request,
        case,
        title=_("Gem kortet som en version"),
        partial="network/network_snapshots.html#snapshot_form",
        context={"form": form},
        back_url=versions_url(case),
        back_label=_("Tilbage til versionerne"),
    )


@case_page()
def network_snapshot_svg(request: HttpRequest, case: Case, snapshot_id: int) -> HttpResponse:
    snapshot = object_or_404(request, case, MapSnapshot.objects.filter(case=case), snapshot_id)
    taken = timezone.localtime(snapshot.taken_at)
    title = _("Netværkskort for %(name)s, %(date)s") % {
        "name": case.citizen.first_name,
        "date": f"{taken:%d.%m.%Y}",
    }
    drawing = selectors.draw_map(case=case, members=snapshot.members, title=title)
    return svg_response(drawing, f"netvaerkskort-{taken:%Y-%m-%d}.svg")


def _side(case: Case, key: str, snapshots: list[MapSnapshot]) -> dict[str, Any] | None:
    """One side of the comparison: a version by id, or the map of today."""
    if key == CURRENT:
        members = services.members_json(list(selectors.active_members(case)))
        label = _("I dag")
        taken_at = timezone.now()
        snapshot = None
    else:
        snapshot = next((s for s in snapshots if str(s.pk) == key), None)
        if snapshot is None:
            return None
        members = snapshot.members
        taken = timezone.localtime(snapshot.taken_at)
        label = f"{taken:%d.%m.%Y}" + (f" – {snapshot.reason}" if snapshot.reason else "")
        taken_at = snapshot.taken_at
    return {
        "key": key,
        "label": label,
        "taken_at": taken_at,
        "snapshot": snapshot,
        "members": members,
        "count": len(members),
    }


@case_page()
def network_compare(request: HttpRequest, case: Case) -> HttpResponse:
    """Two versions side by side (default: the first version and the map of today)."""
    snapshots = selectors.snapshots(case)
    default_from = str(snapshots[0].pk) if snapshots else CURRENT
    before = _side(case, request.GET.get("fra", default_from), snapshots)
    after = _side(case, request.GET.get("til", CURRENT), snapshots)
    if before is None or after is None:
        before = _side(case, default_from, snapshots)
        after = _side(case, CURRENT, snapshots)
        messages.error(request, _("Den valgte version findes ikke. Her er den første og i dag."))
    assert before is not None and after is not None
    if before["taken_at"] > after["taken_at"]:
        before, after = after, before
    before["svg"] = selectors.draw_map(
        case=case,
        members=before["members"],
        id_prefix="kort-foer",
        title=_("Netværkskortet %(label)s") % {"label": before["label"]},
    )
    after["svg"] = selectors.draw_map(
        case=case,
        members=after["members"],
        id_prefix="kort-efter",
        title=_("Netværkskortet %(label)s") % {"label": after["label"]},
    )
    choices = [(CURRENT, _("I dag"))] + [
        (
            str(s.pk),
            f"{timezone.localtime(s.taken_at):%d.%m.%Y %H:%M}"
            + (f" – {s.reason}" if s.reason else ""),
        )
        for s in reversed(snapshots)
    ]
    context = {
        **tab_context(request, case),
        "before": before,
        "after": after,
        "sides": [before, after],
        "choices": choices,
        "comparison": services.network_maps_compare(
            before=before["members"], after=after["members"]
        ),
        "sector_labels": selectors.sector_labels(),
    }
    return render(request, "network/network_compare.html", context)
