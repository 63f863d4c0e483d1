"""The agreements register: the protocol and the data sharing agreements under it.

Each row is one major version of an agreement. A substantial amendment (ISP 10) is a new
row, version N+1, which every party signs again; the row it replaces stays in force until
then. A minor amendment changes the row in place as version N.m+1, signed off by the lead
officer. Every version that was fixed (sent for signature or amended) has an immutable
``AgreementVersion`` snapshot of its canonical content and that content's SHA-256; a
signature points at the exact snapshot it signed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import TimescaleUnit
from agreements import lawful_bases
from isp_portal.limits import TEXT_LENGTH


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
    SUPERSEDED = "superseded", "Superseded by a later version"


# In force: requests may be made under it (an agreement under review stays in force while
# its next version is prepared and signed).
IN_FORCE = (AgreementStatus.ACTIVE, AgreementStatus.UNDER_REVIEW)
# Being prepared: only the parties' signatories, SPOCs and administrators see these.
IN_PREPARATION = (AgreementStatus.DRAFT, AgreementStatus.AWAITING_SIGNATURES)
ENDED = (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED, AgreementStatus.SUPERSEDED)

# The one table of allowed status changes; services refuse anything else.
TRANSITIONS: dict[str, frozenset[str]] = {
    AgreementStatus.DRAFT: frozenset({AgreementStatus.AWAITING_SIGNATURES}),
    AgreementStatus.AWAITING_SIGNATURES: frozenset(
        {AgreementStatus.ACTIVE, AgreementStatus.TERMINATED}
    ),
    AgreementStatus.ACTIVE: frozenset(
        {
            AgreementStatus.UNDER_REVIEW,
            AgreementStatus.EXPIRED,
            AgreementStatus.TERMINATED,
            AgreementStatus.SUPERSEDED,
        }
    ),
    AgreementStatus.UNDER_REVIEW: frozenset(
        {
            AgreementStatus.ACTIVE,
            AgreementStatus.EXPIRED,
            AgreementStatus.TERMINATED,
            AgreementStatus.SUPERSEDED,
        }
    ),
    AgreementStatus.EXPIRED: frozenset({AgreementStatus.SUPERSEDED}),
    AgreementStatus.TERMINATED: frozenset(),
    AgreementStatus.SUPERSEDED: frozenset(),
}


class ReviewFrequency(models.IntegerChoices):
    SIX_MONTHS = 6, "Every six months"
    ANNUAL = 12, "Annually"
    TWO_YEARS = 24, "Every two years"


# The Somerset ISA's signatory block (`003_…`), the statement every signatory accepts.
DEFAULT_SIGNATORY_STATEMENT = (
    "By signing this document, I accept that the organisation which I represent will be "
    "bound by any conditions imposed in both this document and in the overarching "
    "Information Sharing Protocol, which this organisation has previously signed."
)


class Agreement(models.Model):
    title = models.CharField(max_length=200)
    reference = models.CharField(
        max_length=40, help_text="Stays the same across versions, for example HAR-DSA-CP-01"
    )
    tier = models.CharField(max_length=20, choices=AgreementTier.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The protocol this agreement is made under, or the agreement a use case is under",
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text="The version this one replaces when it is signed",
    )
    status = models.CharField(
        max_length=30, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    minor_version = models.PositiveIntegerField(default=0)
    lead_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements_led",
        help_text="Responsible for review; its SPOC is the lead officer",
    )
    parties = models.ManyToManyField(
        "accounts.Agency", through="AgreementParty", related_name="agreements", blank=True
    )
    purposes = models.TextField(blank=True, max_length=TEXT_LENGTH)
    benefits = models.TextField(blank=True, max_length=TEXT_LENGTH)
    legislation = models.ManyToManyField(Legislation, blank=True, related_name="agreements")
    data_subjects = models.TextField("data subject categories", blank=True, max_length=TEXT_LENGTH)
    data_items = models.TextField("data to be shared", blank=True, max_length=TEXT_LENGTH)
    special_category = models.BooleanField("special category data is involved", default=False)
    criminal_offence_data = models.BooleanField("criminal offence data is involved", default=False)
    security = models.TextField("security requirements", blank=True, max_length=TEXT_LENGTH)
    transfer = models.TextField("transfer methods", blank=True, max_length=TEXT_LENGTH)
    retention_period_days = models.PositiveIntegerField("retention period (days)", default=365 * 2)
    disposal_method = models.TextField(blank=True, max_length=TEXT_LENGTH)
    review_frequency_months = models.PositiveSmallIntegerField(
        "review frequency", choices=ReviewFrequency.choices, default=ReviewFrequency.ANNUAL
    )
    next_review_on = models.DateField(null=True, blank=True)
    signatory_statement = models.TextField(
        default=DEFAULT_SIGNATORY_STATEMENT, max_length=TEXT_LENGTH
    )
    # The data protection impact assessment (`002_…` §3): whether one was needed, when it
    # was done (or screened out), what it concluded and who owns it. None: not recorded.
    dpia_needed = models.BooleanField("a DPIA was needed", null=True, blank=True)
    dpia_on = models.DateField("date of the DPIA or screening", null=True, blank=True)
    dpia_outcome = models.TextField("DPIA outcome", blank=True, max_length=TEXT_LENGTH)
    dpia_owner = models.CharField("DPIA owner", max_length=250, blank=True)
    # The timescale for urgent requests made under this agreement, when the parties agreed
    # one; otherwise each disclosing agency's own (requests_app.timescales).
    urgent_response_time = models.PositiveSmallIntegerField(
        "timescale for urgent requests",
        null=True,
        blank=True,
        help_text="Leave empty to use each agency's own timescale for urgent requests",
    )
    urgent_response_unit = models.CharField(
        "timescale for urgent requests counted in",
        max_length=20,
        choices=TimescaleUnit.choices,
        blank=True,
        default="",
        db_default="",
    )
    # The review date the lead officer and the CSP lead were last told had passed, so the
    # daily check tells them once per missed review (ISP 10).
    overdue_review_flagged = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField("reason it ended", blank=True, max_length=TEXT_LENGTH)

    history = HistoricalRecords()

    class Meta:
        ordering = ["reference", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["reference", "version"], name="agreement_version_once"),
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(status__in=["active", "under_review"]),
                name="one_version_in_force",
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(status__in=["draft", "awaiting_signatures"]),
                name="one_version_in_preparation",
            ),
            models.CheckConstraint(
                condition=~Q(status="terminated") | ~Q(end_reason=""),
                name="termination_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "awaiting_signatures"])
                | Q(next_review_on__isnull=False),
                name="in_force_has_review_date",
            ),
            models.CheckConstraint(
                condition=(Q(urgent_response_time__isnull=True) & Q(urgent_response_unit=""))
                | (Q(urgent_response_time__gte=1) & ~Q(urgent_response_unit="")),
                name="agreement_urgent_timescale_whole",
            ),
            models.CheckConstraint(
                condition=Q(dpia_needed__isnull=True)
                | (Q(dpia_on__isnull=False) & ~Q(dpia_owner="") & ~Q(dpia_outcome="")),
                name="dpia_recorded_in_full",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_review_on"], name="agreement_review")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def version_label(self) -> str:
        return f"{self.version}.{self.minor_version}"

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE

    @property
    def review_overdue(self) -> bool:
        """In force past its review date: a warning, not a stop (ISP 1.4, 10)."""
        return (
            self.in_force
            and self.next_review_on is not None
            and self.next_review_on < timezone.localdate()
        )

    @property
    def dpia_recorded(self) -> bool:
        return self.dpia_needed is not None

    @property
    def is_draft(self) -> bool:
        return self.status == AgreementStatus.DRAFT


class AgreementParty(models.Model):
    """One agency's part in an agreement: its duties, its own lawful bases, its breach
    contact (`002_…` Appendix A and 2.3; `003_…` 11.5)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="party_rows")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    duties = models.TextField(blank=True, max_length=TEXT_LENGTH)
    breach_contact = models.CharField(
        "breach contact",
        max_length=250,
        blank=True,
        help_text="The information governance team's secure email or phone",
    )
    article6 = models.JSONField("UK GDPR Article 6(1)", default=list, blank=True)
    article9 = models.JSONField("UK GDPR Article 9(2)", default=list, blank=True)
    article10 = models.BooleanField("relies on Article 10 for criminal offence data", default=False)
    dpa_s8 = models.JSONField("DPA 2018 section 8", default=list, blank=True)
    schedule1 = models.JSONField("DPA 2018 Schedule 1 conditions", default=list, blank=True)
    part3 = models.BooleanField(
        "processes for law enforcement under DPA 2018 Part 3", default=False
    )
    schedule8 = models.JSONField("DPA 2018 Schedule 8 conditions", default=list, blank=True)
    basis_notes = models.TextField("notes on the lawful basis", blank=True, max_length=TEXT_LENGTH)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "agency"], name="party_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} in {self.agreement.reference}"

    def clean(self) -> None:
        problems = {}
        for name, vocabulary in lawful_bases.VOCABULARIES.items():
            codes = getattr(self, name)
            known = {code for code, _ in vocabulary}
            if not isinstance(codes, list) or not set(codes) <= known:
                problems[name] = "Choose from the list"
        if self.schedule8 and not self.part3:
            problems["schedule8"] = "Schedule 8 conditions apply only to Part 3 processing"
        if problems:
            raise ValidationError(problems)

    def bases(self) -> dict[str, list[str]]:
        return {
            name: lawful_bases.labels(name, getattr(self, name))
            for name in lawful_bases.VOCABULARIES
        }


