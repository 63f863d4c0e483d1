"""Reads of agencies and officers."""

from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, StringAgg, Subquery, Value
from django.http import HttpRequest
from django.utils import timezone

from accounts import permissions
from accounts.models import Agency, OfficerRole, Role, TermsAcceptance, TermsVersion, User
from audit.models import EventType
from isp_portal.access import Read, get_visible_or_404


def signed_in_officer(user_id: Any) -> User | None:
    """The officer a session belongs to, with their agency and their roles, in one query
    (``User.role_set`` is then answered without another)."""
    roles = (
        OfficerRole.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(codes=StringAgg("role", Value(",")))
        .values("codes")
    )
    user = (
        User.objects.select_related("agency")
        .annotate(role_codes=Subquery(roles))
        .filter(pk=user_id)
        .first()
    )
    if user is not None:
        codes: str = user.role_codes or ""
        user._role_set = frozenset(code for code in codes.split(",") if code)
    return user


def officers_of_agency(*, agency: Agency) -> QuerySet[User]:
    return (
        User.objects.filter(agency=agency)
        .select_related("agency")
        .prefetch_related(Prefetch("roles", queryset=OfficerRole.objects.order_by("role")))
        .order_by("-is_active", "last_name", "first_name")
    )


def get_officer_for(actor: User, pk: int, *, http_request: HttpRequest | None = None) -> User:
    """An officer this person manages; 404 for anyone else, and the attempt is audited.
    Their details shown in answer to a GET are audited as read."""
    return get_visible_or_404(
        User.objects.select_related("agency"),
        pk,
        user=actor,
        http_request=http_request,
        allowed=lambda officer: permissions.can_manage_officer(actor, officer),
        read=Read(EventType.RECORD_VIEWED),
    )


def active_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(left_on__isnull=True)


def designated_managers_of(*, agency_id: int | OuterRef) -> QuerySet[User]:
    """The agency's designated managers / Caldicott Guardians a request can be referred to
    (ISP 4.5)."""
    return User.objects.filter(
        is_active=True, agency_id=agency_id, roles__role=Role.DESIGNATED_MANAGER
    )


def agency_role_holders(*, agency: Agency, role: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, roles__agency=agency, roles__role=role)


def terms_current() -> TermsVersion | None:
    """The terms of use in force: the latest version already published."""
    return TermsVersion.objects.filter(published_at__lte=timezone.now()).first()


def terms_accepted(*, user: User, version: TermsVersion) -> bool:
    return TermsAcceptance.objects.filter(user=user, version=version).exists()
