"""Sign-in, sign-out and MFA events, and changes to roles, groups and permissions made
outside the officer pages, go to the audit log. Receivers only record."""

from typing import Any

from allauth.account.signals import password_changed, password_reset, user_logged_in
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts.models import OfficerRole, User
from accounts.services import roles_recorded_by_service
from audit.models import EventType, Outcome
from audit.services import audit_record


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    audit_record(event_type=EventType.SIGN_IN, actor=user, http_request=request)


@receiver(user_login_failed)
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    # Only the username typed is kept, never the password.
    audit_record(
        event_type=EventType.SIGN_IN_FAILED,
        http_request=request,
        outcome=Outcome.DENIED,
        details={"username": str(credentials.get("username", ""))[:150]},
    )


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        # Set by SessionLimitsMiddleware when the portal, not the person, ended the session.
        reason = getattr(request, "portal_session_end_reason", None)
        audit_record(
            event_type=EventType.SIGN_OUT,
            actor=user,
            http_request=request,
            details={"reason": reason} if reason else None,
        )


@receiver(password_changed)
@receiver(password_reset)
def _password_changed(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    audit_record(event_type=EventType.PASSWORD_CHANGED, actor=user, http_request=request)


_MFA_CHANGES = {authenticator_added: "added", authenticator_removed: "removed"}


@receiver(authenticator_added)
@receiver(authenticator_removed)
@receiver(authenticator_reset)
def _mfa_changed(sender: Any, request: Any, user: User, authenticator: Any, **kwargs: Any) -> None:
    audit_record(
        event_type=EventType.MFA_CHANGED,
        actor=user,
        http_request=request,
        details={
            "authenticator": str(authenticator.type),
            "change": _MFA_CHANGES.get(kwargs["signal"], "reset"),
        },
    )


# Roles, groups and permissions decide what an officer sees. The officer pages change them
# through accounts.services, which checks the rules and records who did it. The receivers
# below exist only so that a change made any other way (a shell, a script, a management
# command, a future admin page) still leaves an event in the chain; they check nothing and
# change nothing, because a signal cannot know who is acting or refuse cleanly.


@receiver(post_save, sender=OfficerRole)
@receiver(post_delete, sender=OfficerRole)
def _role_changed_directly(sender: Any, instance: OfficerRole, **kwargs: Any) -> None:
    if roles_recorded_by_service():
        return
    if kwargs["signal"] is post_delete:
        change = "removed"
    else:
        change = "added" if kwargs.get("created") else "saved"
    user = instance.user
    audit_record(
        event_type=EventType.ROLES_CHANGED_DIRECTLY,
        obj=user,
        details={
            "officer": user.username,
            "agency": instance.agency.code,
            change: [instance.role],
            "after": sorted(OfficerRole.objects.filter(user=user).values_list("role", flat=True)),
        },
    )


_M2M_FIELDS = {User.groups.through: "groups", User.user_permissions.through: "user_permissions"}


def _label(field: str, obj: Any) -> str:
    if field == "groups":
        return str(obj.name)
    return f"{obj.content_type.app_label}.{obj.codename}"


def _related(field: str, queryset: Any) -> Any:
    return queryset if field == "groups" else queryset.select_related("content_type")


def _held(user: User, field: str) -> set[str]:
    return {_label(field, obj) for obj in _related(field, getattr(user, field).all())}


def _record_m2m(user: User, field: str, before: set[str], after: set[str]) -> None:
    if before == after:
        return
    audit_record(
        event_type=EventType.GROUPS_CHANGED,
        obj=user,
        details={
            "officer": user.username,
            "field": field,
            "added": sorted(after - before),
            "removed": sorted(before - after),
            "before": sorted(before),
            "after": sorted(after),
        },
    )


@receiver(m2m_changed)
def _groups_or_permissions_changed(
    sender: Any,
    instance: Model,
    action: str,
    reverse: bool,
    model: type[Model],
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    field = _M2M_FIELDS.get(sender)
    if field is None or roles_recorded_by_service():
        return
    # From the user's side (user.groups.add) or the group's (group.user_set.add).
    if action == "pre_clear":
        users = list(instance.user_set.all()) if reverse else [instance]  # type: ignore[attr-defined]
        instance._audit_before_clear = [(u, _held(u, field)) for u in users]  # type: ignore[attr-defined]
        return
    if action == "post_clear":
        for user, before in getattr(instance, "_audit_before_clear", []):
            _record_m2m(user, field, before, _held(user, field))
        return
    if action not in {"post_add", "post_remove"} or not pk_set:
        return
    if reverse:
        users = list(User.objects.filter(pk__in=pk_set))
        labels = {_label(field, instance)}
    else:
        users = [instance]  # type: ignore[list-item]
        changed = _related(field, model._default_manager.filter(pk__in=pk_set))
        labels = {_label(field, obj) for obj in changed}
    for user in users:
        after = _held(user, field)
        before = after - labels if action == "post_add" else after | labels
        _record_m2m(user, field, before, after)
