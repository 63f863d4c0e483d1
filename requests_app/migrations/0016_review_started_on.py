"""Part B's "date request received" is the day the request reached the agency, its
submission, as on paper; the day review started, which the field held before, moves to its
own field. Each decision's days to decision is counted again from the date received, as
the dashboard now says it is; whether it was on time does not change.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import TruncDate

BATCH = 2000


def _recount_days(apps) -> None:
    Decision = apps.get_model("requests_app", "Decision")
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = Decision.objects.select_related("request").only(
        "pk", "signed_at", "days_to_decision", "request__received_on", "request__submitted_at"
    )
    changed = []
    for decision in rows.iterator(chunk_size=BATCH):
        request = decision.request
        started = request.received_on or (
            request.submitted_at.astimezone(zone).date() if request.submitted_at else None
        )
        days = (decision.signed_at.astimezone(zone).date() - started).days if started else None
        if days != decision.days_to_decision:
            decision.days_to_decision = days
            changed.append(decision)
    Decision.objects.bulk_update(changed, ["days_to_decision"], batch_size=BATCH)


def received_is_submission(apps, schema_editor):
    zone = ZoneInfo(settings.TIME_ZONE)
    for model in ("InformationRequest", "HistoricalInformationRequest"):
        Model = apps.get_model("requests_app", model)
        Model.objects.update(review_started_on=F("received_on"))
        Model.objects.filter(submitted_at__isnull=False).update(
            received_on=TruncDate("submitted_at", tzinfo=zone)
        )
    _recount_days(apps)


def received_is_review_start(apps, schema_editor):
    for model in ("InformationRequest", "HistoricalInformationRequest"):
        Model = apps.get_model("requests_app", model)
        Model.objects.update(received_on=F("review_started_on"))
    _recount_days(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0015_decision_summary"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalinformationrequest",
            name="review_started_on",
            field=models.DateField(blank=True, null=True, verbose_name="date review started"),
        ),
        migrations.AddField(
            model_name="informationrequest",
            name="review_started_on",
            field=models.DateField(blank=True, null=True, verbose_name="date review started"),
        ),
        migrations.AlterField(
            model_name="historicalinformationrequest",
            name="received_on",
            field=models.DateField(blank=True, null=True, verbose_name="date request received"),
        ),
        migrations.AlterField(
            model_name="informationrequest",
            name="received_on",
            field=models.DateField(blank=True, null=True, verbose_name="date request received"),
        ),
        migrations.RunPython(received_is_submission, received_is_review_start),
    ]
