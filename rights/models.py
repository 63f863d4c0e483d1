"""Data-subject rights (`002_…` 3.2): a case for one person, the people named on requests
that the SPOC confirmed are that person, and one task per agency that received their data.

The tables keep the names they had in ``requests_app`` (migration 0001 moved the models, not
the rows)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from isp_portal.limits import TEXT_LENGTH


class RightsKind(models.TextChoices):
    RECTIFY = "rectify", "Rectify inaccurate data"
    ERASE = "erase", "Erase data"
    RESTRICT = "restrict", "Restrict processing"
    ACCESS = "access", "Subject access: find what we hold"


class RightsStatus(models.TextChoices):
    MATCHING = "matching", "Confirm the matching requests"
    IN_PROGRESS = "in_progress", "Waiting for recipients"
    COMPLETE = "complete", "Complete"


class RightsCase(models.Model):
    """An agency learns that data it shared about a person must be rectified, erased or
    restricted; every agency it shared that data with must act on it."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="rights_cases"
    )
    kind = models.CharField(max_length=20, choices=RightsKind.choices)
    status = models.CharField(
        max_length=20, choices=RightsStatus.choices, default=RightsStatus.MATCHING
    )
    person_name = models.CharField(max_length=200)
    person_date_of_birth = models.DateField()
    instructions = models.TextField("what recipients must do", max_length=TEXT_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "requests_app_rightscase"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status"], name="rights_by_agency")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="matching") | Q(confirmed_at__isnull=False),
                name="rights_confirmed_is_dated",
            )
        ]

    def __str__(self) -> str:
        # No personal data: this text can reach logs and error pages.
        return self.reference

    @property
    def reference(self) -> str:
        return f"RC-{self.pk:05d}" if self.pk else "New rights case"


class RightsMatch(models.Model):
    """A person named on a request whom the SPOC confirmed is the person of the case."""

    case = models.ForeignKey(RightsCase, on_delete=models.CASCADE, related_name="matches")
    person = models.ForeignKey(
        "requests_app.NamedPerson", on_delete=models.PROTECT, related_name="+"
    )
    request = models.ForeignKey(
        "requests_app.InformationRequest", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "requests_app_rightsmatch"
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="rights_match_once")]

    def __str__(self) -> str:
        return f"Match {self.pk} on {self.case}"


class RightsTask(models.Model):
    """One recipient agency's work on one request it received data in."""

    case = models.ForeignKey(RightsCase, on_delete=models.CASCADE, related_name="tasks")
    request = models.ForeignKey(
        "requests_app.InformationRequest", on_delete=models.PROTECT, related_name="+"
    )
    recipient_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="rights_tasks"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(blank=True, max_length=TEXT_LENGTH)

    class Meta:
        db_table = "requests_app_rightstask"
        ordering = ["pk"]
        indexes = [models.Index(fields=["recipient_agency", "done_at"], name="rights_task_inbox")]
        constraints = [
            models.UniqueConstraint(fields=["case", "request"], name="rights_task_once"),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(done_by__isnull=False),
                name="rights_task_done_says_who",
            ),
        ]

    def __str__(self) -> str:
        return f"Rights task {self.pk} on {self.case}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
