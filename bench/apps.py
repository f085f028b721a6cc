"""The benchmark's app (``make bench``): its floor views, query counter and data generator,
installed only by ``bench.settings``, never in the application's own settings."""

from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench"
    default_auto_field = "django.db.models.BigAutoField"
