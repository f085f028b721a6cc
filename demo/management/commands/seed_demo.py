"""``manage.py seed_demo``: a fictitious municipality to try Familieværft on.

The entry point only: it refuses production, does nothing when the demo exists, builds the
world in one transaction (``demo.builders.world``, from the tables in ``demo.data``) and prints
what it made and the demo logins. CPR numbers are never printed.
"""

from collections import Counter
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus
from demo.builders.world import MARKER_USERNAME, Result, build_demo, demo_exists
from demo.data.people import DEMO_PASSWORD, MUNICIPALITY


class Command(BaseCommand):
    help = _(
        "Opretter demodata for den fiktive Fjordby Kommune: medarbejdere, ca. 40 familier og "
        "70 børn med sager i alle faser. Ændrer intet, hvis demodata allerede findes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "APP_ENV", "development") == "production":
            raise CommandError(
                _(
                    "Demodata må ikke indlæses i produktion (APP_ENV=production). "
                    "(Refusing to load demo data when APP_ENV is production.)"
                )
            )
        if demo_exists():
            self.stdout.write(
                _("Demodata findes allerede (brugeren »%(username)s«); intet er ændret.")
                % {"username": MARKER_USERNAME}
            )
            return
        with transaction.atomic():
            result = build_demo(now=timezone.now())
        self.summary(result)

    def summary(self, result: Result) -> None:
        write = self.stdout.write
        write(
            _("Demodata oprettet for %(municipality)s: %(families)d familier, %(children)d børn.")
            % {
                "municipality": MUNICIPALITY,
                "families": result.families,
                "children": result.children,
            }
        )
        counts = Counter(
            Case.objects.filter(pk__in=result.case_ids).values_list("status", flat=True)
        )
        write(
            _("Sager pr. status: %(counts)s.")
            % {
                "counts": ", ".join(
                    f"{status.label} {counts[status.value]}" for status in CaseStatus
                )
            }
        )
        write(_("Logins (adgangskode for alle: %(password)s):") % {"password": DEMO_PASSWORD})
        for user in result.users:
            write(f"  {user.username:<18} {user.get_role_display():<16} {user.get_full_name()}")
        for username in result.existing_users:
            write(
                _("  %(username)s fandtes i forvejen og er ikke ændret.") % {"username": username}
            )
