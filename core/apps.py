"""The core app's configuration; ``ready()`` registers the project's ORM lookups
(``core.lookups``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Fælles")

    def ready(self) -> None:
        from core import lookups

        lookups.register()  # ``in_array`` (core.lookups.InArray)
