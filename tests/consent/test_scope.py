"""Consent is checked against the request it is used on: agency, agreement, expiry,
withdrawal, and the public-interest route for refused or not-sought records."""

import datetime

import pytest
from django.utils import timezone

from consent.models import ConsentRecord, ConsentStatus, NotSoughtGround
from consent.selectors import consents_usable_by
from requests_app.consent import (
    consent_position,
    consent_problem_for_person,
    suggested_consent_basis,
)
from requests_app.models import ConsentBasis, PersonRole
from tests.consent.conftest import AgreementFactory, ConsentFactory, add_person, make_request
from tests.world import World

pytestmark = pytest.mark.django_db


def problem(world: World, consent: ConsentRecord | None, **request_kwargs: object) -> str | None:
    request_kwargs.setdefault("agreement", consent.agreements.first() if consent else None)
    request = make_request(world, **request_kwargs)  # type: ignore[arg-type]
    person = add_person(request, consent=consent, position=1)
    return consent_problem_for_person(person=person, request=request)


def test_valid_consent_has_no_problem(world: World, consent: ConsentRecord) -> None:
    assert problem(world, consent) is None


def test_consent_to_another_agency_does_not_cover_the_request(
    world: World, consent: ConsentRecord
) -> None:
    message = problem(world, consent, target=world.health)
    assert message == (
        "Person 2 (witness): their consent is given to Metropolitan Police Service, "
        "not to BEH Mental Health Trust"
    )


def test_consent_to_disclose_to_another_recipient_cannot_be_relied_on(
    world: World, agreement: object
) -> None:
    """ "I give: police consent to disclose to: health" does not let police disclose to the
    council, even on a request the council officer who recorded it makes."""
    to_health = ConsentFactory.create(
        given_to_agency=world.police,
        disclose_to_agency=world.health,
        recorded_by=world.requester,
        agreements=[agreement],
    )
    assert problem(world, to_health) == (
        "Person 2 (witness): their consent is to disclose to BEH Mental Health Trust, "
        "not to London Borough of Haringey"
    )
    assert to_health not in consents_usable_by(world.requester, target_agency=world.police)
    assert to_health not in consents_usable_by(world.requester)


def test_consent_for_another_agreement_does_not_cover_the_request(
    world: World, consent: ConsentRecord
) -> None:
    other = AgreementFactory.create(reference="HAR-DSA-DV-02")
    message = problem(world, consent, agreement=other)
    assert message == (
        "Person 2 (witness): their consent does not cover the purposes of agreement HAR-DSA-DV-02"
    )


def test_request_without_agreement_cannot_rely_on_consent(
    world: World, consent: ConsentRecord
) -> None:
    message = problem(world, consent, agreement=None)
    assert message is not None and "names no agreement" in message


def test_expired_consent_does_not_cover_the_request(world: World, consent: ConsentRecord) -> None:
    consent.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    consent.save()
    message = problem(world, consent)
    assert message is not None and "their consent expired on" in message


def test_consent_expiring_today_still_covers(world: World, consent: ConsentRecord) -> None:
    consent.expires_on = timezone.localdate()
    consent.save()
    assert problem(world, consent) is None


def test_withdrawn_consent_does_not_cover_the_request(world: World, consent: ConsentRecord) -> None:
    consent.status = ConsentStatus.WITHDRAWN
    consent.withdrawn_at = timezone.now()
    consent.save()
    message = problem(world, consent)
    assert message is not None and message.startswith(
        "Person 2 (witness): their consent was withdrawn on"
    )


def test_person_with_no_consent_record_is_named(world: World) -> None:
    message = problem(world, None, public_interest_reason="Serious risk")
    assert message is not None and message.startswith("Person 2 (witness) has no consent record")


def test_suspect_needs_no_consent(world: World) -> None:
    request = make_request(world)
    person = add_person(request, role=PersonRole.SUSPECT)
    assert consent_problem_for_person(person=person, request=request) is None


@pytest.mark.parametrize(
    "fields",
    [
        {
            "status": ConsentStatus.REFUSED,
            "proceed_without_consent": True,
            "proceed_reason": "Risk",
        },
        {"status": ConsentStatus.NOT_SOUGHT, "not_sought_ground": NotSoughtGround.RISK_OF_HARM},
    ],
)
def test_refused_or_not_sought_needs_a_public_interest_reason(world: World, fields: dict) -> None:
    record = ConsentFactory.create(
        given_to_agency=world.police, recorded_by=world.requester, **fields
    )
    message = problem(world, record)
    assert message is not None and "needs a public-interest reason" in message
    assert problem(world, record, public_interest_reason="Protecting a child") is None


