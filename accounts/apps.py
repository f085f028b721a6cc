"""The accounts app's configuration; ``ready()`` imports the signal receivers of
``accounts.lockouts`` and ``accounts.sessions``."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Brugere og organisation")

    def ready(self) -> None:
        from accounts import lockouts, sessions  # noqa: F401 (signal receivers)
