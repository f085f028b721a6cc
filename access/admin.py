"""Admin for the refused attempts: case data is read through the logged case pages."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from access.models import AccessLogEntry


@admin.register(AccessLogEntry)
class RefusalAdmin(admin.ModelAdmin):
    """Every refused attempt (access.refusals), read-only: who, when, which path and why.

    Only the refusals: the rest of the access log is read per case or exported per citizen.
    """

    list_display = ("at", "username", "target", "reason", "case")
    list_filter = ("at",)
    search_fields = ("username", "target", "reason")
    date_hierarchy = "at"
    fields = ("at", "user", "username", "case", "citizen", "action", "target", "reason")
    readonly_fields = fields
    list_select_related = ("case",)
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[AccessLogEntry]:
        return super().get_queryset(request).filter(action=AccessLogEntry.Action.DENIED)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {"title": _("Afviste forsøg"), **(extra_context or {})}
        return super().changelist_view(request, context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
