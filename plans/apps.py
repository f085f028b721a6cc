"""The plans app's configuration; ``ready()`` connects its receiver of
``cases.signals.measure_ordered`` (the plan and its deadline) and declares the event it stores
filled in (``core.locale.register_stored_texts``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Planer")

    def ready(self) -> None:
        from cases import signals
        from core.locale import register_stored_texts
        from plans import receivers, services

        register_stored_texts(services.PLAN_DRAWN_UP)

        signals.measure_ordered.connect(
            receivers.measure_ordered, dispatch_uid="plans_measure_ordered"
        )
