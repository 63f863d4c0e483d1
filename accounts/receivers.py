"""Sign-in, sign-out and MFA events, and changes to roles, groups and permissions made
outside the officer pages, go to the audit log. Receivers only record."""

from typing import Any

from allauth.account.signals import password_changed, password_reset, user_logged_in
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
)
from allauth.socialaccount.signals import social_account_removed
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from accounts.models import OfficerRole, User
from accounts.services import roles_recorded_by_service
from accounts.sso.signals import sso_sign_in_details
from audit.models import EventType, Outcome
from audit.services import audit_record


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    sociallogin = kwargs.get("sociallogin")
    details = sso_sign_in_details(request, user, sociallogin) if sociallogin else None
    audit_record(event_type=EventType.SIGN_IN, actor=user, http_request=request, details=details)


@receiver(social_account_removed)
def _sso_unlinked(sender: Any, request: Any, socialaccount: Any, **kwargs: Any) -> None:
    """The officer removed the link on allauth's "account connections" page."""
    audit_record(
        event_type=EventType.SSO_LINKED,
        actor=socialaccount.user,
        http_request=request,
        obj=socialaccount.user,
        details={"provider": socialaccount.provider, "change": "removed"},
    )


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


@receiver(authentication_failed)
def _second_factor_failed(
    sender: Any, request: Any, user: User, reauthentication: bool = False, **kwargs: Any
) -> None:
    """A wrong two-factor code, at sign-in or when asked again before an account change."""
    audit_record(
        event_type=EventType.SIGN_IN_FAILED,
        actor=user,
        http_request=request,
        outcome=Outcome.DENIED,
        details={
            "username": user.username,
            "reason": "second factor again" if reauthentication else "second factor",
        },
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


def _permission_labels(permissions: Any) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in permissions.select_related("content_type")
    }


# Each many-to-many that grants access: (the field's name, the model whose set changes, what
# one of them holds). A model permission given to a group is given to all its members.
_M2M: dict[Any, tuple[str, type[Model], Any]] = {
    User.groups.through: ("groups", User, lambda u: set(u.groups.values_list("name", flat=True))),
    User.user_permissions.through: (
        "user_permissions",
        User,
        lambda u: _permission_labels(u.user_permissions.all()),
    ),
    Group.permissions.through: (
        "permissions",
        Group,
        lambda g: _permission_labels(g.permissions.all()),
    ),
}


def _owners(owner_model: type[Model], instance: Any, reverse: bool, pk_set: Any) -> list[Any]:
    """The users or groups whose set the change touches, from either side of the relation
    (``user.groups.add(group)`` or ``group.user_set.add(user)``)."""
    if not reverse:
        return [instance]
    if pk_set is None:
        # A clear from the other side: everyone who holds the instance.
        accessor = "user_set" if owner_model is User else "group_set"
        return list(getattr(instance, accessor).all())
    return list(owner_model._default_manager.filter(pk__in=pk_set))


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
def _access_m2m_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if roles_recorded_by_service():
        return
    field, owner_model, held = _M2M[sender]
    if action.startswith("pre_"):
        owners = _owners(owner_model, instance, reverse, pk_set)
        instance._audit_before = [(owner, held(owner)) for owner in owners]
        return
    for owner, before in getattr(instance, "_audit_before", []):
        _record_access_change(owner, field, before, held(owner))
    instance._audit_before = []


@receiver(pre_delete, sender=Group)
def _group_deleted(sender: Any, instance: Group, **kwargs: Any) -> None:
    # Deleting a group takes it from its members without a many-to-many signal.
    if roles_recorded_by_service():
        return
    for user in instance.user_set.all():
        before = set(user.groups.values_list("name", flat=True))
        _record_access_change(user, "groups", before, before - {instance.name})


def _record_access_change(owner: Any, field: str, before: set[str], after: set[str]) -> None:
    if before == after:
        return
    who = {"officer": owner.username} if isinstance(owner, User) else {"group": owner.name}
    audit_record(
        event_type=EventType.GROUPS_CHANGED,
        obj=owner,
        details={
            **who,
            "field": field,
            "added": sorted(after - before),
            "removed": sorted(before - after),
            "before": sorted(before),
            "after": sorted(after),
        },
    )


# Staff and superuser status open Django admin and every permission: a change made from a
# shell or createsuperuser is recorded like a group change.
_FLAGS = ("is_staff", "is_superuser")


@receiver(pre_save, sender=User)
def _flags_before(sender: Any, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and not set(_FLAGS) & set(update_fields):
        instance._flags_before = None
        return
    stored = User.objects.filter(pk=instance.pk).values(*_FLAGS).first() if instance.pk else None
    instance._flags_before = stored or dict.fromkeys(_FLAGS, False)


@receiver(post_save, sender=User)
def _flags_changed(sender: Any, instance: User, **kwargs: Any) -> None:
    before = getattr(instance, "_flags_before", None)
    if before is None:
        return
    for flag in _FLAGS:
        was, now = bool(before[flag]), bool(getattr(instance, flag))
        if was != now:
            _record_access_change(
                instance, flag, {flag} if was else set(), {flag} if now else set()
            )
    instance._flags_before = None
