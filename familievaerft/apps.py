from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig
from django.utils.translation import gettext_lazy as _


class FamilievaerftConfig(AppConfig):
    name = "familievaerft"
    verbose_name = _("Brugere og organisation")


class StaticFilesConfig(BaseStaticFilesConfig):
    """collectstatic without what the app never serves: the sidecar's Redoc build (the API
    docs use Swagger UI). Source maps stay: the manifest storage follows their references."""

    ignore_patterns = [*BaseStaticFilesConfig.ignore_patterns, "drf_spectacular_sidecar/redoc/*"]
