"""Admin for users and organisation (the refused attempts: access.admin); case data is read
through the logged case pages."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin

from accounts.models import GroupMapping, OrganisationUnit, Team, TeamMembership, User
from accounts.views.login import refuse_password_without_break_glass


class AdminPasswordLoginForm(AdminAuthenticationForm):
    """The admin's password login, with the same break-glass rule as ours."""

    def confirm_login_allowed(self, user: User) -> None:  # type: ignore[override]
        super().confirm_login_allowed(user)
        refuse_password_without_break_glass(user)


admin.site.login_form = AdminPasswordLoginForm


@admin.register(User)
class FamilievaerftUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active", "break_glass")
    list_filter = ("role", "is_active", "break_glass")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            "Familieværft",
            {"fields": ("role", "title", "phone", "phone_hours", "break_glass", "oidc_subject")},
        ),
    )
    # Login times are facts, not input (and the split date/time widget has unlabelled
    # fields); groups and permissions as plain multiple selects, whose labels axe accepts
    # (the filter widget's search icons carry an aria-label on a bare span).
    readonly_fields = ("last_login", "date_joined", "oidc_subject")
    filter_horizontal = ()


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "unit")
    inlines = [TeamMembershipInline]


admin.site.register(OrganisationUnit)


@admin.register(GroupMapping)
class GroupMappingAdmin(admin.ModelAdmin):
    """Which group of the staff identity provider gives which role and team (accounts.oidc)."""

    list_display = ("group_name", "role", "team", "is_lead")
    list_filter = ("role", "team")
    search_fields = ("group_name",)
