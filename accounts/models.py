"""Partner agencies and the officers who work for them."""

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from isp_portal.limits import TEXT_LENGTH


class AgencyKind(models.TextChoices):
    COUNCIL = "council", "Council"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    FIRE = "fire", "Fire and rescue"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing provider"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class ProtectiveMarking(models.TextChoices):
    OFFICIAL = "OFFICIAL", "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"
    SECRET = "SECRET", "SECRET"


class TimescaleUnit(models.TextChoices):
    """How an agreed timescale for urgent requests is counted."""

    WORKING_DAYS = "working_days", "working days"
    HOURS = "hours", "hours"


class Agency(models.Model):
    """A partner organisation that has signed (or left) the protocol."""

    name = models.CharField(max_length=200, unique=True)
    code = models.SlugField(
        "short code", max_length=20, unique=True, help_text="For example MPS or LBH"
    )
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    address = models.TextField(blank=True, max_length=TEXT_LENGTH)
    phone = models.CharField(max_length=40, blank=True)
    secure_email_domain = models.CharField(
        max_length=120, blank=True, help_text="For example met.police.uk"
    )
    default_marking = models.CharField(
        "default protective marking",
        max_length=30,
        choices=ProtectiveMarking.choices,
        default=ProtectiveMarking.OFFICIAL_SENSITIVE,
    )
    response_working_days = models.PositiveSmallIntegerField(
        "agreed response timescale (working days)", default=10
    )
    # Urgent requests have their own, shorter timescale (requests_app.timescales); an
    # agreement may set its own instead.
    # Defaults in the database too, so rows written without them (older code, migration
    # tests at earlier states) get the same timescale.
    urgent_response_time = models.PositiveSmallIntegerField(
        "agreed timescale for urgent requests", default=1, db_default=1
    )
    urgent_response_unit = models.CharField(
        "counted in",
        max_length=20,
        choices=TimescaleUnit.choices,
        default=TimescaleUnit.WORKING_DAYS,
        db_default=TimescaleUnit.WORKING_DAYS,
    )
    joined_on = models.DateField("joined the protocol")
    left_on = models.DateField("left the protocol", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="agency_left_after_joined",
            ),
            models.CheckConstraint(
                condition=Q(response_working_days__gte=1), name="agency_timescale_positive"
            ),
            models.CheckConstraint(
                condition=Q(urgent_response_time__gte=1), name="agency_urgent_timescale_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    REQUESTING_OFFICER = "requester", "Requesting officer"
    DISCLOSING_OFFICER = "discloser", "Disclosing officer"
    SPOC = "spoc", "Single Point of Contact (SPOC)"
    DEPUTY_SPOC = "deputy_spoc", "Deputy SPOC"
    DLO = "dlo", "Designated Liaison Officer"
    DESIGNATED_MANAGER = "designated_manager", "Designated manager / Caldicott Guardian"
    CSP_LEAD = "csp_lead", "CSP lead (auditor)"
    SIGNATORY = "signatory", "Agency signatory"
    ADMINISTRATOR = "administrator", "Administrator"


# Roles that see requests for their agency as a whole (its inbox and its requesters' requests).
AGENCY_OVERSIGHT_ROLES = frozenset({Role.SPOC, Role.DEPUTY_SPOC})
# Roles of which an agency has at most one holder (ISP 8.1).
SINGLE_HOLDER_ROLES = (Role.SPOC, Role.DEPUTY_SPOC)


class User(AbstractUser):
    """An officer of a partner agency. The profile lives on the user: one row, no joins."""

    # The access flags as stored before a save (accounts/receivers.py audits a change).
    _flags_before: dict[str, Any] | None

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="officers", null=True, blank=True
    )
    position = models.CharField(max_length=120, blank=True)
    department = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | Q(is_superuser=True),
                name="officer_has_agency",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def home_agency(self) -> Agency:
        """The officer's agency. Only an administrator without content roles has none, and
        asking for it on their behalf is a programming error, not a missing value."""
        if self.agency is None:
            raise LookupError("this account belongs to no agency")
        return self.agency

    @property
    def role_set(self) -> frozenset[str]:
        """The officer's roles, loaded once per request."""
        cached = getattr(self, "_role_set", None)
        if cached is None:
            prefetched = getattr(self, "_prefetched_objects_cache", {}).get("roles")
            if prefetched is not None:
                cached = frozenset(r.role for r in prefetched)
            elif self.pk:
                cached = frozenset(self.roles.values_list("role", flat=True))
            else:
                cached = frozenset()
            self._role_set = cached
        return cached

    def has_role(self, role: str) -> bool:
        return role in self.role_set


class OfficerRole(models.Model):
    """One role held by one officer at their agency."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="role_holders")
    role = models.CharField(max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="officer_role_once"),
            models.UniqueConstraint(
                fields=["agency", "role"],
                condition=Q(role__in=["spoc", "deputy_spoc"]),
                name="one_spoc_and_one_deputy_per_agency",
            ),
        ]
        indexes = [models.Index(fields=["agency", "role"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} at {self.agency.code}"


class TermsVersion(models.Model):
    """One published text of the user acceptance agreement (ISP 8.8). Never edited: a
    change of wording is a new version, which every officer accepts again."""

    version = models.PositiveIntegerField(unique=True)
    text = models.TextField(max_length=TEXT_LENGTH)
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "-version"]

    def __str__(self) -> str:
        return f"Terms of use, version {self.version}"


class TermsAcceptance(models.Model):
    """An officer accepted one version of the terms, at a time."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="terms_acceptances")
    version = models.ForeignKey(TermsVersion, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="terms_accepted_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} accepted version {self.version.version}"


# Single sign-on settings live with the rest of single sign-on (accounts.sso).
from accounts.sso.models import AgencySignOn  # noqa: E402, F401
