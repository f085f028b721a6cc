"""``manage.py bench_generate --scale N``: fill an empty, migrated database (see bench.generate)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bench.generate import generate


class Command(BaseCommand):
    help = "Generate the benchmark's municipal-scale dataset into an empty, migrated database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=100_000)

    def handle(self, *args: Any, scale: int, **options: Any) -> None:
        started = time.monotonic()
        counts = generate(scale, log=self.stdout.write)
        self.stdout.write(f"generated in {time.monotonic() - started:.1f} s: {counts}")
