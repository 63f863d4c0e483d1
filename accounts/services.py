"""Every write to agencies and officers: adding, roles, deactivation."""

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts import imports, permissions
from accounts.models import (
    SINGLE_HOLDER_ROLES,
    Agency,
    OfficerRole,
    Role,
    TermsAcceptance,
    TermsVersion,
    User,
)
from accounts.selectors import terms_current
from audit.models import EventType
from audit.services import audit_record
from isp_portal.idempotency import create_once


def role_group(*, agency: Agency, role: str) -> Group:
    """The guardian group holding everyone with ``role`` at ``agency``.

    Object permissions granted to this group follow people as they join, change role or
    leave, with no per-request bookkeeping.
    """
    group, _ = Group.objects.get_or_create(name=f"{agency.code}:{role}")
    return group


# Set while a service writes roles and groups and records the change itself, with the
# person who made it; the receivers that audit changes made any other way
# (accounts/receivers.py) then leave them alone rather than record them twice.
_recorded_by_service: ContextVar[bool] = ContextVar("_recorded_by_service", default=False)


def roles_recorded_by_service() -> bool:
    return _recorded_by_service.get()


@contextmanager
def _service_records_roles() -> Iterator[None]:
    token = _recorded_by_service.set(True)
    try:
        yield
    finally:
        _recorded_by_service.reset(token)


def _sync_groups(user: User) -> None:
    wanted = (
        {role_group(agency=user.agency, role=r) for r in user.role_set} if user.agency else set()
    )
    current = set(user.groups.filter(name__contains=":"))
    user.groups.remove(*(current - wanted))
    user.groups.add(*(wanted - current))


def _group_names(user: User) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def _labels(roles: Iterable[str]) -> str:
    return ", ".join(Role(r).label for r in sorted(roles))


def _check_role_change(*, actor: User, officer: User, old: set[str], new: set[str]) -> None:
    """Refuse what the table in accounts.permissions does not allow, with its message."""
    problem = permissions.role_change_problem(actor, officer, old, new)
    if problem is None:
        return
    if problem.refused:
        raise PermissionDenied(problem.message)
    raise ValidationError({"roles": problem.message})


def officer_set_roles(
    *, actor: User, officer: User, roles: Iterable[str], http_request: HttpRequest | None = None
) -> None:
    """Give and take away roles, as accounts.permissions.ROLE_GIVEN_BY allows."""
    if not permissions.can_manage_officer(actor, officer):
        raise PermissionDenied
    new_roles = set(roles)
    unknown = new_roles - set(Role.values)
    if unknown:
        raise ValidationError(f"Unknown roles: {', '.join(sorted(unknown))}")
    with transaction.atomic(), _service_records_roles():
        old_roles = set(officer.roles.values_list("role", flat=True))
        if new_roles == old_roles:
            return
        _check_role_change(actor=actor, officer=officer, old=old_roles, new=new_roles)
        for role in SINGLE_HOLDER_ROLES:
            if role in new_roles - old_roles:
                holder = (
                    OfficerRole.objects.select_for_update()
                    .filter(agency=officer.agency, role=role)
                    .exclude(user=officer)
                    .select_related("user")
                    .first()
                )
                if holder is not None:
                    raise ValidationError(
                        {
                            "roles": f"{officer.agency} already has a {Role(role).label}: "
                            f"{holder.user}. Remove it from them first."
                        }
                    )
        old_groups = _group_names(officer)
        officer.roles.filter(role__in=old_roles - new_roles).delete()
        try:
            with transaction.atomic():
                OfficerRole.objects.bulk_create(
                    OfficerRole(user=officer, agency=officer.agency, role=r)
                    for r in sorted(new_roles - old_roles)
                )
        except IntegrityError as exc:
            raise ValidationError(
                {
                    "roles": "Another change to this agency's SPOC or deputy was saved at the "
                    "same time. Reload and try again."
                }
            ) from exc
        officer._role_set = frozenset(new_roles)
        _sync_groups(officer)
        audit_record(
            event_type=EventType.ROLES_CHANGED,
            actor=actor,
            http_request=http_request,
            obj=officer,
            details={
                "officer": officer.username,
                "added": sorted(new_roles - old_roles),
                "removed": sorted(old_roles - new_roles),
                "before": sorted(old_roles),
                "after": sorted(new_roles),
                "groups_before": old_groups,
                "groups_after": _group_names(officer),
            },
        )


