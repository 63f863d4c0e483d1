"""Reads of the agencies' sign-on settings."""

from accounts.sso.models import AgencySignOn


def sign_ons_offered() -> list[AgencySignOn]:
    """The providers offered on the sign-in page: enabled, of agencies still in the
    protocol, by agency name."""
    return list(
        AgencySignOn.objects.filter(enabled=True, agency__left_on__isnull=True)
        .select_related("agency")
        .order_by("agency__name")
    )


def sign_on_for_provider(provider_id: str) -> AgencySignOn | None:
    """The settings behind an allauth provider id, enabled or not."""
    return AgencySignOn.objects.select_related("agency").filter(provider_id=provider_id).first()
