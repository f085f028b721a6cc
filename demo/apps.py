"""The demo app: the demo's data tables and ``seed_demo``; it sits above every other app and
nothing imports it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = _("Demodata")
