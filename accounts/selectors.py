"""Reads of agencies and officers."""

from django.db.models import Prefetch, QuerySet

from accounts.models import Agency, OfficerRole, User


def officers_of_agency(*, agency: Agency) -> QuerySet[User]:
    return (
        User.objects.filter(agency=agency)
        .prefetch_related(Prefetch("roles", queryset=OfficerRole.objects.order_by("role")))
        .order_by("-is_active", "last_name", "first_name")
    )


def active_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(left_on__isnull=True)


def agency_role_holders(*, agency: Agency, role: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, roles__agency=agency, roles__role=role)
