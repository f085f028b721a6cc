"""Admin for users and organisation (the refused attempts: access.admin); case data is read
through the logged case pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import OrganisationUnit, Team, TeamMembership, User


@admin.register(User)
class FamilievaerftUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Familieværft", {"fields": ("role", "title", "phone")}),
    )
    # Login times are facts, not input (and the split date/time widget has unlabelled
    # fields); groups and permissions as plain multiple selects, whose labels axe accepts
    # (the filter widget's search icons carry an aria-label on a bare span).
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ()


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "unit")
    inlines = [TeamMembershipInline]


admin.site.register(OrganisationUnit)
