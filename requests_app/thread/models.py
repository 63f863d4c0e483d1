"""Messages between the two sides of a request, and when each officer last looked at what
changed on their requests."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from isp_portal.limits import MESSAGE_LENGTH


class Side(models.TextChoices):
    REQUESTING = "requesting", "Requesting agency"
    DISCLOSING = "disclosing", "Disclosing agency"


class MessageKind(models.TextChoices):
    MESSAGE = "message", "Message"
    # Asking pauses the clock; the requester's answer restarts it (services.py).
    CLARIFICATION_ASKED = "clarification_asked", "Clarification asked"
    CLARIFICATION_GIVEN = "clarification_given", "Clarification given"


class Message(models.Model):
    """One message. Never edited: at the end of retention its body and files are
    destroyed (``destroyed_at``) and its place in the thread stays."""

    request = models.ForeignKey(
        "requests_app.InformationRequest", on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The side the author wrote for, fixed when sent: who is told, and how it is shown.
    side = models.CharField(max_length=20, choices=Side.choices)
    kind = models.CharField(max_length=30, choices=MessageKind.choices, default=MessageKind.MESSAGE)
    body = models.TextField(max_length=MESSAGE_LENGTH, blank=True)
    sent_at = models.DateTimeField()
    destroyed_at = models.DateTimeField(null=True, blank=True)
    # The form's idempotency token: a second post of the same form (a double click, a
    # browser retry) finds the message the first one sent instead of sending it again.
    post_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["request", "sent_at"], name="message_thread")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body="") | Q(destroyed_at__isnull=False),
                name="message_has_body",
            ),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} on {self.request}"

    @property
    def is_clarification(self) -> bool:
        return self.kind != MessageKind.MESSAGE


class ChangesSeen(models.Model):
    """When this officer last opened "What changed": what came after is new to them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Changes seen by {self.user_id}"
