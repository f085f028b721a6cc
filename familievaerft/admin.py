"""Admin for users and organisation only: case data is read through the logged case pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import OrganisationUnit, Team, TeamMembership, User


@admin.register(User)
class FamilievaerftUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Familieværft", {"fields": ("role", "title", "phone")}),
    )


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "unit")
    inlines = [TeamMembershipInline]


admin.site.register(OrganisationUnit)
