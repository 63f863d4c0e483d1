"""A sharing decision made without a request through the portal (ISP 1.4; Appendix D rule 7;
Appendix G 9 "all decisions"): shared proactively, decided at a multi-agency meeting, shared
with an organisation that is not a party, or outside any agreement.

Its Appendix G record is a ``Decision`` with no request (``Decision.recorded`` points here),
so the register, the dashboard and the CSV read it with every other decision. This row holds
what a request would otherwise say: the occasion, the agreement and the legislation relied on.
"""

from django.conf import settings
from django.db import models

REFERENCE_PREFIX = "REC"


class Occasion(models.TextChoices):
    PROACTIVE = "proactive", "Shared proactively, without being asked"
    MEETING = "meeting", "Decided at a multi-agency meeting"
    NON_PARTY = "non_party", "Shared with an organisation that is not a party to the protocol"
    OUTSIDE_AGREEMENT = "outside_agreement", "Shared outside any agreement (ISP 1.4)"


# The occasions on which the recipient is a party agency and an agreement is named.
UNDER_AGREEMENT = frozenset({Occasion.PROACTIVE, Occasion.MEETING})


def recorded_reference(pk: int) -> str:
    return f"{REFERENCE_PREFIX}-{pk:05d}"


class RecordedDisclosure(models.Model):
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="recorded_disclosures"
    )
    occasion = models.CharField(max_length=30, choices=Occasion.choices)
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recorded_disclosures",
    )
    legislation = models.ManyToManyField(
        "agreements.Legislation", related_name="recorded_disclosures", blank=True
    )
    legislation_other = models.CharField("other legislation", max_length=250, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["agency", "recorded_at"], name="recorded_by_agency")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return recorded_reference(self.pk) if self.pk else "New recorded disclosure"
