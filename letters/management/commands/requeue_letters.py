"""python manage.py requeue_letters: queue stuck closing-letter and decision-letter renderings
again, by hand."""

from typing import Any

from django.core.management.base import BaseCommand

from letters.tasks import requeue_stalled_renderings


class Command(BaseCommand):
    help = (
        "Queue closing letters and decision letters whose PDF rendering is stuck or failed "
        "again (rendered once)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = requeue_stalled_renderings()
        self.stdout.write(f"Statusskrivelser og afgørelsesbreve sat i kø igen: {count}")
