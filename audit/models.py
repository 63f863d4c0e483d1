"""The append-only, hash-chained audit log."""

from django.conf import settings
from django.db import models


class EventType(models.TextChoices):
    # Accounts
    SIGN_IN = "auth.sign_in", "Signed in"
    SIGN_IN_FAILED = "auth.sign_in_failed", "Failed sign-in"
    SIGN_OUT = "auth.sign_out", "Signed out"
    MFA_CHANGED = "auth.mfa_changed", "Two-factor authentication changed"
    PASSWORD_CHANGED = "auth.password_changed", "Password changed"
    OFFICER_CREATED = "officer.created", "Officer added"
    OFFICER_UPDATED = "officer.updated", "Officer details changed"
    ROLES_CHANGED = "officer.roles_changed", "Roles changed"
    OFFICER_DEACTIVATED = "officer.deactivated", "Officer deactivated"
    SESSIONS_ENDED = "officer.sessions_ended", "Sessions ended"
    TERMS_ACCEPTED = "officer.terms_accepted", "Terms of use accepted"
    # Requests
    REQUEST_CREATED = "request.created", "Request drafted"
    REQUEST_UPDATED = "request.updated", "Draft changed"
    REQUEST_TRANSITION = "request.transition", "Request status changed"
    REQUEST_DECIDED = "request.decided", "Decision recorded"
    REQUEST_ASSIGNED = "request.assigned", "Request assigned"
    REQUEST_VIEWED = "request.viewed", "Request viewed"
    ATTACHMENT_DOWNLOADED = "request.attachment_downloaded", "Attachment downloaded"
    PDF_DOWNLOADED = "pdf.downloaded", "PDF downloaded"
    ONWARD_SHARING = "request.onward_sharing", "Onward sharing asked or answered"
    ACCESS_DENIED = "access.denied", "Access refused"
    # A breach, rights case, officer or join application shown (requests and consent
    # records have their own); the object column says which.
    RECORD_VIEWED = "record.viewed", "Record viewed"
    # Consent
    CONSENT_RECORDED = "consent.recorded", "Consent recorded"
    CONSENT_WITHDRAWN = "consent.withdrawn", "Consent withdrawn"
    CONSENT_VIEWED = "consent.viewed", "Consent viewed"
    # Agreements
    AGREEMENT_CHANGED = "agreement.changed", "Agreement changed"
    AGREEMENT_SIGNED = "agreement.signed", "Agreement signed"
    # Audit and oversight
    EXPORT = "audit.export", "Export downloaded"
    BREACH_REPORTED = "breach.reported", "Breach reported"
    BREACH_UPDATED = "breach.updated", "Breach decision recorded"
    DISPOSAL = "retention.disposal", "Information destroyed"
    RIGHTS_CASE = "rights.case", "Data-subject rights case changed"
    RIGHTS_TASK = "rights.task", "Data-subject rights task done"
    SUBJECT_ACCESS = "rights.subject_access", "Subject access search"
    # Accounts, written after the rest: changes made outside the officer pages
    ROLES_CHANGED_DIRECTLY = "officer.roles_changed_directly", "Roles changed outside the portal"
    GROUPS_CHANGED = "officer.groups_changed", "Groups or permissions changed"
    # A list or search page shown: which list, the filters, and what its rows were.
    LIST_VIEWED = "list.viewed", "List viewed"
    # Single sign-on: an organisation account linked to an officer, an agency's settings.
    SSO_LINKED = "auth.sso_linked", "Organisation account linked or unlinked"
    SSO_SETTINGS_CHANGED = "agency.sso_changed", "Single sign-on settings changed"
    # The API for case-management systems: a client made or revoked, a token issued.
    API_CLIENT_CHANGED = "api.client_changed", "API client made or revoked"
    API_TOKEN_ISSUED = "api.token_issued", "API access token issued"
    # A request's message thread: a message written, the thread shown.
    MESSAGE_SENT = "request.message_sent", "Message sent"
    MESSAGES_VIEWED = "request.messages_viewed", "Messages viewed"
    # The daily job reminded someone of a request (requests_app.reminders).
    REQUEST_REMINDED = "request.reminded", "Reminder sent"


class Outcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    DENIED = "denied", "Denied"


class AuditEvent(models.Model):
    """One thing that happened. Rows are never updated or deleted: the portal's database
    role may only insert and read them, and database triggers refuse any change.

    ``hash`` is an HMAC over this row's content and ``prev_hash`` with the key ``key_id``
    names: the event's seal, written with it. Events are recorded without waiting for one
    another, with an empty ``prev_hash``; the sequencer (``audit.sequencer``) then gives
    each committed event its place in the chain, a ``ChainLink``. Events recorded before
    the sequencer existed were chained as they were written: their ``prev_hash`` is the
    previous event's hash, and their link repeats it. ``verify_audit_chain`` recomputes
    every seal and link with the configured keys, so an edit, a deletion or an insertion
    anywhere shows.
    """

    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_username = models.CharField(max_length=150, blank=True)
    actor_agency = models.CharField(max_length=20, blank=True, db_index=True)
    actor_roles = models.JSONField(default=list)
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    request_reference = models.CharField(max_length=20, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.ALLOWED)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict)
    # Which configured key signed ``hash`` (settings.AUDIT_HMAC_KEY_ID when it was written),
    # so keys can be rotated and older events still verify.
    key_id = models.CharField(max_length=20)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["request_reference", "-id"], name="audit_by_reference"),
            models.Index(fields=["actor", "-id"], name="audit_by_actor"),
            models.Index(fields=["event_type", "-id"], name="audit_by_type"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.event_type} {self.actor_username}"


class ChainLink(models.Model):
    """An event's place in the chain, written once by the sequencer after the event
    committed: ``hash`` is the HMAC of the event's content and ``prev_hash``, the hash of
    the link before it (``seq - 1``). Append-only like the events: the portal's database
    role may only insert and read links, and triggers refuse any change.
    """

    seq = models.BigIntegerField(primary_key=True)
    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="link")
    # The key that computed ``hash``: the sequencer's, which may be newer than the event's.
    key_id = models.CharField(max_length=20)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"{self.seq}: event {self.event_id}"
