"""Breaches of the protocol or of an agreement, and the ICO decision on each. The table
keeps the name it had in ``audit`` (migration 0001 moved the model, not the rows)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from isp_portal.limits import TEXT_LENGTH


class BreachStatus(models.TextChoices):
    OPEN = "open", "Open: ICO decision due"
    DECIDED = "decided", "ICO decision recorded"
    CLOSED = "closed", "Closed"


class IcoDecision(models.TextChoices):
    NOTIFY = "notify", "Notify the ICO"
    DO_NOT_NOTIFY = "do_not_notify", "Do not notify the ICO"


# The owning agency must decide whether to notify the ICO within 72 hours of discovery
# (UK GDPR Art 33; `002_…` 4.8).
ICO_DECISION_WINDOW = datetime.timedelta(hours=72)


class Breach(models.Model):
    """A suspected breach of the protocol or of an agreement, and the ICO decision on it.

    It records the kind of data affected, never the data itself or the names of the people
    it is about.
    """

    request = models.ForeignKey(
        "requests_app.InformationRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches",
    )
    owning_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="breaches"
    )
    what_happened = models.TextField(max_length=TEXT_LENGTH)
    discovered_at = models.DateTimeField()
    data_affected = models.TextField(max_length=TEXT_LENGTH)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="breaches_reported"
    )
    reported_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=BreachStatus.choices, default=BreachStatus.OPEN
    )
    ico_decision = models.CharField(max_length=20, choices=IcoDecision.choices, blank=True)
    ico_decision_reasons = models.TextField(blank=True, max_length=TEXT_LENGTH)
    ico_decided_at = models.DateTimeField(null=True, blank=True)
    ico_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ico_notified_on = models.DateField("date the ICO was notified", null=True, blank=True)
    parties_informed = models.TextField(blank=True, max_length=TEXT_LENGTH)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "audit_breach"
        ordering = ["-discovered_at", "-pk"]
        indexes = [models.Index(fields=["owning_agency", "status"], name="breach_by_agency")]
        constraints = [
            models.CheckConstraint(
                condition=Q(request__isnull=False) | Q(agreement__isnull=False),
                name="breach_against_request_or_agreement",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(ico_decision=""),
                name="breach_decided_has_ico_decision",
            ),
            models.CheckConstraint(
                condition=Q(ico_decision="") | Q(ico_decided_at__isnull=False),
                name="breach_ico_decision_is_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"BR-{self.pk:05d}" if self.pk else "New breach"

    @property
    def ico_deadline(self) -> datetime.datetime:
        return self.discovered_at + ICO_DECISION_WINDOW

    @property
    def ico_time_left(self) -> datetime.timedelta:
        """Negative once the deadline has passed."""
        return self.ico_deadline - timezone.now()

    @property
    def ico_overdue(self) -> bool:
        return not self.ico_decision and self.ico_time_left.total_seconds() < 0


class MonthlyTally(models.Model):
    """One count on the CSP dashboard for one calendar month (UK time), agency and kind,
    kept equal to the raw rows in the transaction that changes them
    (``oversight.dashboard.tallies``; ``manage.py rebuild_dashboard_tallies`` rebuilds them).

    ``key`` names the count (``made``, ``decided``, ``days:4`` for decisions that took four
    days, ``law:12`` for requests relying on legislation 12). The row with an empty key
    holds no count: it is what a change locks before recomputing its month and agency.
    Counts only: no request, person or officer is named here."""

    kind = models.CharField(max_length=40)
    month = models.DateField(help_text="The first day of the month")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "agency", "kind", "key"], name="tally_month_agency_kind_key"
            )
        ]
        indexes = [
            # With the count itself, so that summing a run of months reads only the index.
            models.Index(fields=["month", "kind", "agency", "key", "n"], name="tally_sums"),
            # The month charts read two counts of every month: by key first, a short range.
            models.Index(fields=["key", "month", "kind", "n"], name="tally_by_key"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.month:%Y-%m} agency {self.agency_id}: {self.n}"
