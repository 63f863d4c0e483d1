"""The Request/Disclosure form (ISP Appendix B) and what happens to it."""

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from accounts.models import Agency, ProtectiveMarking
from isp_portal.limits import TEXT_LENGTH

if TYPE_CHECKING:
    from accounts.models import User

# Appendix G 9(b): a line or two, not the information itself.
SUMMARY_LENGTH = 300


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    AWAITING_CLARIFICATION = "awaiting_clarification", "Awaiting clarification"
    REFERRED = "referred", "Referred to designated manager"
    DISCLOSED = "disclosed", "Disclosed"
    PARTIALLY_DISCLOSED = "partially_disclosed", "Partially disclosed"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    RETURNED = "returned", "Returned for destruction"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = frozenset(
    {Status.SUBMITTED, Status.UNDER_REVIEW, Status.AWAITING_CLARIFICATION, Status.REFERRED}
)
DECIDED_STATUSES = frozenset(
    {Status.DISCLOSED, Status.PARTIALLY_DISCLOSED, Status.DECLINED, Status.RETURNED, Status.CLOSED}
)


class PersonRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    INFORMANT = "informant", "Informant"
    WITNESS = "witness", "Witness"
    SUSPECT = "suspect", "Suspect"
    CONVICTED_OFFENDER = "convicted_offender", "Convicted offender"
    OTHER = "other", "Other"


# Victims, informants, witnesses and convicted offenders (the form's "VIW or CO") need
# consent on record or a public-interest reason.
CONSENT_ROLES = frozenset(
    {PersonRole.VICTIM, PersonRole.INFORMANT, PersonRole.WITNESS, PersonRole.CONVICTED_OFFENDER}
)


class ConsentObtained(models.TextChoices):
    YES = "yes", "Yes, consent has been obtained"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable: nobody named is a VIW or CO"


class RequestGroup(models.Model):
    """Requests sent together to several agencies (one form, one signature): each agency's
    request is a request of its own, with its own reference, clock, decision and need to
    know. The group is the requesting side's: nothing of it is shown to a disclosing
    agency (``requests_app/groups.py``)."""

    requesting_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Request group {self.pk}"


