"""The plans app's configuration; ``ready()`` connects its receiver of
``cases.signals.measure_ordered`` (the plan and its deadline)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Planer")

    def ready(self) -> None:
        from cases import signals
        from plans import receivers

        signals.measure_ordered.connect(
            receivers.measure_ordered, dispatch_uid="plans_measure_ordered"
        )
