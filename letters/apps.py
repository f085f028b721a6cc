"""The letters app's configuration; ``ready()`` registers the letters' items in the reminder sweep
(``followups.reminders.register_item_source``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = _("Statusskrivelser")

    def ready(self) -> None:
        from followups import reminders
        from letters.reminders import letter_items

        # Closing letters in review are items of the reminder sweep (followups sits below).
        reminders.register_item_source(letter_items)
