"""Copy this request (ISP 9.6): a new draft from an earlier request, with its people,
description and legislation, and never its decision, disclosure, files or stale consent."""

import re
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from agreements.models import Legislation
from audit.models import AuditEvent, EventType
from requests_app import groups, services
from requests_app.models import ConsentObtained, InformationRequest, PersonRole, Status
from requests_app.selectors import requests_visible_to
from requests_app.services import PersonData
from tests.consent.conftest import ConsentFactory
from tests.requests_app.conftest import SUSPECT, request_fields
from tests.world import World

pytestmark = pytest.mark.django_db


def _copy(client: Client, req: InformationRequest, token: str | None = None):
    return client.post(
        reverse("requests:copy", args=[req.pk]), {"copy_token": token or str(uuid.uuid4())}
    )


def test_copy_starts_a_draft_with_the_people_description_and_legislation_only(
    world: World, make_request, client: Client
) -> None:
    source = make_request(Status.DISCLOSED)
    client.force_login(world.requester)
    page = client.get(reverse("requests:detail", args=[source.pk])).content.decode()
    found = re.search(r'name="copy_token" value="([0-9a-f-]{36})"', page)
    assert found, "the request page offers no copy"
    token = found.group(1)
    response = _copy(client, source, token)
    copy = InformationRequest.objects.exclude(pk=source.pk).get()
    assert response["Location"] == reverse("requests:edit", args=[copy.pk])
    assert copy.status == Status.DRAFT and copy.reference is None
    assert copy.requester == world.requester and copy.target_agency == world.police
    assert copy.description == source.description
    assert copy.agreement == source.agreement
    assert [(p.full_name, p.role, p.date_of_birth) for p in copy.people.all()] == [
        (SUSPECT.full_name, SUSPECT.role, SUSPECT.date_of_birth)
    ]
    assert list(copy.legislation.all()) == list(source.legislation.all())
    # Never the decision, the disclosure, the files or the public-interest judgement.
    assert not hasattr(copy, "decision") or copy.decision is None
    assert not copy.attachments.exists()
    assert copy.public_interest is None and copy.public_interest_reason == ""
    assert copy.submitted_at is None and copy.due_on is None and copy.group_id is None
    event = AuditEvent.objects.filter(event_type=EventType.REQUEST_CREATED).latest("pk")
    assert event.details["copied_from"] == source.reference
    # A second press of the same button opens the same draft.
    assert _copy(client, source, token)["Location"] == response["Location"]
    assert InformationRequest.objects.count() == 2


def test_a_copy_is_seen_only_by_the_requesting_side_like_any_draft(
    world: World, make_request
) -> None:
    source = make_request(Status.DECLINED)
    copy = groups.request_copy(actor=world.requester, source=source, token=uuid.uuid4())
    for name, user in world.users.items():
        sees = copy in set(requests_visible_to(user))
        assert sees == (name in {"requester", "council_spoc", "council_deputy"}), name


def test_copy_keeps_a_consent_only_while_it_still_covers_the_request(
    world: World, agreement
) -> None:
    given = ConsentFactory.create(
        given_to_agency=world.police, recorded_by=world.requester, agreements=[agreement]
    )
    refused = ConsentFactory.create(
        status="refused",
        given_to_agency=world.police,
        recorded_by=world.requester,
        proceed_without_consent=True,
        proceed_reason="Risk of serious harm",
        proceed_decided_by="DS Carter",
    )
    source = services.request_create_draft(
        actor=world.requester,
        fields=request_fields(world, agreement, consent_obtained=ConsentObtained.YES),
        people=[
            PersonData(full_name="Alex Example", role=PersonRole.VICTIM, consent_id=given.pk),
            PersonData(full_name="Sam Example", role=PersonRole.WITNESS, consent_id=refused.pk),
        ],
        legislation=Legislation.objects.filter(code="cda-s1"),
    )
    source = services.request_submit(
        actor=world.requester, request=source, declaration_name=world.requester.get_full_name()
    )
    copy = groups.request_copy(actor=world.requester, source=source, token=uuid.uuid4())
    assert [p.consent_id for p in copy.people.all()] == [given.pk, None]
    assert copy.consent_obtained == ConsentObtained.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("requester", 302),
        ("council_spoc", 403),  # sees it, but makes no requests
        ("council_colleague", 404),  # makes requests, but may not see this one
        ("discloser", 403),
        ("police_colleague", 404),  # a requesting officer of the disclosing agency
        ("outsider", 404),
    ],
)
def test_only_a_requesting_officer_of_the_requesting_agency_may_copy(
    world: World, make_request, username: str, status: int
) -> None:
    source = make_request(Status.SUBMITTED)
    client = Client()
    client.force_login(world.users[username])
    assert _copy(client, source).status_code == status
    assert InformationRequest.objects.count() == (2 if status == 302 else 1)
    if status != 302:
        with pytest.raises(PermissionDenied):
            groups.request_copy(actor=world.users[username], source=source, token=uuid.uuid4())
