"""The administrator registers a citizen's exemption from Digital Post (letters then go to the
print queue, ``letters.digital_post``)."""

from django.contrib import admin

from letters.models import DigitalPostExemption


@admin.register(DigitalPostExemption)
class DigitalPostExemptionAdmin(admin.ModelAdmin):
    list_display = ("citizen", "note", "created_at")
    raw_id_fields = ("citizen",)
    search_fields = ("citizen__first_name", "citizen__last_name")
