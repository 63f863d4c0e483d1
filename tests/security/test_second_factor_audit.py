"""Wrong and throttled two-factor codes at sign-in are in the audit log, like wrong
passwords."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent, EventType, Outcome
from tests.security.conftest import (
    TOTP_SECRET,
    current_code,
    sign_in,
    sign_in_with_second_factor,
)
from tests.world import World

pytestmark = pytest.mark.django_db


def _failures() -> list[tuple[str, str, dict]]:
    return [
        (e.actor_username, e.outcome, e.details)
        for e in AuditEvent.objects.filter(event_type=EventType.SIGN_IN_FAILED).order_by("id")
    ]


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_wrong_second_factor_code_is_a_failed_sign_in(world: World, client: Client) -> None:
    TOTP.activate(world.requester, TOTP_SECRET)
    sign_in(client, "requester")

    response = client.post(reverse("mfa_authenticate"), {"code": _wrong(current_code())})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert _failures() == [
        ("requester", Outcome.DENIED, {"username": "requester", "reason": "second factor"})
    ]


def test_a_throttled_second_factor_attempt_is_a_failed_sign_in(
    world: World, client: Client
) -> None:
    TOTP.activate(world.requester, TOTP_SECRET)
    sign_in(client, "requester")
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": _wrong(current_code())})

    # The right code, refused unchecked: too many wrong ones.
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})

    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    wrong = ("requester", Outcome.DENIED, {"username": "requester", "reason": "second factor"})
    throttled = (
        "requester",
        Outcome.DENIED,
        {"username": "requester", "reason": "second factor throttled"},
    )
    assert _failures() == [wrong] * 5 + [throttled]


def test_a_wrong_code_when_asked_again_is_a_failed_sign_in(world: World, client: Client) -> None:
    TOTP.activate(world.requester, TOTP_SECRET)
    sign_in_with_second_factor(client, "requester")

    client.post(reverse("mfa_reauthenticate"), {"code": _wrong(current_code())})

    assert _failures() == [
        ("requester", Outcome.DENIED, {"username": "requester", "reason": "second factor again"})
    ]
