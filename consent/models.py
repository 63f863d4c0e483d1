"""Consent records: the ISP Appendix B consent form, and the rules around it.

ISP 5 (consent lasts until withdrawn), ISP 6.1 and Appendix G 4 (when consent is not
sought), Appendix G 2 and 7 (children; a refusal and any decision to proceed are recorded),
Appendix F (the Mental Capacity Act two-stage test).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from isp_portal.limits import TEXT_LENGTH


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NOT_SOUGHT = "not_sought", "Not sought"


class SignerCapacity(models.TextChoices):
    PARENT = "parent", "Parent"
    GUARDIAN = "guardian", "Guardian"
    CARER = "carer", "Carer"
    OTHER = "other", "Other"


class ObtainedBy(models.TextChoices):
    PAPER_FORM = "paper_form", "Signed paper consent form (scan uploaded)"
    IN_PERSON = "in_person", "In person"
    TELEPHONE = "telephone", "By telephone"


class ChildConsentBy(models.TextChoices):
    CHILD = "child", "The child, who is of sufficient age and understanding"
    PARENT_OR_GUARDIAN = "parent_or_guardian", "A parent or guardian"


class NotSoughtGround(models.TextChoices):
    """ISP 6.1; Appendix G 4."""

    LEGAL_DUTY = "legal_duty", "Sharing is required by a statutory duty or a court order"
    RISK_OF_HARM = "risk_of_harm", "Seeking consent would increase the risk of harm to someone"
    PREJUDICE_CRIME = (
        "prejudice_crime",
        "Seeking consent would prejudice the prevention, detection or prosecution "
        "of a serious crime",
    )
    UNJUSTIFIED_DELAY = (
        "unjustified_delay",
        "Seeking consent would cause an unjustified delay in enquiries about serious harm",
    )


class WithdrawalMethod(models.TextChoices):
    IN_WRITING = "in_writing", "In writing"
    IN_PERSON = "in_person", "In person"
    TELEPHONE = "telephone", "By telephone"
    EMAIL = "email", "By email"


# Children are people under 18 (Children Act 1989 s105).
ADULT_AGE = 18


def _scan_name(instance: "ConsentRecord", filename: str) -> str:
    # Generated names: nothing a person typed reaches the filesystem.
    return f"consent-scans/{uuid.uuid4().hex}"


class ConsentRecord(models.Model):
    status = models.CharField(max_length=20, choices=ConsentStatus.choices)

    # The form's references.
    requesting_officer_ref = models.CharField("requesting officer's ref", max_length=60, blank=True)
    disclosing_officer_ref = models.CharField("disclosing officer's ref", max_length=60, blank=True)

    # Who the information is about.
    subject_name = models.CharField(max_length=200)
    subject_address = models.TextField(blank=True, max_length=TEXT_LENGTH)
    subject_date_of_birth = models.DateField(null=True, blank=True)
    subject_age = models.PositiveSmallIntegerField(
        "age when consent was recorded", null=True, blank=True
    )

    # "Is this information about you?" and, if not, in what capacity the signer acts.
    about_signer = models.BooleanField("information is about the person signing", default=True)
    signer_capacity = models.CharField(max_length=20, choices=SignerCapacity.choices, blank=True)
    signer_capacity_other = models.CharField(
        "signer's capacity (other)", max_length=200, blank=True
    )
    reasons_explained = models.BooleanField(
        "reasons for requesting consent explained", null=True, blank=True
    )

    # Scope: "I give: <the agency holding the information> consent to disclose to: <the
    # agency receiving it>", one or more agreements (whose purposes are the stated
    # purposes), and the form's own words. A request relies on the consent only when it is
    # made to the first agency by the second.
    given_to_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="consents_received",
        verbose_name="agency given consent to disclose",
    )
    disclose_to_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="consents_to_receive",
        verbose_name="agency it may disclose to",
    )
    agreements = models.ManyToManyField("agreements.Agreement", related_name="consents", blank=True)
    purposes = models.TextField(max_length=TEXT_LENGTH)
    expires_on = models.DateField(null=True, blank=True)

    # The signer and the witnessing requesting officer.
    signer_name = models.CharField(max_length=200, blank=True)
    signer_address = models.TextField(blank=True, max_length=TEXT_LENGTH)
    signer_date_of_birth = models.DateField(null=True, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    witness_name = models.CharField(max_length=200, blank=True)
    witness_position = models.CharField(max_length=120, blank=True)
    witnessed_on = models.DateField(null=True, blank=True)

    # How consent was obtained.
    obtained_by = models.CharField(max_length=20, choices=ObtainedBy.choices, blank=True)
    telephone_taken_by = models.CharField(
        "officer who took the telephone consent", max_length=200, blank=True
    )
    scan = models.FileField(upload_to=_scan_name, max_length=200, blank=True)
    scan_content_type = models.CharField(max_length=100, blank=True)
    scan_size = models.PositiveIntegerField(null=True, blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True)

    # Children (Appendix G 2).
    child_consent_by = models.CharField(max_length=30, choices=ChildConsentBy.choices, blank=True)
    child_assessment = models.TextField(
        "assessment of the child's age and understanding", blank=True, max_length=TEXT_LENGTH
    )

    # Capacity (Appendix F): the two-stage test, when capacity is in doubt.
    capacity_in_doubt = models.BooleanField(default=False)
    capacity_impairment = models.BooleanField(
        "impairment of, or disturbance in, the mind or brain", null=True, blank=True
    )
    capacity_unable_to_decide = models.BooleanField(
        "unable to make this decision because of it", null=True, blank=True
    )
    capacity_notes = models.TextField(
        "how the ability to decide was assessed", blank=True, max_length=TEXT_LENGTH
    )
    capacity_assessed_by = models.CharField(
        "capacity assessed by (name and position)", max_length=250, blank=True
    )
    capacity_assessed_on = models.DateField(null=True, blank=True)

    # Refusal, and any decision to proceed without consent (Appendix G 7).
    proceed_without_consent = models.BooleanField(null=True, blank=True)
    proceed_reason = models.TextField(blank=True, max_length=TEXT_LENGTH)
    proceed_decided_by = models.CharField(max_length=250, blank=True)
    proceed_decided_on = models.DateField(null=True, blank=True)

    # Not sought (ISP 6.1; Appendix G 4).
    not_sought_ground = models.CharField(max_length=30, choices=NotSoughtGround.choices, blank=True)
    not_sought_reason = models.TextField(blank=True, max_length=TEXT_LENGTH)

    # Withdrawal (ISP 5.1).
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_method = models.CharField(
        max_length=20, choices=WithdrawalMethod.choices, blank=True
    )
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_notes = models.TextField(blank=True, max_length=TEXT_LENGTH)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents_recorded"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[agreements])

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["recorded_by", "status"], name="consent_by_recorder")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="not_sought") | ~Q(not_sought_ground=""),
                name="consent_not_sought_has_ground",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False),
                name="consent_withdrawal_is_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status="given") | ~Q(obtained_by=""),
                name="consent_given_says_how",
            ),
            models.CheckConstraint(
                condition=~Q(obtained_by="telephone") | ~Q(telephone_taken_by=""),
                name="consent_telephone_says_who",
            ),
            models.CheckConstraint(
                condition=~Q(proceed_without_consent=True) | ~Q(proceed_reason=""),
                name="consent_proceeding_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(about_signer=True) | ~Q(signer_capacity=""),
                name="consent_signer_for_another_says_capacity",
            ),
        ]

    def __str__(self) -> str:
        # No personal data: this text can reach logs and error pages.
        return f"{self.reference} ({self.get_status_display()})"

    @property
    def reference(self) -> str:
        return f"CR-{self.pk:05d}" if self.pk else "New consent record"

    @property
    def choice_label(self) -> str:
        """For the officer choosing which record to link to a person they are naming."""
        return f"{self.reference}: {self.subject_name}, {self.get_status_display().lower()}"


class NoticeKind(models.TextChoices):
    OPEN = "open", "Open request: flagged before the decision"
    DECIDED = "decided", "Decided request: for the disclosing agency's review"


class WithdrawalNotice(models.Model):
    """A withdrawal of consent reaching a request that relied on it."""

    request = models.ForeignKey(
        "requests_app.InformationRequest",
        on_delete=models.CASCADE,
        related_name="consent_withdrawals",
    )
    consent = models.ForeignKey(
        ConsentRecord, on_delete=models.PROTECT, related_name="withdrawal_notices"
    )
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    # "Person 2 (witness)": the position on the request, never a name.
    person_label = models.CharField(max_length=120)
    created_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_note = models.TextField(blank=True, max_length=TEXT_LENGTH)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "consent"], name="withdrawal_notice_once"),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True) | Q(reviewed_by__isnull=False),
                name="withdrawal_review_says_who",
            ),
        ]
        indexes = [models.Index(fields=["request", "reviewed_at"], name="notice_by_request")]

    def __str__(self) -> str:
        return f"Consent withdrawal notice {self.pk} on {self.request}"
