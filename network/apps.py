"""The network app's configuration; ``ready()`` registers the network map's section of the printed
plan (``plans.print_sections``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Netværk")

    def ready(self) -> None:
        from network.plan_print import plan_print_section
        from plans import print_sections

        # The printed plan shows the network map (plans sits below network).
        print_sections.register(plan_print_section)