class AgreementVersion(models.Model):
    """The canonical content of one version exactly as it was fixed. Never changed."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="versions")
    minor_version = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField("SHA-256 of the canonical content", max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["agreement", "-minor_version"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "minor_version"], name="snapshot_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} {self.agreement.version}.{self.minor_version}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValidationError("A fixed version of an agreement cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValidationError("A fixed version of an agreement cannot be deleted.")


class Signature(models.Model):
    """One party's signature, by its agency signatory, of one exact version."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="signatures")
    signed_version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agreement_signatures"
    )
    # Copied at signing, so the record shows who they were then.
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=120)
    organisation = models.CharField(max_length=200)
    signed_at = models.DateTimeField()
    statement = models.TextField("statement accepted", max_length=TEXT_LENGTH)
    content_hash = models.CharField("SHA-256 of the version signed", max_length=64)

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "agency"], name="one_signature_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} signed {self.agreement.reference}"


class ChangeKind(models.TextChoices):
    CREATED = "created", "First draft"
    EDITED = "edited", "Draft changed"
    SENT = "sent", "Sent for signature"
    MINOR = "minor", "Minor amendment"
    SUBSTANTIAL = "substantial", "Substantial amendment: new version"
    REVIEWED = "reviewed", "Review completed"
    PARTY_JOINED = "party_joined", "New party admitted"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"
    SUPERSEDED = "superseded", "Superseded"


class ChangeLogEntry(models.Model):
    """The version control table of a real agreement (`003_…`): who, who was consulted,
    what changed."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="changes")
    version_label = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    consulted = models.TextField(blank=True, max_length=TEXT_LENGTH)
    what_changed = models.TextField(max_length=TEXT_LENGTH)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.agreement.reference} {self.version_label}: {self.get_kind_display()}"


class JoinStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an administrator"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class JoinApplication(models.Model):
    """ISP Appendix A's "simple form for new signatories"."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="join_applications"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    duties = models.TextField("the duties your organisation would take on", max_length=TEXT_LENGTH)
    reason = models.TextField("why your organisation needs to join", max_length=TEXT_LENGTH)
    breach_contact = models.CharField(max_length=250)
    applied_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=JoinStatus.choices, default=JoinStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=TEXT_LENGTH)

    class Meta:
        ordering = ["-applied_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "agency"],
                condition=Q(status="pending"),
                name="one_pending_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} to join {self.agreement.reference}"
