"""The statutory deadlines of Barnets Lov as data: the rows of ``cases.DeadlineRule``
(explained in docs/domain.md).

The one table of the rules: 0008_young_adult_support loads it again (idempotently), so that a
database migrated before a row was corrected or added gets it too. Each title and "met by" text
is marked with ``gettext_noop`` so that ``make messages`` puts it in the catalogue: the pages
show it in the reader's language (the ``data_label`` filter, core/templatetags/data_labels.py);
the row keeps the Danish text."""

from django.db import migrations
from django.utils.translation import gettext_noop

RULES = [
    # code, title, trigger, offset, unit, legal reference, met by
    ("acute_judgement", gettext_noop("Vurdering af behov for akut hjælp"), "notification_received", 24, "hours",
     "Barnets Lov §§ 136–137", gettext_noop("Akut vurdering registreret på underretningen")),
    ("receipt", gettext_noop("Kvittering til fagperson, der har underrettet"), "professional_notification", 6,
     "working_days", "Barnets Lov §§ 136–137", gettext_noop("Kvittering registreret som sendt")),
    ("assessment", gettext_noop("Børnefaglig undersøgelse afsluttet"), "concern_aware", 4, "months",
     "Barnets Lov § 20, stk. 3", gettext_noop("Undersøgelse afsluttet")),
    # § 91: the plan within 3 months of the decision of the measure, not of its start.
    ("plan", gettext_noop("Barnets plan udarbejdet"), "measure_decided", 3, "months",
     "Barnets Lov § 91", gettext_noop("Planen gemt som version, udarbejdet med familien")),
    ("first_followup", gettext_noop("Første opfølgning på indsatsen"), "measure_started", 3, "months",
     "Barnets Lov § 95", gettext_noop("Opfølgning gennemført")),
    ("ungeplan", gettext_noop("Afgørelse om ungeplan"), "birthday_16", 3, "months",
     "Barnets Lov § 108", gettext_noop("Afgørelse om ungeplan registreret")),
    ("after_18", gettext_noop("Afgørelse om støtte efter det fyldte 18. år"), "birthday_18", -6, "months",
     "Barnets Lov § 111", gettext_noop("Afgørelse om støtte efter 18 år registreret")),
    # Young-adult support (a measure on a basis of §§ 114–121) ends at the 23rd birthday.
    ("young_adult_end", gettext_noop("Ungestøtten ophører ved det fyldte 23. år"), "birthday_23", 0, "days",
     "Barnets Lov §§ 114–121", gettext_noop("Indsatsen afsluttet")),
    # A measure that reaches the end of its expected duration (§ 32, stk. 3) needs a decision:
    # ended, or changed with a new duration (cases.decisions; added by 0010).
    ("measure_expected_end", gettext_noop("Indsatsens forventede varighed udløber"), "measure_expected_end",
     0, "days", "Barnets Lov § 32, stk. 3", gettext_noop("Afgørelse om ophør eller ændret varighed truffet")),
    # A complaint is reconsidered (genvurdering) within 4 weeks of its receipt (added by 0010).
    ("complaint_reconsideration", gettext_noop("Genvurdering af klage"), "complaint_received", 28, "days",
     "Retssikkerhedsloven § 67", gettext_noop("Klagen genvurderet")),
]


def load(apps, schema_editor):
    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    for position, (code, title, trigger, offset, unit, reference, met_by) in enumerate(RULES, 1):
        DeadlineRule.objects.update_or_create(
            code=code,
            defaults={
                "title": title,
                "trigger": trigger,
                "offset": offset,
                "unit": unit,
                "legal_reference": reference,
                "met_by": met_by,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_legal_bases")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
