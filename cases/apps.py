"""The cases app's configuration; ``ready()`` declares the texts it stores filled in
(``core.locale.register_stored_texts``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Sager")

    def ready(self) -> None:
        from cases import decisions
        from core.locale import register_stored_texts

        register_stored_texts(decisions.COMPLAINT_RECONSIDERED)
