"""The letters app's configuration; ``ready()`` registers the letters' items in the reminder sweep
(``followups.reminders.register_item_source``), the panel of letters waiting for the family
on the therapist's start page (``followups.therapist_home.register_panel``), and the receiver
of ``cases.signals.decision_made`` that renders the decision letter, and the outbox's sender of
Digital Post (``letters.digital_post.send_delivery``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = _("Statusskrivelser")

    def ready(self) -> None:
        from cases import signals
        from followups import reminders, therapist_home
        from letters import receivers
        from letters.reminders import letter_items
        from letters.therapist_home import letters_awaiting_family

        # Closing letters in review are items of the reminder sweep (followups sits below).
        reminders.register_item_source(letter_items)
        # ... and a panel of the therapist's start page.
        therapist_home.register_panel(letters_awaiting_family)
        # A decision made gets its letter, rendered to PDF (cases sits below).
        signals.decision_made.connect(receivers.decision_made, dispatch_uid="letters_decision_made")
        # Letters leave by Digital Post through the outbox (core sits below).
        from core import outbox
        from letters import digital_post

        outbox.register_sender(outbox.Kind.DIGITAL_POST, digital_post.send_delivery)
