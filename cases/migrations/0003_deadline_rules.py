"""The statutory deadlines of Barnets Lov as data: the rows of ``cases.DeadlineRule``
(explained in docs/domain.md).

The one table of the rules: 0008_young_adult_support loads it again (idempotently), so that a
database migrated before a row was corrected or added gets it too."""

from django.db import migrations

RULES = [
    # code, title, trigger, offset, unit, legal reference, met by
    ("acute_judgement", "Vurdering af behov for akut hjælp", "notification_received", 24, "hours",
     "Barnets Lov §§ 136–137", "Akut vurdering registreret på underretningen"),
    ("receipt", "Kvittering til fagperson, der har underrettet", "professional_notification", 6,
     "working_days", "Barnets Lov §§ 136–137", "Kvittering registreret som sendt"),
    ("assessment", "Børnefaglig undersøgelse afsluttet", "concern_aware", 4, "months",
     "Barnets Lov § 20, stk. 3", "Undersøgelse afsluttet"),
    # § 91: the plan within 3 months of the decision of the measure, not of its start.
    ("plan", "Barnets plan udarbejdet", "measure_decided", 3, "months",
     "Barnets Lov § 91", "Planen gemt som version, udarbejdet med familien"),
    ("first_followup", "Første opfølgning på indsatsen", "measure_started", 3, "months",
     "Barnets Lov § 95", "Opfølgning gennemført"),
    ("ungeplan", "Afgørelse om ungeplan", "birthday_16", 3, "months",
     "Barnets Lov § 108", "Afgørelse om ungeplan registreret"),
    ("after_18", "Afgørelse om støtte efter det fyldte 18. år", "birthday_18", -6, "months",
     "Barnets Lov § 111", "Afgørelse om støtte efter 18 år registreret"),
    # Young-adult support (a measure on a basis of §§ 114–121) ends at the 23rd birthday.
    ("young_adult_end", "Ungestøtten ophører ved det fyldte 23. år", "birthday_23", 0, "days",
     "Barnets Lov §§ 114–121", "Indsatsen afsluttet"),
    # A measure that reaches the end of its expected duration (§ 32, stk. 3) needs a decision:
    # ended, or changed with a new duration (cases.decisions; added by 0010).
    ("measure_expected_end", "Indsatsens forventede varighed udløber", "measure_expected_end",
     0, "days", "Barnets Lov § 32, stk. 3", "Afgørelse om ophør eller ændret varighed truffet"),
    # A complaint is reconsidered (genvurdering) within 4 weeks of its receipt (added by 0010).
    ("complaint_reconsideration", "Genvurdering af klage", "complaint_received", 28, "days",
     "Retssikkerhedsloven § 67", "Klagen genvurderet"),
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
