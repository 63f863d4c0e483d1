"""Factories for consent tests: consent records, and requests built directly so these tests
do not depend on the request workflow's own services."""

import datetime
import itertools
from typing import Any

import factory
import pytest
from django.utils import timezone

from agreements.models import Agreement, AgreementParty, AgreementStatus, AgreementTier
from consent.models import ConsentRecord, ConsentStatus, ObtainedBy
from requests_app import access
from requests_app.models import InformationRequest, NamedPerson, PersonRole, Status
from tests.world import World

_numbers = itertools.count(1)


class AgreementFactory(factory.django.DjangoModelFactory[Agreement]):
    class Meta:
        model = Agreement
        django_get_or_create = ("reference",)

    title = factory.Sequence(lambda n: f"Community safety agreement {n}")
    reference = factory.Sequence(lambda n: f"HAR-DSA-{n:02d}")
    tier = AgreementTier.AGREEMENT
    status = AgreementStatus.ACTIVE
    purposes = "Prevention and detection of crime and disorder"
    next_review_on = datetime.date(2030, 1, 1)


class ConsentFactory(factory.django.DjangoModelFactory[ConsentRecord]):
    class Meta:
        model = ConsentRecord
        skip_postgeneration_save = True

    status = ConsentStatus.GIVEN
    subject_name = "Alex Example"
    subject_address = "1 High Road, London N15"
    subject_date_of_birth = datetime.date(1980, 5, 17)
    subject_age = 45
    about_signer = True
    reasons_explained = True
    signer_name = "Alex Example"
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    obtained_by = ObtainedBy.IN_PERSON
    witness_name = "Requester Tester"
    witness_position = "Community safety officer"
    witnessed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    purposes = "Information about the incident, for the ASB case conference"
    # The requesting officer's own agency, as on a consent they witnessed.
    disclose_to_agency = factory.LazyAttribute(lambda consent: consent.recorded_by.agency)

    @factory.post_generation
    def agreements(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.agreements.set(extracted)


def make_request(
    world: World,
    *,
    status: str = Status.SUBMITTED,
    target: Any = None,
    agreement: Agreement | None = None,
    requester: Any = None,
    public_interest_reason: str = "",
) -> InformationRequest:
    requester = requester or world.requester
    draft = status == Status.DRAFT
    request = InformationRequest.objects.create(
        status=status,
        reference=None if draft else f"ISP-2026-{next(_numbers):05d}",
        declaration_name="" if draft else requester.get_full_name(),
        requester=requester,
        requesting_agency=requester.agency,
        target_agency=target or world.police,
        agreement=agreement,
        description="Incidents at the address",
        required_by=timezone.localdate() + datetime.timedelta(days=10),
        public_interest_reason=public_interest_reason,
        submitted_at=None if draft else timezone.now(),
    )
    access.grant_on_create(request)
    if not draft:
        access.grant_on_submit(request)
    return request


def add_person(
    request: InformationRequest,
    *,
    consent: ConsentRecord | None = None,
    role: str = PersonRole.WITNESS,
    position: int | None = None,
) -> NamedPerson:
    return NamedPerson.objects.create(
        request=request,
        full_name="Alex Example",
        role=role,
        consent=consent,
        position=request.people.count() if position is None else position,
    )


@pytest.fixture
def agreement(world: World) -> Agreement:
    """A council–police agreement: consent may cover only agreements the recording
    officer's agency is party to."""
    agreement = AgreementFactory.create(reference="HAR-DSA-CP-01")
    for agency in (world.council, world.police):
        AgreementParty.objects.create(agreement=agreement, agency=agency)
    return agreement


@pytest.fixture
def consent(world: World, agreement: Agreement) -> ConsentRecord:
    return ConsentFactory.create(
        given_to_agency=world.police, recorded_by=world.requester, agreements=[agreement]
    )


@pytest.fixture
def private_storage(settings: Any, tmp_path: Any) -> Any:
    """Scans go to a throwaway private folder, never the project's var/private."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    return tmp_path
