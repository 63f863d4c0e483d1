"""The CSP dashboard's monthly tallies. The table is filled from the rows already there once
every migration has run (``oversight.dashboard.keeping.fill_after_migrate``): counting with
today's code needs today's schema, which a migration in the middle of an upgrade does not
have."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_bound_text_lengths"),
        ("oversight", "0001_initial"),
        # The rows the tallies count, with every column they read.
        ("requests_app", "0018_assigned_to"),
        ("consent", "0005_consent_recipient_required"),
    ]

    operations = [
        migrations.CreateModel(
            name="MonthlyTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=40)),
                ("month", models.DateField(help_text="The first day of the month")),
                ("key", models.CharField(blank=True, max_length=40)),
                ("n", models.IntegerField(default=0)),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.agency",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["month", "kind", "agency", "key", "n"], name="tally_sums"),
                    models.Index(fields=["key", "month", "kind", "n"], name="tally_by_key"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "agency", "kind", "key"),
                        name="tally_month_agency_kind_key",
                    )
                ],
            },
        ),
    ]
