"""The legal bases a measure may be decided under (LBK nr. 282 af 17.03.2025, Barnets Lov).

Data, not code: administrators may add or deactivate rows; this migration only seeds them. The
titles are marked with ``gettext_noop`` for the catalogue (the ``data_label`` filter shows them
in the reader's language); the rows keep the Danish text.
"""

from django.db import migrations
from django.utils.translation import gettext_noop

LEGAL_BASES = [
    # code, paragraph, title, former reference, preventive
    ("bl-30", "§ 30", gettext_noop("Tidligt forebyggende indsats"), "Serviceloven § 11, stk. 3", True),
    ("bl-32-1-1", "§ 32, stk. 1, nr. 1", gettext_noop("Ophold i dagtilbud, fritidshjem, ungdomsklub, uddannelsessted el.lign."), "Serviceloven § 52, stk. 3, nr. 1", False),
    ("bl-32-1-2", "§ 32, stk. 1, nr. 2", gettext_noop("Praktisk, pædagogisk eller anden støtte i hjemmet"), "Serviceloven § 52, stk. 3, nr. 2", False),
    ("bl-32-1-3", "§ 32, stk. 1, nr. 3", gettext_noop("Fast kontaktperson for barnet eller den unge eller for hele familien"), "Serviceloven § 52, stk. 3, nr. 7", False),
    ("bl-32-1-4", "§ 32, stk. 1, nr. 4", gettext_noop("Formidling af praktiktilbud hos en offentlig eller privat arbejdsgiver"), "Serviceloven § 52, stk. 3, nr. 9", False),
    ("bl-32-1-5", "§ 32, stk. 1, nr. 5", gettext_noop("Familiebehandling eller behandling af barnet eller den unge"), "Serviceloven § 52, stk. 3, nr. 3", False),
    ("bl-32-1-6", "§ 32, stk. 1, nr. 6", gettext_noop("Døgnophold for hele familien (familieanbringelse)"), "Serviceloven § 52, stk. 3, nr. 4", False),
    ("bl-32-1-7", "§ 32, stk. 1, nr. 7", gettext_noop("Støtteophold i plejefamilie eller på børne- og ungehjem"), "Serviceloven § 52, stk. 3, nr. 5", False),
    ("bl-32-1-8", "§ 32, stk. 1, nr. 8", gettext_noop("Anden hjælp med rådgivning, behandling og praktisk og pædagogisk støtte"), "Serviceloven § 52, stk. 3, nr. 10", False),
]


def load(apps, schema_editor):
    LegalBasis = apps.get_model("cases", "LegalBasis")
    for position, (code, paragraph, title, former, preventive) in enumerate(LEGAL_BASES, start=1):
        LegalBasis.objects.update_or_create(
            code=code,
            defaults={
                "law": "Barnets Lov",
                "paragraph": paragraph,
                "title": title,
                "former_reference": former,
                "is_preventive": preventive,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