def officer_create(
    *,
    actor: User,
    agency: Agency,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    position: str = "",
    department: str = "",
    phone: str = "",
    roles: Iterable[str] = (),
    submission_token: uuid.UUID | None = None,
    http_request: HttpRequest | None = None,
) -> User:
    """Add an officer. They set their password through the emailed reset link. The same
    form posted again (``submission_token``) adds nobody and returns the officer the first
    post added."""
    if not permissions.can_manage_agency(actor, agency):
        raise PermissionDenied

    def create() -> User:
        officer = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            agency=agency,
            position=position,
            department=department,
            phone=phone,
        )
        officer.set_unusable_password()
        officer.full_clean()
        officer.save()
        audit_record(
            event_type=EventType.OFFICER_CREATED,
            actor=actor,
            http_request=http_request,
            obj=officer,
            details={"officer": officer.username, "agency": agency.code},
        )
        officer_set_roles(actor=actor, officer=officer, roles=roles, http_request=http_request)
        return officer

    with transaction.atomic():
        officer, _ = create_once(User, token=submission_token, actor=actor, create=create)
    return officer


# What the officer pages may change about an officer; the username never changes.
EDITABLE_FIELDS = ("first_name", "last_name", "email", "position", "department", "phone")


def officer_update(
    *, actor: User, officer: User, http_request: HttpRequest | None = None, **fields: str
) -> User:
    """Change an officer's details; every changed field is audited with its old and new value."""
    if not permissions.can_manage_officer(actor, officer):
        raise PermissionDenied
    unexpected = set(fields) - set(EDITABLE_FIELDS)
    if unexpected:
        raise TypeError(f"Not editable: {', '.join(sorted(unexpected))}")
    with transaction.atomic():
        # Compared with the row as stored: a ModelForm has already copied the new values onto
        # ``officer`` when it validated, so the object itself would show no change.
        stored = User.objects.select_for_update().get(pk=officer.pk)
        changes = {
            name: {"old": getattr(stored, name), "new": value}
            for name, value in fields.items()
            if getattr(stored, name) != value
        }
        if not changes:
            return officer
        for name, value in fields.items():
            setattr(officer, name, value)
        officer.full_clean()
        officer.save(update_fields=sorted(changes))
        audit_record(
            event_type=EventType.OFFICER_UPDATED,
            actor=actor,
            http_request=http_request,
            obj=officer,
            details={"officer": officer.username, "fields": sorted(changes), "changes": changes},
        )
    return officer


def officer_change(
    *,
    actor: User,
    officer: User,
    roles: Iterable[str],
    http_request: HttpRequest | None = None,
    **fields: str,
) -> None:
    """The officer page's save: the details and the roles are stored together, or neither."""
    with transaction.atomic():
        officer_update(actor=actor, officer=officer, http_request=http_request, **fields)
        officer_set_roles(actor=actor, officer=officer, roles=roles, http_request=http_request)


def officer_end_sessions(*, officer: User) -> int:
    """End every session the officer has, on the server, at once."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    ended = 0
    for session in UserSession.objects.filter(user=officer):
        session.end()
        ended += 1
    # Sessions not yet tracked (none has made a request since sign-in) are found by owner;
    # with a 15-minute idle limit only a few unexpired sessions exist at any time.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(officer.pk):
            session.delete()
            ended += 1
    return ended


def officer_deactivate(
    *, actor: User, officer: User, http_request: HttpRequest | None = None
) -> None:
    """A leaver loses access at once: no sign-in, no live session, no roles."""
    if not permissions.can_manage_officer(actor, officer):
        raise PermissionDenied
    if actor.pk == officer.pk:
        raise ValidationError("You cannot deactivate your own account.")
    kept = permissions.roles_kept_from(actor, officer)
    if kept:
        raise PermissionDenied(
            f"{officer} holds {_labels(kept)}, so only an administrator can deactivate them."
        )
    with transaction.atomic(), _service_records_roles():
        officer.is_active = False
        officer.save(update_fields=["is_active"])
        old_roles = sorted(officer.roles.values_list("role", flat=True))
        old_groups = _group_names(officer)
        officer.roles.all().delete()
        officer._role_set = frozenset()
        _sync_groups(officer)
        ended = officer_end_sessions(officer=officer)
        audit_record(
            event_type=EventType.OFFICER_DEACTIVATED,
            actor=actor,
            http_request=http_request,
            obj=officer,
            details={
                "officer": officer.username,
                "roles_removed": old_roles,
                "groups_removed": sorted(set(old_groups) - set(_group_names(officer))),
                "sessions": ended,
            },
        )


def officer_sessions_end(
    *, actor: User, officer: User, http_request: HttpRequest | None = None
) -> int:
    """An administrator or the officer's SPOC signs the officer out everywhere, at once."""
    if not permissions.can_manage_officer(actor, officer):
        raise PermissionDenied
    with transaction.atomic():
        ended = officer_end_sessions(officer=officer)
        audit_record(
            event_type=EventType.SESSIONS_ENDED,
            actor=actor,
            http_request=http_request,
            obj=officer,
            details={"officer": officer.username, "sessions": ended},
        )
    return ended


