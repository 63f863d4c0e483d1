"""The agreements register: the protocol and the data sharing agreements under it.

This first cut holds what requests need to name an agreement; the register issue extends it
(parties, lawful bases, signatures, versions, reviews) in later migrations.
"""

from django.db import models
from simple_history.models import HistoricalRecords


class Legislation(models.Model):
    """One piece of legislation that sharing can rely on.

    A single vocabulary for the request form's tick boxes (ISP Appendix B, where
    ``on_request_form`` is set) and for agreements (which add the Appendix F acts).
    """

    code = models.SlugField(max_length=40, unique=True)
    act = models.CharField(max_length=120)
    provision = models.CharField(max_length=160, blank=True)
    on_request_form = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "act", "provision"]
        verbose_name_plural = "legislation"

    def __str__(self) -> str:
        return f"{self.act} – {self.provision}" if self.provision else self.act


class AgreementTier(models.TextChoices):
    PROTOCOL = "protocol", "Over-arching protocol"
    AGREEMENT = "agreement", "Data sharing agreement"
    USE_CASE = "use_case", "Use case"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_SIGNATURES = "awaiting_signatures", "Awaiting signatures"
    ACTIVE = "active", "Active"
    UNDER_REVIEW = "under_review", "Under review"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


class Agreement(models.Model):
    title = models.CharField(max_length=200)
    reference = models.CharField(max_length=40, unique=True)
    tier = models.CharField(max_length=20, choices=AgreementTier.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    status = models.CharField(
        max_length=30, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    parties = models.ManyToManyField("accounts.Agency", related_name="agreements", blank=True)
    purposes = models.TextField(blank=True)
    retention_period_days = models.PositiveIntegerField("retention period (days)", default=365 * 2)
    disposal_method = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    legislation = models.ManyToManyField(Legislation, blank=True, related_name="agreements")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"
