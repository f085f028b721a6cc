"""The access app's configuration; ``ready()`` connects the receiver that writes the refusals
accounts reports (``accounts.signals.request_refused``) to the access log."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = _("Adgang og adgangslog")

    def ready(self) -> None:
        from access.refusals import request_refused_receiver
        from accounts.signals import request_refused

        # accounts sits below access: it reports refusals, and access writes them to the log.
        request_refused.connect(request_refused_receiver, dispatch_uid="access_request_refused")
