"""python manage.py sweep_reminders: the periodic reminder sweep, run by hand."""

from typing import Any

from django.core.management.base import BaseCommand

from followups import reminders


class Command(BaseCommand):
    help = "Raise every reminder due now (exactly once) and e-mail the new ones."

    def handle(self, *args: Any, **options: Any) -> None:
        result = reminders.sweep()
        self.stdout.write(
            f"Påmindelser oprettet: {result.created}, mails sendt: {result.emailed}, "
            f"nye frister: {result.deadlines_scheduled}"
        )
