"""Requests in every state, reached through the services, for workflow and matrix tests."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from agreements.forms import CHECKLIST
from agreements.models import Agreement, Legislation
from requests_app import services
from requests_app.models import (
    Attachment,
    ConsentBasis,
    InformationRequest,
    Outcome,
    PersonRole,
    Status,
    SubjectInformed,
)
from requests_app.services import PersonData
from tests.agreements.conftest import make_agreement  # noqa: F401  (shared fixture)
from tests.world import World


@pytest.fixture
def agreement(world: World, make_agreement) -> Agreement:
    """An active agreement signed by the council, the police and the health trust."""
    return make_agreement(parties=("council", "police", "health"))


def request_fields(world: World, agreement: Agreement, **overrides: object) -> dict:
    fields = {
        "target_agency": world.police,
        "agreement": agreement,
        "description": "Previous ASB incidents at the address, to support an injunction.",
        "required_by": timezone.localdate() + datetime.timedelta(days=30),
        "is_urgent": False,
        "urgency_reason": "",
        "consent_obtained": "not_applicable",
        "public_interest": True,
        "public_interest_reason": "Serious ongoing harm to neighbours.",
        "legislation_other": "",
    }
    fields.update(overrides)
    return fields


SUSPECT_DOB = datetime.date(1990, 5, 17)
SUSPECT = PersonData(
    full_name="Jordan Example",
    role=PersonRole.SUSPECT,
    address="1 Example Road, London N17",
    date_of_birth=SUSPECT_DOB,
)


def decision_fields(actor: User, **overrides: object) -> dict:
    fields: dict[str, Any] = {
        "outcome": Outcome.DISCLOSED,
        "summary": "Recorded criminal damage at an address, for an ASB case",
        "decline_reason": "",
        "reasons": "Necessary and proportionate to prevent further ASB.",
        "information_disclosed": "Three recorded incidents of criminal damage in 2026.",
        "information_types": ["offending_history"],
        "delivery_method": "portal",
        "delivery_other": "",
        "marking": "OFFICIAL-SENSITIVE",
        "consent_basis": ConsentBasis.PUBLIC_INTEREST,
        "subject_informed": SubjectInformed.NO,
        "not_informed_reason": "Informing would prejudice the investigation.",
        "authorised_by": "DS Carter under the protocol",
        "evidence": "CRIS reports 1234 and 5678",
        "third_parties": "",
        "signature_name": actor.get_full_name(),
        "checklist": {key: True for key, _ in CHECKLIST},
    }
    fields.update(overrides)
    return fields


def build_request(
    world: World, agreement: Agreement, state: str = Status.DRAFT, **overrides: object
) -> InformationRequest:
    """Drive a request through the real services to the state asked for."""
    legislation = Legislation.objects.filter(code="cda-s1")
    req = services.request_create_draft(
        actor=world.requester,
        fields=request_fields(world, agreement, **overrides),
        people=[SUSPECT],
        legislation=legislation,
    )
    if state == Status.DRAFT:
        return req
    req = services.request_submit(
        actor=world.requester, request=req, declaration_name=world.requester.get_full_name()
    )
    if state == Status.SUBMITTED:
        return req
    if state == Status.WITHDRAWN:
        return services.request_withdraw(actor=world.requester, request=req, reason="")
    req = services.request_start_review(actor=world.discloser, request=req)
    if state == Status.UNDER_REVIEW:
        return req
    if state == Status.AWAITING_CLARIFICATION:
        services.request_ask_clarification(
            actor=world.discloser, request=req, question="Which address?"
        )
        return InformationRequest.objects.get(pk=req.pk)
    if state == Status.REFERRED:
        services.request_refer(
            actor=world.discloser,
            request=req,
            manager=world.police_manager,
            reason="Medical information held in confidence",
        )
        return InformationRequest.objects.get(pk=req.pk)
    outcome = Outcome.DECLINED if state == Status.DECLINED else Outcome.DISCLOSED
    extra = {"decline_reason": "Not proportionate"} if outcome == Outcome.DECLINED else {}
    services.request_decide(
        actor=world.discloser,
        request=req,
        fields=decision_fields(world.discloser, outcome=outcome, **extra),
    )
    req = InformationRequest.objects.get(pk=req.pk)
    if state in {Status.DISCLOSED, Status.DECLINED}:
        return req
    req = services.request_return_information(actor=world.requester, request=req)
    if state == Status.RETURNED:
        return req
    return services.request_confirm_destruction(actor=world.police_dlo, request=req)


@pytest.fixture
def make_request(world: World, agreement: Agreement) -> Callable[..., InformationRequest]:
    def make(state: str = Status.DRAFT, **overrides: object) -> InformationRequest:
        return build_request(world, agreement, state, **overrides)

    return make


def stored_attachment(
    request: InformationRequest,
    *,
    kind: str,
    name: str,
    uploaded_by: User,
    content: bytes,
) -> Attachment:
    """A plain-text file stored on a request as if uploaded, without the upload checks."""
    attachment = Attachment(
        request=request,
        kind=kind,
        original_name=name,
        content_type="text/plain",
        size=len(content),
        sha256="0" * 64,
        uploaded_by=uploaded_by,
    )
    attachment.file.save("upload", ContentFile(content), save=True)
    return attachment
