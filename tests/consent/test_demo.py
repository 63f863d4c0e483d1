import pytest

from agreements.models import AgreementParty
from consent import demo
from consent.models import ADULT_AGE, ConsentRecord, ConsentStatus, NotSoughtGround
from tests.consent.conftest import AgreementFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def _seed(world: World) -> None:
    demo.seed(
        agencies={"MPS": world.police, "LBH": world.council},
        users={"council.requester": world.requester},
    )


def test_demo_consents_cover_each_kind_and_seed_twice_changes_nothing(world: World) -> None:
    agreement = AgreementFactory.create(reference=demo.AGREEMENT_REFERENCE)
    for agency in (world.council, world.police):
        AgreementParty.objects.create(agreement=agreement, agency=agency)
    _seed(world)
    _seed(world)
    # The request demo withdraws this one after a request relied on it; twice is harmless.
    demo.withdraw_demo_consent(world.requester)
    demo.withdraw_demo_consent(world.requester)
    assert ConsentRecord.objects.count() == 5
    given = _demo_consent("given")
    assert given.status == ConsentStatus.GIVEN and list(given.agreements.all()) == [agreement]
    assert _demo_consent("withdrawn").status == ConsentStatus.WITHDRAWN
    assert _demo_consent("refused").proceed_without_consent is True
    child = _demo_consent("child")
    assert child.subject_age is not None and child.subject_age < ADULT_AGE
    assert child.signer_capacity == "parent"
    assert _demo_consent("not_sought").not_sought_ground == NotSoughtGround.RISK_OF_HARM


def test_demo_consents_without_the_agreement_still_load(world: World) -> None:
    _seed(world)
    given = _demo_consent("given")
    assert given.status == ConsentStatus.GIVEN and not given.agreements.exists()
    assert given.signer_name == given.subject_name


def _demo_consent(key: str) -> ConsentRecord:
    consent = demo.demo_consent(key)
    assert consent is not None, f"no demo consent {key!r}"
    return consent