def test_refusal_without_a_decision_to_proceed_cannot_be_relied_on(world: World) -> None:
    record = ConsentFactory.create(
        given_to_agency=world.police,
        recorded_by=world.requester,
        status=ConsentStatus.REFUSED,
        proceed_without_consent=False,
    )
    message = problem(world, record, public_interest_reason="Protecting a child")
    assert message is not None and "no decision to proceed" in message


def test_usable_consents_exclude_withdrawn_expired_and_other_agencies(
    world: World, consent: ConsentRecord
) -> None:
    ConsentFactory.create(
        given_to_agency=world.police,
        recorded_by=world.requester,
        status=ConsentStatus.WITHDRAWN,
        withdrawn_at=timezone.now(),
    )
    ConsentFactory.create(
        given_to_agency=world.police,
        recorded_by=world.requester,
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    to_health = ConsentFactory.create(given_to_agency=world.health, recorded_by=world.requester)
    not_sought = ConsentFactory.create(
        given_to_agency=world.health,
        recorded_by=world.requester,
        status=ConsentStatus.NOT_SOUGHT,
        not_sought_ground=NotSoughtGround.LEGAL_DUTY,
    )
    ConsentFactory.create(given_to_agency=world.police, recorded_by=world.council_colleague)
    assert set(consents_usable_by(world.requester)) == {consent, to_health, not_sought}
    assert set(consents_usable_by(world.requester, target_agency=world.police)) == {
        consent,
        not_sought,
    }


def test_consent_basis_is_consent_when_everyone_consented(
    world: World, consent: ConsentRecord, agreement: object
) -> None:
    request = make_request(world, agreement=agreement)  # type: ignore[arg-type]
    add_person(request, consent=consent)
    add_person(request, role=PersonRole.SUSPECT)
    basis, authorised_by = suggested_consent_basis(request)
    assert basis == ConsentBasis.CONSENT
    assert authorised_by == f"Person 1 (witness): consent {consent.reference} given by the person"
    assert "Alex" not in authorised_by


def test_consent_basis_is_public_interest_when_someone_did_not_consent(
    world: World, consent: ConsentRecord, agreement: object
) -> None:
    refused = ConsentFactory.create(
        given_to_agency=world.police,
        recorded_by=world.requester,
        status=ConsentStatus.REFUSED,
        proceed_without_consent=True,
        proceed_reason="Risk to the child",
        proceed_decided_by="Team manager",
    )
    request = make_request(world, agreement=agreement, public_interest_reason="Child at risk")  # type: ignore[arg-type]
    add_person(request, consent=consent)
    add_person(request, consent=refused, role=PersonRole.VICTIM)
    basis, authorised_by = suggested_consent_basis(request)
    assert basis == ConsentBasis.PUBLIC_INTEREST
    assert "Person 2 (victim): consent refused" in authorised_by


def test_consent_basis_is_legal_duty_when_not_sought_for_that_reason(world: World) -> None:
    record = ConsentFactory.create(
        given_to_agency=world.police,
        recorded_by=world.requester,
        status=ConsentStatus.NOT_SOUGHT,
        not_sought_ground=NotSoughtGround.LEGAL_DUTY,
    )
    request = make_request(world, public_interest_reason="Court order")
    add_person(request, consent=record)
    assert suggested_consent_basis(request)[0] == ConsentBasis.LEGAL_DUTY


def test_consent_position_lists_everyone_in_three_queries(
    world: World, consent: ConsentRecord, agreement: object, django_assert_num_queries
) -> None:
    request = make_request(world, agreement=agreement)  # type: ignore[arg-type]
    for _ in range(5):
        add_person(request, consent=consent)
    add_person(request, role=PersonRole.SUSPECT)
    request = type(request).objects.select_related("target_agency", "agreement").get(pk=request.pk)
    # 1: people with their consent and its agency; 2: the consents' agreements;
    # 3: withdrawal notices on the request.
    with django_assert_num_queries(3):
        positions = consent_position(request)
    assert [p.problem for p in positions] == [None] * 6
    assert [p.needs_consent for p in positions] == [True] * 5 + [False]
