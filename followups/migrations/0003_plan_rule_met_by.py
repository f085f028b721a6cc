"""The plan deadline is met when the plan is recorded as a version, made with the family."""

from django.db import migrations


def forward(apps, schema_editor):
    DeadlineRule = apps.get_model("followups", "DeadlineRule")
    DeadlineRule.objects.filter(code="plan").update(
        met_by="Planen gemt som version, udarbejdet med familien"
    )


def backward(apps, schema_editor):
    DeadlineRule = apps.get_model("followups", "DeadlineRule")
    DeadlineRule.objects.filter(code="plan").update(met_by="Plan oprettet for sagen")


class Migration(migrations.Migration):
    dependencies = [("followups", "0002_deadline_rules")]
    operations = [migrations.RunPython(forward, backward)]
