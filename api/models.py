"""An API client: a case-management system of one agency, acting for one named officer."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from oauth2_provider.models import Application

from isp_portal.limits import LINE_LENGTH


class ApiClient(models.Model):
    """The OAuth 2.0 application a case-management system signs in as, the agency it
    belongs to, and the officer it acts for. The officer's account and roles decide what
    it may do and see; ``scopes`` narrow that further. Made and revoked by an
    administrator only (``api.services``), each step audited."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="api_client"
    )
    name = models.CharField(max_length=LINE_LENGTH)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_clients"
    )
    # Space-separated, as OAuth 2.0 writes scopes; each one of settings.API_SCOPES.
    scopes = models.CharField(max_length=LINE_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agency", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def is_usable(self) -> bool:
        """Not revoked, and its officer still an active officer of its agency."""
        officer = self.officer
        return self.revoked_at is None and officer.is_active and officer.agency_id == self.agency_id

    def clean(self) -> None:
        problems: dict[str, list[str]] = {}
        unknown = sorted(set(self.scope_list) - set(settings.API_SCOPES))
        if not self.scope_list:
            problems["scopes"] = ["Give the client at least one scope"]
        elif unknown:
            problems["scopes"] = [f"Unknown scope: {', '.join(unknown)}"]
        if self.officer_id is not None and self.agency_id is not None:
            if not self.officer.is_active:
                problems["officer"] = ["The officer must be active"]
            elif self.officer.agency_id != self.agency_id:
                problems["officer"] = ["The officer must belong to the client's agency"]
        if problems:
            raise ValidationError(problems)