def terms_accept(
    *, user: User, version: TermsVersion, http_request: HttpRequest | None = None
) -> TermsAcceptance:
    """Record that ``user`` accepted this version of the terms of use. Accepting twice is
    harmless: the first acceptance stands."""
    with transaction.atomic():
        acceptance, created = TermsAcceptance.objects.get_or_create(
            user=user, version=version, defaults={"accepted_at": timezone.now()}
        )
        if created:
            audit_record(
                event_type=EventType.TERMS_ACCEPTED,
                actor=user,
                http_request=http_request,
                obj=user,
                details={"version": version.version},
            )
    return acceptance


def terms_accept_for_demo(users: Iterable[User]) -> None:
    """Demo accounts have accepted the current terms, so the demo opens on the home page."""
    version = terms_current()
    if version is None:
        return
    for user in users:
        terms_accept(user=user, version=version)


@dataclass(frozen=True)
class ImportResult:
    added: int
    changed: int
    deactivated: int


class ImportOutdated(Exception):
    """The officers changed between the preview and applying it: the preview is no longer
    what would happen."""


def officers_import(
    *,
    actor: User,
    agency: Agency,
    text: str,
    full_list: bool,
    fingerprint: str,
    http_request: HttpRequest | None = None,
) -> ImportResult:
    """Carry out a previewed import (accounts.imports) in one transaction: every officer
    added, changed and deactivated, with their own audit events, or none of them."""
    if not permissions.can_manage_agency(actor, agency):
        raise PermissionDenied
    with transaction.atomic():
        # Locks the agency's officers, so the plan cannot change while it is carried out.
        list(User.objects.select_for_update().filter(agency=agency).values_list("pk", flat=True))
        plan = imports.plan_officer_import(
            actor=actor, agency=agency, text=text, full_list=full_list
        )
        if plan.has_errors or plan.fingerprint != fingerprint:
            raise ImportOutdated
        officers = User.objects.in_bulk([r.officer_id for r in plan.rows if r.officer_id])
        # Leavers first, then officers giving up an SPOC or deputy role, so the new holder
        # can take it in the same import.
        order = {imports.Action.DEACTIVATE: 0, imports.Action.CHANGE: 1, imports.Action.ADD: 2}
        rows = sorted(
            (r for r in plan.rows if r.action in order),
            key=lambda r: (order[r.action], not (set(r.roles_before) - set(r.roles_after))),
        )
        for row in rows:
            if row.action == imports.Action.ADD:
                officer_create(
                    actor=actor,
                    agency=agency,
                    username=row.values["email"],
                    first_name=row.values["first_name"],
                    last_name=row.values["last_name"],
                    email=row.values["email"],
                    position=row.values["position"],
                    phone=row.values["phone"],
                    roles=row.roles_after,
                    http_request=http_request,
                )
                continue
            officer = officers[row.officer_id or 0]
            if row.action == imports.Action.DEACTIVATE:
                officer_deactivate(actor=actor, officer=officer, http_request=http_request)
            else:
                officer_change(
                    actor=actor,
                    officer=officer,
                    roles=row.roles_after,
                    http_request=http_request,
                    **{k: row.values[k] for k in ("first_name", "last_name", "position", "phone")},
                )
    return ImportResult(
        added=plan.count(imports.Action.ADD),
        changed=plan.count(imports.Action.CHANGE),
        deactivated=plan.count(imports.Action.DEACTIVATE),
    )
