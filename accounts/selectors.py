"""Reads of agencies and officers."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import Agency, OfficerRole, TermsAcceptance, TermsVersion, User


def officers_of_agency(*, agency: Agency) -> QuerySet[User]:
    return (
        User.objects.filter(agency=agency)
        .select_related("agency")
        .prefetch_related(Prefetch("roles", queryset=OfficerRole.objects.order_by("role")))
        .order_by("-is_active", "last_name", "first_name")
    )


def active_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(left_on__isnull=True)


def agency_role_holders(*, agency: Agency, role: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, roles__agency=agency, roles__role=role)


def terms_current() -> TermsVersion | None:
    """The terms of use in force: the latest version already published."""
    return TermsVersion.objects.filter(published_at__lte=timezone.now()).first()


def terms_accepted(*, user: User, version: TermsVersion) -> bool:
    return TermsAcceptance.objects.filter(user=user, version=version).exists()
