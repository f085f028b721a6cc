"""``manage.py export_access_log <citizen-id> [--format json|csv]``: one citizen's access log.

The answer to a citizen's request for access (GDPR art. 15): who looked at their data, when
and why. The export itself is then appended to the log.
"""

import io
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from access.log_export import (
    access_log_record_export,
    access_log_rows,
    citizen_exists,
    write_csv,
    write_json,
)
from core.cpr import looks_like_cpr

ACTOR = "system:export_access_log"
FORMATS = ("json", "csv")


class Command(BaseCommand):
    help = _(
        "Udskriver én borgers adgangslog (indsigt efter databeskyttelsesforordningens art. 15) "
        "som JSON eller CSV, ældste først. Udtrækket registreres selv i adgangsloggen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("citizen_id", help=_("Borgerens id (UUID) – aldrig CPR-nummeret."))
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default="json",
            help=_("Udtrækkets format (standard: json)."),
        )
        parser.add_argument(
            "--reason",
            default="",
            help=_("Begrundelse, der skrives i adgangsloggen sammen med udtrækket."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        citizen_id = self._citizen_id(options["citizen_id"])
        fmt: str = options["format"]
        rows = access_log_rows(citizen_id=citizen_id)
        buffer = io.StringIO()
        if fmt == "csv":
            write_csv(rows, buffer)
        else:
            write_json(rows, buffer)
        self.stdout.write(buffer.getvalue(), ending="")
        access_log_record_export(
            citizen_id=citizen_id,
            actor=ACTOR,
            target=f"export_access_log --format {fmt}",
            reason=options["reason"].strip()
            or _("Indsigt efter databeskyttelsesforordningens art. 15"),
        )

    def _citizen_id(self, value: str) -> uuid.UUID:
        # The value typed is never echoed: someone may have typed a CPR number by mistake.
        try:
            citizen_id = uuid.UUID(value.strip())
        except ValueError:
            if looks_like_cpr(value):
                raise CommandError(
                    _(
                        "Angiv borgerens id (UUID), ikke et CPR-nummer. "
                        "(Give the citizen's id (UUID), not a CPR number.)"
                    )
                ) from None
            raise CommandError(
                _(
                    "Ugyldigt borger-id: forventede et UUID som "
                    "3f2504e0-4f89-11d3-9a0c-0305e82c3301. (Invalid citizen id: expected a UUID.)"
                )
            ) from None
        if not citizen_exists(citizen_id):
            raise CommandError(
                _("Der findes ingen borger med id %(id)s. (No citizen with id %(id)s.)")
                % {"id": citizen_id}
            )
        return citizen_id
