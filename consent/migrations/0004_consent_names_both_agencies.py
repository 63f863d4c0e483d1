"""The Appendix B consent form names two agencies: "I give: <the agency holding the
information> consent to disclose to: <the agency receiving it>". Records made before kept
only the first; the second was the agency of the requesting officer who witnessed and
recorded the consent, so that is what each existing record now says."""

import django.db.models.deletion
from django.db import migrations, models


def recipient_is_recorders_agency(apps, schema_editor):
    ConsentRecord = apps.get_model("consent", "ConsentRecord")
    HistoricalConsentRecord = apps.get_model("consent", "HistoricalConsentRecord")
    User = apps.get_model("accounts", "User")
    agencies = dict(User.objects.values_list("pk", "agency_id"))
    for consent in ConsentRecord.objects.filter(disclose_to_agency__isnull=True).only(
        "pk", "recorded_by_id"
    ):
        agency_id = agencies.get(consent.recorded_by_id)
        if agency_id is None:
            raise RuntimeError(
                f"Consent record CR-{consent.pk:05d} was recorded by an officer with no "
                "agency: give that officer their agency, then migrate again."
            )
        ConsentRecord.objects.filter(pk=consent.pk).update(disclose_to_agency_id=agency_id)
    # Each version in the history says the same: the recorder never changes.
    for version in HistoricalConsentRecord.objects.filter(disclose_to_agency__isnull=True).only(
        "history_id", "recorded_by_id"
    ):
        HistoricalConsentRecord.objects.filter(history_id=version.history_id).update(
            disclose_to_agency_id=agencies.get(version.recorded_by_id)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("consent", "0003_bound_text_lengths"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consentrecord",
            name="given_to_agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consents_received",
                to="accounts.agency",
                verbose_name="agency given consent to disclose",
            ),
        ),
        migrations.AlterField(
            model_name="historicalconsentrecord",
            name="given_to_agency",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.agency",
                verbose_name="agency given consent to disclose",
            ),
        ),
        migrations.AddField(
            model_name="consentrecord",
            name="disclose_to_agency",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consents_to_receive",
                to="accounts.agency",
                verbose_name="agency it may disclose to",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsentrecord",
            name="disclose_to_agency",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.agency",
                verbose_name="agency it may disclose to",
            ),
        ),
        migrations.RunPython(recipient_is_recorders_agency, migrations.RunPython.noop),
    ]
