"""The followups app's configuration; ``ready()`` connects its receivers of the case signals
(``cases.signals``: a measure ordered, an assessment finished) and gives Mine sager its
"Næste frister" panel (``cases.start_page``); it declares the texts it stores filled in
(``core.locale.register_stored_texts``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Opfølgning og frister")

    def ready(self) -> None:
        from cases import signals, start_page
        from core.locale import register_stored_texts
        from followups import receivers, reminders, selectors, services

        register_stored_texts(services.FIRST_FOLLOWUP_HELD, reminders.FOLLOWUP_TITLE)

        start_page.register_next_deadlines(selectors.next_deadlines)
        signals.measure_ordered.connect(
            receivers.measure_ordered, dispatch_uid="followups_measure_ordered"
        )
        signals.assessment_finished.connect(
            receivers.assessment_finished, dispatch_uid="followups_assessment_finished"
        )
