"""Appendix G 9(e): a decision cannot say "with consent" once a consent it relies on has
been withdrawn or has expired."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from consent.models import ConsentRecord, ConsentStatus
from requests_app import services
from requests_app.models import ConsentBasis, InformationRequest, Status, SubjectInformed
from tests.consent.conftest import ConsentFactory, add_person
from tests.requests_app.conftest import build_request, decision_fields
from tests.world import World

pytestmark = pytest.mark.django_db


def _relying_on(world: World, agreement: Agreement, **consent: object) -> InformationRequest:
    request = build_request(world, agreement, Status.UNDER_REVIEW)
    record: ConsentRecord = ConsentFactory.create(
        given_to_agency=world.police, recorded_by=world.requester, agreements=[agreement], **consent
    )
    add_person(request, consent=record)
    return request


def _decide_with_consent(world: World, request: InformationRequest) -> None:
    services.request_decide(
        actor=world.discloser,
        request=request,
        fields=decision_fields(
            world.discloser,
            consent_basis=ConsentBasis.CONSENT,
            subject_informed=SubjectInformed.NOT_APPLICABLE,
            not_informed_reason="",
        ),
    )


def test_decision_with_consent_is_refused_when_the_consent_was_withdrawn(
    world: World, agreement: Agreement
) -> None:
    request = _relying_on(
        world,
        agreement,
        status=ConsentStatus.WITHDRAWN,
        withdrawn_at=datetime.datetime(2026, 3, 3, 10, 0, tzinfo=datetime.UTC),
    )
    with pytest.raises(ValidationError) as refused:
        _decide_with_consent(world, request)
    assert refused.value.message_dict["consent_basis"] == [
        "Person 2 (witness) withdrew their consent on 3 March 2026: choose another basis, "
        "or decline"
    ]
    request.refresh_from_db()
    assert request.status == Status.UNDER_REVIEW


def test_decision_with_consent_is_refused_when_the_consent_expired(
    world: World, agreement: Agreement
) -> None:
    request = _relying_on(
        world, agreement, expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as refused:
        _decide_with_consent(world, request)
    assert "expired" in refused.value.message_dict["consent_basis"][0]


def test_decision_with_consent_stands_while_the_consent_does(
    world: World, agreement: Agreement
) -> None:
    request = _relying_on(world, agreement)
    _decide_with_consent(world, request)
    request.refresh_from_db()
    assert request.status == Status.DISCLOSED
    assert request.decision.consent_basis == ConsentBasis.CONSENT


def test_decide_page_shows_the_refusal_beside_consent_basis(
    world: World, agreement: Agreement, client: Client
) -> None:
    request = _relying_on(
        world,
        agreement,
        status=ConsentStatus.WITHDRAWN,
        withdrawn_at=datetime.datetime(2026, 3, 3, 10, 0, tzinfo=datetime.UTC),
    )
    fields = decision_fields(
        world.discloser,
        consent_basis=ConsentBasis.CONSENT,
        subject_informed=SubjectInformed.NOT_APPLICABLE,
        not_informed_reason="",
        reasons="",
    )
    client.force_login(world.discloser)
    response = client.post(
        reverse("requests:decide_section", args=[request.pk, "record"]),
        {k: v for k, v in fields.items() if k != "checklist"},
    )
    assert response.status_code == 200
    # Found with the form's own problems, in one round.
    assert response.context["form"].errors["reasons"] == ["Enter the decision and its reasons"]
    assert response.context["form"].errors["consent_basis"] == [
        "Person 2 (witness) withdrew their consent on 3 March 2026: choose another basis, "
        "or decline"
    ]
