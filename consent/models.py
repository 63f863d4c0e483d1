"""Consent records (ISP Appendix B consent form; ISP 5-6; Appendices F and G).

This first cut holds what a request needs to link a named person to their consent
position; the consent issue extends it in later migrations.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NOT_SOUGHT = "not_sought", "Not sought"


class ConsentRecord(models.Model):
    status = models.CharField(max_length=20, choices=ConsentStatus.choices)
    subject_name = models.CharField(max_length=200)
    subject_date_of_birth = models.DateField(null=True, blank=True)
    given_to_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="consents_received"
    )
    purposes = models.TextField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents_recorded"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Consent record {self.pk} ({self.get_status_display()})"
