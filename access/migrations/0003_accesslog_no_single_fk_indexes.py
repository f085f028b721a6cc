"""The access log's case and citizen columns keep only their composite indexes
(accesslog_case_at, accesslog_citizen_at), which serve the foreign keys' lookups too."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('access', '0002_append_only'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accesslogentry',
            name='case',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='access_log', to='cases.case', verbose_name='sag'),
        ),
        migrations.AlterField(
            model_name='accesslogentry',
            name='citizen',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='access_log', to='cases.citizen', verbose_name='borger'),
        ),
    ]
