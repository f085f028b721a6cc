"""The demo's request for access to the files (aktindsigt, ``seed_demo``), made through
``file_access.services`` so every rule holds (a party asks, the 7 working days of
Forvaltningsloven § 16, stk. 2 as a deadline on the case, the exemption with its reason and
legal basis).

What is made is described in ``demo.data.file_access``: one pending request from a custody
holder on one of ``sagsbehandler``'s open cases (of a family without a portal login, so the
portal personas keep their story), with one private reporter's identity exempt. Runs after the
decisions and draws nothing from the demo's generator.
"""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Case, CaseStatus, FamilyRelation, Notification
from cases.working_days import is_working_day
from demo.data import file_access as data
from file_access import services
from file_access.models import FileAccessExemption, FileAccessRequest

MAIN_CASEWORKER = "sagsbehandler"


def _working_days_back(day: dt.date, days: int) -> dt.date:
    while days > 0 or not is_working_day(day):
        day -= dt.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def _candidates() -> QuerySet[Case]:
    """sagsbehandler's open cases of families without a login, with a named reporter and a
    custody holder, a private person's notification first."""
    return (
        Case.objects.filter(owner__username=MAIN_CASEWORKER)
        .exclude(status__in=(CaseStatus.CLOSED, CaseStatus.NOTIFICATION))
        .exclude(citizen__family_memberships__family__members__user__isnull=False)
        .filter(
            citizen__family_memberships__relations_to_child__kind=(
                FamilyRelation.Kind.PARENT_CUSTODY
            ),
            notifications__reporter_kind__in=(
                Notification.ReporterKind.PRIVATE,
                Notification.ReporterKind.PROFESSIONAL,
            ),
        )
        .select_related("owner", "citizen")
        .distinct()
        .order_by("number")
    )


def demo_file_access(*, today: dt.date) -> int:
    """Make the demo's request for access to the files; returns how many were made (0 when it
    is there already, or no case fits)."""
    if FileAccessRequest.objects.exists():
        return 0
    cases = list(_candidates())
    reported = {
        case.pk: Notification.objects.filter(case=case)
        .exclude(reporter_kind=Notification.ReporterKind.ANONYMOUS)
        .order_by("reporter_kind", "received_at")  # "private" sorts after "professional"
        .last()
        for case in cases
    }
    cases.sort(
        key=lambda case: (
            getattr(reported[case.pk], "reporter_kind", "") != Notification.ReporterKind.PRIVATE
        )
    )
    for case in cases:
        notification = reported[case.pk]
        party = next(
            (p for p in services.parties(case) if p.party == FileAccessRequest.Party.CUSTODY),
            None,
        )
        if notification is None or party is None:
            continue
        received_on = max(
            _working_days_back(today, data.RECEIVED_WORKING_DAYS_AGO),
            timezone.localdate(case.opened_at),
        )
        request = services.request_register(
            case=case,
            user=case.owner,
            requester=party.member,
            received_on=received_on,
            asked_for=data.ASKED_FOR,
        )
        if not request.exemptions.exists():
            services.exemption_add(
                request=request,
                user=case.owner,
                document=f"{FileAccessExemption.Kind.REPORTER}:{notification.pk}",
                reason=data.EXEMPTION_REASON,
                legal_basis=data.EXEMPTION_BASIS,
            )
        return 1
    return 0
