from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamilievaerftConfig(AppConfig):
    name = "familievaerft"
    verbose_name = _("Brugere og organisation")
