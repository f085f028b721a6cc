"""The network map on the printed plan (registered in plans.print_sections by NetworkConfig)."""

from typing import Any

from cases.models import Case
from network import selectors


def plan_print_section(case: Case) -> dict[str, Any]:
    """The same drawing as on the network page (names and sectors only); nothing without
    members. Template variables of plans/plan_print.html: network_svg, network_groups."""
    members = list(selectors.active_members(case))
    if not members:
        return {}
    return {
        "network_svg": selectors.draw_map(case=case, members=members, id_prefix="print-netvaerk"),
        "network_groups": selectors.by_sector(members),
    }
