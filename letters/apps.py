"""The letters app's configuration; ``ready()`` registers the letters' items in the reminder sweep
(``followups.reminders.register_item_source``) and the panel of letters waiting for the family
on the therapist's start page (``followups.therapist_home.register_panel``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = _("Statusskrivelser")

    def ready(self) -> None:
        from followups import reminders, therapist_home
        from letters.reminders import letter_items
        from letters.therapist_home import letters_awaiting_family

        # Closing letters in review are items of the reminder sweep (followups sits below).
        reminders.register_item_source(letter_items)
        # ... and a panel of the therapist's start page.
        therapist_home.register_panel(letters_awaiting_family)
