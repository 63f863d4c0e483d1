"""The parties become rows of their own (duties, lawful bases, breach contact).

The existing many-to-many table is taken over as the through model, as Django's docs
describe for adding ``through`` to a ManyToManyField, and then renamed.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("agreements", "0002_legislation_vocabulary"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AgreementParty",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "agreement",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="party_rows",
                                to="agreements.agreement",
                            ),
                        ),
                        (
                            "agency",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.agency",
                            ),
                        ),
                    ],
                    options={"db_table": "agreements_agreement_parties"},
                ),
                migrations.AlterField(
                    model_name="agreement",
                    name="parties",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="agreements",
                        through="agreements.AgreementParty",
                        to="accounts.agency",
                    ),
                ),
            ],
        ),
        migrations.AlterModelTable(name="agreementparty", table=None),
    ]