class InformationRequest(models.Model):
    """Part A of the form, the workflow state, and the clock."""

    # Who made the change, for simple-history, set by the service that changes it.
    _history_user: "User | None"
    # On a requesting officer's list, the other requests sent with this one (groups.py).
    linked: "list[InformationRequest]"

    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    # Sent with the new-request form: a second post of the same form (a double click, a
    # retry) finds the draft the first one made instead of making another.
    creation_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requests_made"
    )
    requesting_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="requests_made"
    )
    target_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="requests_received"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.PROTECT,
        related_name="requests",
        null=True,
        blank=True,
    )
    # A draft's further agencies to ask the same: when it is sent, each gets a request of
    # its own in the draft's group, and this is emptied (``groups.request_submit_all``).
    also_ask = models.ManyToManyField("accounts.Agency", blank=True, related_name="+")
    group = models.ForeignKey(
        RequestGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    # Part A: the requester's details, copied from their profile when they submit, so the
    # record shows who they were at the time.
    requester_name = models.CharField(max_length=200, blank=True)
    requester_position = models.CharField(max_length=120, blank=True)
    requester_organisation = models.CharField(max_length=250, blank=True)
    requester_address = models.TextField(blank=True, max_length=TEXT_LENGTH)
    requester_phone = models.CharField(max_length=40, blank=True)
    requester_email = models.EmailField(blank=True)

    description = models.TextField(
        "information required and the circumstances that led to this request",
        max_length=TEXT_LENGTH,
    )
    required_by = models.DateField("date information is required by")
    is_urgent = models.BooleanField(default=False)
    urgency_reason = models.TextField(blank=True, max_length=TEXT_LENGTH)
    consent_obtained = models.CharField(
        max_length=20, choices=ConsentObtained.choices, default=ConsentObtained.NOT_APPLICABLE
    )
    public_interest = models.BooleanField(
        "in the public interest to disclose", null=True, blank=True
    )
    public_interest_reason = models.TextField(blank=True, max_length=TEXT_LENGTH)
    legislation = models.ManyToManyField(
        "agreements.Legislation", related_name="requests", blank=True
    )
    legislation_other = models.CharField("other legislation", max_length=250, blank=True)

    # The signature: the officer's typed full name at an authenticated submission.
    declaration_name = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Part B's "date request received": the day it reached the agency, its submission, as
    # on paper. The day a disclosing officer started reviewing it is recorded beside it.
    received_on = models.DateField("date request received", null=True, blank=True)
    review_started_on = models.DateField("date review started", null=True, blank=True)
    # The disclosing officer working on it, while it is open: taken by the officer ("Assign
    # to me") or given by the agency's SPOC or deputy (services.request_assign).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_assigned",
    )
    due_on = models.DateField(null=True, blank=True)
    clock_paused_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True, max_length=TEXT_LENGTH)
    returned_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)
    # When the retention schedule destroyed what identifies people (retention/identifying.py).
    identifying_destroyed_at = models.DateTimeField(null=True, blank=True)
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[legislation])

    class Meta:
        ordering = ["-created_at"]
        permissions = [("see_request", "Can see this request (need to know)")]
        indexes = [
            models.Index(fields=["target_agency", "status", "due_on"], name="req_inbox"),
            models.Index(fields=["requester", "status"], name="req_by_requester"),
            models.Index(fields=["requesting_agency", "status"], name="req_by_agency"),
            # The dashboard counts a period's requests by agency from this index alone.
            models.Index(
                fields=["submitted_at"],
                include=["id", "requesting_agency", "target_agency"],
                name="req_submitted_agencies",
            ),
            # The inbox's first page and the SPOC's overdue warning read open requests in
            # these orders: small partial indexes let them stop after a page.
            models.Index(
                # PostgreSQL sorts nulls last in ascending order, as the inbox asks.
                fields=["target_agency", "-is_urgent", "due_on", "submitted_at"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="req_open_by_urgency",
            ),
            models.Index(
                fields=["target_agency", "due_on", "submitted_at"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="req_open_by_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(reference__isnull=False),
                name="request_submitted_has_reference",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(declaration_name=""),
                name="request_submitted_is_signed",
            ),
            models.CheckConstraint(
                condition=~Q(requesting_agency=models.F("target_agency")),
                name="request_to_another_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"Draft {self.pk}"

    @property
    def label(self) -> str:
        return self.reference or "Draft request"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class NamedPerson(models.Model):
    """A person the request is about. Part A asks for each one's role."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="people")
    full_name = models.CharField(max_length=200)
    address = models.TextField(blank=True, max_length=TEXT_LENGTH)
    date_of_birth = models.DateField(null=True, blank=True)
    role = models.CharField(max_length=30, choices=PersonRole.choices)
    consent = models.ForeignKey(
        "consent.ConsentRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"Person {self.position + 1} on {self.request}"


class ReferenceCounter(models.Model):
    """The last reference number used in a year. Locked when a request is submitted, so
    numbers are unique and leave no gaps, even under concurrent submission."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Outcome(models.TextChoices):
    DISCLOSED = "disclosed", "Disclosed"
    PARTIALLY_DISCLOSED = "partially_disclosed", "Partially disclosed"
    DECLINED = "declined", "Declined"


class ConsentBasis(models.TextChoices):
    CONSENT = "consent", "With consent"
    PUBLIC_INTEREST = "public_interest", "Without consent: public interest"
    LEGITIMATE_PURPOSE = "legitimate_purpose", "Without consent: legitimate purpose"
    LEGAL_DUTY = "legal_duty", "Without consent: legal duty"
    COURT_ORDER = "court_order", "Without consent: court order"


class SubjectInformed(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable (shared with consent)"


class DeliveryMethod(models.TextChoices):
    PORTAL = "portal", "In the portal"
    POST = "post", "Post"
    SECURE_EMAIL = "secure_email", "Secure email"
    FAX = "fax", "Fax"
    TELEPHONE = "telephone", "Telephone"
    IN_PERSON = "in_person", "In person"
    OTHER = "other", "Other"


class InformationType(models.TextChoices):
    """ISP 4.7, exactly: the vocabulary for what type of information was shared
    (App. G 9h), and "Other (state)" with its text in ``information_types_other``."""

    DEMOGRAPHICS = "demographics", "Demographics"
    OFFENDING_HISTORY = "offending_history", "Offending history"
    LIVING_ARRANGEMENTS = "living_arrangements", "Living arrangements"
    FAMILY = "family", "Family and personal relationships"
    STATUTORY_EDUCATION = "statutory_education", "Statutory education"
    LIFESTYLE_CULTURE = "lifestyle_culture", "Lifestyle and cultural factors"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    MENTAL_HEALTH = "mental_health", "Emotional and mental health"
    PERCEPTIONS_OF_SELF = "perceptions_of_self", "Perceptions of self"
    THINKING_BEHAVIOUR = "thinking_behaviour", "Thinking and behaviour"
    ATTITUDES_TO_ENGAGEMENT = (
        "attitudes_to_engagement",
        "Attitudes to engagement in relevant activity",
    )
    MOTIVATION_TO_CHANGE = "motivation_to_change", "Motivation to change"
    OTHER = "other", "Other (state)"


def disclosed_by(officer: "User", agency: Agency) -> dict[str, str]:
    """Part B's "disclosed by" box as the officer signs it: their details and their agency's,
    copied onto the decision so the record stays as signed."""
    return {
        "disclosed_by_name": officer.get_full_name(),
        "disclosed_by_position": officer.position,
        "disclosed_by_organisation": agency.name,
        "disclosed_by_department": officer.department,
        "disclosed_by_address": agency.address,
        "disclosed_by_phone": officer.phone or agency.phone,
        "disclosed_by_email": officer.email,
    }


class Decision(models.Model):
    """Part B of the form, and the Appendix G paragraph 9 decision record."""

    request = models.OneToOneField(
        InformationRequest, on_delete=models.PROTECT, related_name="decision", null=True,
        blank=True,
    )  # fmt: skip
    # A decision made without a request through the portal (requests_app/recorded/): it has
    # no request, and the recorded disclosure says what the request would have.
    recorded = models.OneToOneField(
        "requests_app.RecordedDisclosure", on_delete=models.PROTECT, related_name="decision",
        null=True, blank=True, editable=False,
    )  # fmt: skip
    # Facts taken from the request when the decision is made (none of them changes after),
    # so the register and the dashboard filter and count decisions by agency and timeliness
    # from the decision's own indexes: see ``take_request_facts``.
    disclosing_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", editable=False,
        db_index=False,
    )  # fmt: skip
    # The recipient agency; none for a recorded disclosure to an organisation not a party.
    requesting_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", editable=False,
        db_index=False, null=True, blank=True,
    )  # fmt: skip
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    # Appendix G 9(b), written by the disclosing officer: it reaches the register read by CSP
    # leads, so it names nobody (``rules.names_in_summary``).
    summary = models.CharField("summary of the information (no names)", max_length=SUMMARY_LENGTH)
    decline_reason = models.TextField(blank=True, max_length=TEXT_LENGTH)
    reasons = models.TextField("reasons for the decision", max_length=TEXT_LENGTH)
    information_attached = models.BooleanField(default=False)
    # The content. Deleted (set blank, files removed) when the DLO confirms destruction or
    # retention ends; everything else here is the lasting record.
    information_disclosed = models.TextField(blank=True, max_length=TEXT_LENGTH)
    discloser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions"
    )
    disclosed_by_name = models.CharField(max_length=200)
    disclosed_by_position = models.CharField(max_length=120, blank=True)
    disclosed_by_organisation = models.CharField(max_length=200)
    disclosed_by_department = models.CharField(max_length=120, blank=True)
    disclosed_by_address = models.TextField(blank=True, max_length=TEXT_LENGTH)
    disclosed_by_phone = models.CharField(max_length=40, blank=True)
    disclosed_by_email = models.EmailField(blank=True)
    disclosed_to_name = models.CharField(max_length=200, blank=True)
    disclosed_to_organisation = models.CharField(max_length=250, blank=True)
    disclosed_to_phone = models.CharField(max_length=40, blank=True)
    delivery_method = models.CharField(
        max_length=20, choices=DeliveryMethod.choices, default=DeliveryMethod.PORTAL
    )
    delivery_other = models.CharField(max_length=120, blank=True)
    marking = models.CharField(
        "protective marking", max_length=30, choices=ProtectiveMarking.choices
    )
    consent_basis = models.CharField(max_length=30, choices=ConsentBasis.choices)
    subject_informed = models.CharField(
        "person or family informed", max_length=20, choices=SubjectInformed.choices
    )
    not_informed_reason = models.TextField(blank=True, max_length=TEXT_LENGTH)
    authorised_by = models.CharField("who consented or authorised", max_length=250)
    information_types = models.JSONField(default=list, blank=True)
    information_types_other = models.CharField(
        "other type of information (state)", max_length=250, blank=True
    )
    evidence = models.TextField("evidence the decision rests on", max_length=TEXT_LENGTH)
    third_parties = models.TextField("third parties involved", blank=True, max_length=TEXT_LENGTH)
    checklist = models.JSONField("information sharing checklist answers", default=dict, blank=True)
    signature_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField()
    days_to_decision = models.IntegerField(null=True, editable=False)
    # Null when the request had no due date.
    on_time = models.BooleanField(null=True, editable=False)
    supplied_on = models.DateField("date supplied", null=True, blank=True)
    content_destroyed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        indexes = [
            # The register's order (newest first, id breaking ties) read straight off it.
            # The dashboard's period counts read the decision columns they need from it.
            models.Index(
                fields=["signed_at", "id"],
                include=[
                    "disclosing_agency",
                    "outcome",
                    "consent_basis",
                    "days_to_decision",
                    "on_time",
                ],
                name="decision_signed_id",
            ),
            models.Index(fields=["outcome", "signed_at"], name="decision_outcome"),
            # Each agency's part of the register, newest first, and its counts by outcome
            # and consent read from the index alone.
            models.Index(
                fields=["disclosing_agency", "signed_at", "id"],
                include=["outcome", "consent_basis"],
                name="decision_by_discloser",
            ),
            models.Index(
                fields=["requesting_agency", "signed_at", "id"],
                include=["outcome", "consent_basis"],
                name="decision_by_requester",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="declined") | ~Q(decline_reason=""),
                name="decision_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(subject_informed="no") | ~Q(not_informed_reason=""),
                name="decision_not_informed_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(request__isnull=False, recorded__isnull=True)
                | Q(request__isnull=True, recorded__isnull=False),
                name="decision_on_request_or_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"Decision on {self.request or self.recorded}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.request_id is not None:
            self.take_request_facts()
        super().save(*args, **kwargs)

    def take_request_facts(self) -> None:
        """Copy both agencies and work out the timeliness (bulk inserts, which skip save,
        call this themselves)."""
        request = self.request
        assert request is not None
        self.disclosing_agency_id = request.target_agency_id
        self.requesting_agency_id = request.requesting_agency_id
        self.days_to_decision, self.on_time = decision_timing(
            self.signed_at, request.received_on, request.submitted_at, request.due_on
        )

    @property
    def reference(self) -> str:
        """The request's reference, or the recorded disclosure's."""
        if self.recorded_id is not None:
            return self.recorded.reference  # type: ignore[union-attr]
        return self.request.reference or "" if self.request is not None else ""

    @property
    def disclosure_agreed(self) -> bool:
        return self.outcome != Outcome.DECLINED


class DecisionDraft(models.Model):
    """The decision while the disclosing officer works on it, section by section (the
    task list): each section's answers as the form posted them, keyed by section. It goes
    when the decision is signed or the request is withdrawn; until then it holds what the
    decision will hold, under the request's need to know."""

    request = models.OneToOneField(
        InformationRequest, on_delete=models.CASCADE, related_name="decision_draft"
    )
    answers = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Draft decision on {self.request}"


def decision_timing(
    signed_at: datetime.datetime,
    received_on: datetime.date | None,
    submitted_at: datetime.datetime | None,
    due_on: datetime.date | None,
) -> tuple[int | None, bool | None]:
    """Whole days from the date the request was received (its submission) to the
    decision, and whether the decision came by the due date, both in UK dates."""
    decided_on = timezone.localdate(signed_at)
    started = received_on or (timezone.localdate(submitted_at) if submitted_at else None)
    days = (decided_on - started).days if started is not None else None
    return days, (decided_on <= due_on if due_on is not None else None)


def _storage_name(instance: "Attachment", filename: str) -> str:
    # Generated names: nothing a person typed reaches the filesystem.
    return f"attachments/{uuid.uuid4().hex}"


class AttachmentKind(models.TextChoices):
    REQUEST = "request", "Supporting the request"
    DISCLOSURE = "disclosure", "Information disclosed"
    MESSAGE = "message", "Sent with a message"


class Attachment(models.Model):
    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=_storage_name, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The upload form's idempotency token: a second post of the same form (a double click,
    # a browser retry) finds the file the first one attached instead of attaching it again.
    upload_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # A file sent with a message on the request's thread (kind "message").
    message = models.ForeignKey(
        "requests_app.Message",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="message", message__isnull=False)
                | (~Q(kind="message") & Q(message__isnull=True)),
                name="attachment_message_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"Attachment {self.pk} on {self.request}"


class Referral(models.Model):
    """Referral to the disclosing agency's designated manager / Caldicott Guardian (ISP 4.5)."""

    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="referrals"
    )
    referred_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_received"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(max_length=TEXT_LENGTH)
    referred_at = models.DateTimeField()
    advice = models.TextField(blank=True, max_length=TEXT_LENGTH)
    advised_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["referred_at"]

    def __str__(self) -> str:
        return f"Referral of {self.request}"


class OnwardStatus(models.TextChoices):
    PENDING = "pending", "Awaiting the DLO"
    AGREED = "agreed", "Agreed"
    REFUSED = "refused", "Refused"


class OnwardSharing(models.Model):
    """Consent of the disclosing agency's DLO to pass information to a third party."""

    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="onward_sharing"
    )
    third_party = models.CharField(max_length=250)
    purpose = models.TextField(max_length=TEXT_LENGTH)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=OnwardStatus.choices, default=OnwardStatus.PENDING
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_reason = models.TextField(blank=True, max_length=TEXT_LENGTH)

    history = HistoricalRecords()

    class Meta:
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return f"Onward sharing on {self.request}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Overdue"
    CLARIFICATION = "clarification", "Clarification unanswered"


class SentReminder(models.Model):
    """A reminder the daily job sent (``requests_app.reminders``). ``occasion`` names what it
    was for (the due date, the week overdue, the question and its week), so the same
    reminder is never sent twice however often the job runs."""

    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    occasion = models.CharField(max_length=40)
    sent_at = models.DateTimeField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "occasion"], name="reminder_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder on {self.request}"


class RequestUserPermission(UserObjectPermissionBase):
    """Direct foreign-key guardian permissions: need to know, indexed for list queries."""

    content_object = models.ForeignKey(InformationRequest, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "content_object"], name="reqperm_user")]


class RequestGroupPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(InformationRequest, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["group", "content_object"], name="reqperm_group")]


# Registered with the app here; the model lives with the rest of its topic.
from requests_app.recorded.models import RecordedDisclosure  # noqa: E402, F401

# The thread's models live in their own module; importing them here registers them with the
# app and lets the rest of the app import every model from one place.
from requests_app.thread.models import ChangesSeen, Message, MessageKind, Side  # noqa: E402, F401
