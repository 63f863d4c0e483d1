"""Decided requests for the audit tests, built directly (the request workflow has its own tests)."""

import datetime
from collections.abc import Callable
from typing import Any

import factory
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ProtectiveMarking
from requests_app.models import (
    ConsentBasis,
    Decision,
    DeliveryMethod,
    InformationRequest,
    InformationType,
    Outcome,
    Status,
    SubjectInformed,
)
from tests.http import body_of
from tests.world import World


class InformationRequestFactory(factory.django.DjangoModelFactory[InformationRequest]):
    class Meta:
        model = InformationRequest

    reference = factory.Sequence(lambda n: f"ISP-2026-{n + 1:05d}")
    status = Status.DISCLOSED
    requester_name = "Rita Requester"
    requester_position = "ASB caseworker"
    requester_organisation = "London Borough of Haringey"
    description = "Address history of the person named, after reports of nuisance"
    required_by = datetime.date(2026, 6, 30)
    declaration_name = "Rita Requester"
    submitted_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=9))
    received_on = factory.LazyAttribute(lambda r: timezone.localdate(r.submitted_at))
    due_on = factory.LazyAttribute(lambda r: r.received_on + datetime.timedelta(days=14))


class DecisionFactory(factory.django.DjangoModelFactory[Decision]):
    class Meta:
        model = Decision

    outcome = Outcome.DISCLOSED
    summary = "Incidents of nuisance at a tenancy, for an enforcement case"
    reasons = "Necessary and proportionate to prevent further nuisance to Mrs Smith"
    disclosed_by_name = "Dan Discloser"
    disclosed_by_organisation = "Metropolitan Police Service"
    delivery_method = DeliveryMethod.SECURE_EMAIL
    marking = ProtectiveMarking.OFFICIAL_SENSITIVE
    consent_basis = ConsentBasis.PUBLIC_INTEREST
    subject_informed = SubjectInformed.NO
    not_informed_reason = "Telling Mr Jones would prejudice the investigation"
    authorised_by = "Inspector Jane Grey"
    information_types = factory.LazyFunction(
        lambda: [InformationType.LIVING_ARRANGEMENTS, InformationType.OFFENDING_HISTORY]
    )
    evidence = "Three reports from neighbours"
    signature_name = "Dan Discloser"
    signed_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))


@pytest.fixture
def make_decision(world: World) -> Callable[..., Decision]:
    """A decided request from the council to the police (by default) and its decision."""

    def make(
        *,
        requesting=None,
        target=None,
        request_kwargs: dict[str, Any] | None = None,
        **decision_kwargs: Any,
    ) -> Decision:
        requesting = requesting or world.council
        target = target or world.police
        requester = world.requester if requesting == world.council else world.police_colleague
        request = InformationRequestFactory.create(
            requester=requester,
            requesting_agency=requesting,
            target_agency=target,
            **(request_kwargs or {}),
        )
        decision = DecisionFactory.create(
            request=request, discloser=world.discloser, **decision_kwargs
        )
        if request.decided_at is None:
            request.decided_at = decision.signed_at
            request.save(update_fields=["decided_at"])
        return decision

    return make


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body_of(response)
    assert response.status_code == 200
    return len(queries)
