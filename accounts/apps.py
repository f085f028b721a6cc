from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamilievaerftConfig(AppConfig):
    name = "familievaerft"
    verbose_name = _("Brugere og organisation")

    def ready(self) -> None:
        from . import auth_log, auth_sessions  # noqa: F401 (signal receivers)
