"""What was destroyed under the retention schedule or on a DLO's confirmation (`002_…` 4.9;
ISP App. B). The table keeps the name it had in ``requests_app`` (migration 0001 moved the
model, not the rows)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class DisposalRule(models.TextChoices):
    RETENTION_SCHEDULE = "retention_schedule", "Agreement retention period ended"
    DLO_CONFIRMED = "dlo_confirmed_destruction", "Destruction confirmed by the DLO"
    DRAFT_DISCARDED = "draft_discarded", "Draft decision files discarded: nothing disclosed"


class DisposalRecord(models.Model):
    """What was destroyed, when, under which rule and by whom. Kinds and counts, never
    content: this record outlives what it describes."""

    request = models.ForeignKey(
        "requests_app.InformationRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disposals",
    )
    consent = models.ForeignKey(
        "consent.ConsentRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disposals",
    )
    recorded = models.ForeignKey(
        "requests_app.RecordedDisclosure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disposals",
    )
    destroyed = models.JSONField(default=list)
    rule = models.CharField(max_length=40, choices=DisposalRule.choices)
    retention_days = models.PositiveIntegerField(null=True, blank=True)
    # Empty for the daily schedule, which acts on no one's instruction.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    disposed_at = models.DateTimeField()

    class Meta:
        db_table = "requests_app_disposalrecord"
        ordering = ["-disposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(request__isnull=False)
                | Q(consent__isnull=False)
                | Q(recorded__isnull=False),
                name="disposal_of_request_or_consent",
            )
        ]

    def __str__(self) -> str:
        return f"Disposal {self.pk}"
