"""The deadline of a request for access to the files (aktindsigt) as a row of the cases app's
rule table (``cases.DeadlineRule``): a party's request is answered within 7 working days of its
receipt, or the party is told why it takes longer and when the answer can be expected
(Forvaltningsloven § 16, stk. 2). Each request gets its own ``cases.Deadline`` of this rule
(``file_access.services.request_register``), so it shows on the case's deadlines, the deadline
list and in the reminder sweep like every statutory deadline.

Data, not code, as cases' 0003: administrators may deactivate the rule; this only seeds it.
"""

from django.db import migrations
from django.utils.translation import gettext_noop

RULE = {
    "code": "file_access",
    "title": gettext_noop("Svar på anmodning om aktindsigt"),
    "trigger": "file_access_requested",
    "offset": 7,
    "unit": "working_days",
    "legal_reference": "Forvaltningsloven § 16, stk. 2",
    "met_by": gettext_noop(
        "Aktindsigt udleveret, eller parten underrettet om grunden og hvornår svaret kommer"
    ),
    "position": 100,
}


def load(apps, schema_editor):
    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    DeadlineRule.objects.update_or_create(
        code=RULE["code"], defaults={k: v for k, v in RULE.items() if k != "code"}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("file_access", "0001_initial"),
        ("cases", "0009_decisions"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
