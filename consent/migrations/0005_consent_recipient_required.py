"""Every consent record now names the agency it may disclose to (filled by 0004, in its own
transaction: PostgreSQL cannot alter a table with row updates pending in the same one)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0004_consent_names_both_agencies"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consentrecord",
            name="disclose_to_agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consents_to_receive",
                to="accounts.agency",
                verbose_name="agency it may disclose to",
            ),
        ),
    ]
