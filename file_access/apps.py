"""The file_access app's configuration: a party's access to the case's files (aktindsigt,
Forvaltningsloven §§ 9 ff.), above cases and letters (pyproject's import-linter contract)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FileAccessConfig(AppConfig):
    name = "file_access"
    verbose_name = _("Aktindsigt")
