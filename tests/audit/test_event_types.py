"""Every kind of event in the audit vocabulary is written by the action it names. The
events not exercised here are asserted where their action is tested (grep the EventType
member in tests/)."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts import services as officer_services
from accounts.models import Role
from audit.models import AuditEvent, EventType
from requests_app import services
from requests_app.models import AttachmentKind, Status
from tests.agreements.conftest import make_agreement  # noqa: F401  (shared fixture)
from tests.factories import TEST_PASSWORD
from tests.requests_app.conftest import SUSPECT, agreement, make_request  # noqa: F401
from tests.world import World

pytestmark = pytest.mark.django_db


def _events(event_type: EventType) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type))


def _sign_in(client: Client) -> None:
    client.post(reverse("account_login"), {"login": "requester", "password": TEST_PASSWORD})


def test_setting_up_two_factor_is_audited(
    world: World, client: Client, django_capture_on_commit_callbacks
) -> None:
    _sign_in(client)
    # Setting up two-factor asks for the password again first.
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, page.get("Location")
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    # allauth announces the new authenticator once its transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": code})
    assert Authenticator.objects.filter(user=world.requester, type="totp").exists()
    events = _events(EventType.MFA_CHANGED)
    assert {e.actor for e in events} == {world.requester}
    # The TOTP authenticator and the recovery codes allauth generates with it.
    assert sorted(e.details["authenticator"] for e in events) == ["recovery_codes", "totp"]
    assert {e.details["change"] for e in events} == {"added"}
    assert secret not in str([e.details for e in events])


def test_changing_the_password_is_audited(world: World, client: Client) -> None:
    _sign_in(client)
    new = "a-long-and-unusual-passphrase-77"
    client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": new, "password2": new},
    )
    [event] = _events(EventType.PASSWORD_CHANGED)
    assert event.actor == world.requester
    assert new not in str(event.details)


def test_adding_and_changing_an_officer_is_audited(world: World) -> None:
    officer = officer_services.officer_create(
        actor=world.police_spoc,
        agency=world.police,
        username="new.officer",
        first_name="New",
        last_name="Officer",
        email="new.officer@met.police.uk",
        position="Constable",
        roles=[Role.DISCLOSING_OFFICER],
    )
    officer_services.officer_update(actor=world.police_spoc, officer=officer, position="Sergeant")
    [created] = _events(EventType.OFFICER_CREATED)
    [updated] = _events(EventType.OFFICER_UPDATED)
    assert created.details == {"officer": "new.officer", "agency": "MPS"}
    assert updated.details == {
        "officer": "new.officer",
        "fields": ["position"],
        "changes": {"position": {"old": "Constable", "new": "Sergeant"}},
    }


def test_drafting_and_changing_a_request_is_audited(world: World, make_request) -> None:
    draft = make_request(Status.DRAFT)
    services.request_update_draft(
        actor=world.requester,
        request=draft,
        fields={"description": "Changed"},
        people=[SUSPECT],
        legislation=draft.legislation.all(),
    )
    [created] = _events(EventType.REQUEST_CREATED)
    [updated] = _events(EventType.REQUEST_UPDATED)
    assert created.object_id == updated.object_id == str(draft.pk)
    assert SUSPECT.full_name not in str(created.details) + str(updated.details)


def test_downloading_an_attachment_is_audited(world: World, make_request, client: Client) -> None:
    req = make_request(Status.DRAFT)
    services.attachment_add(
        actor=world.requester,
        request=req,
        upload=SimpleUploadedFile("note.txt", b"plain words\n"),
        kind=AttachmentKind.REQUEST,
    )
    req = services.request_submit(
        actor=world.requester, request=req, declaration_name=world.requester.get_full_name()
    )
    client.force_login(world.discloser)
    attachment = req.attachments.get()
    client.get(reverse("requests:download", args=[req.pk, attachment.pk]))
    [event] = _events(EventType.ATTACHMENT_DOWNLOADED)
    assert event.actor == world.discloser
    assert event.request_reference == req.reference
