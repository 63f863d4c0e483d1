import pytest

from accounts import demo as accounts_demo
from oversight import demo
from oversight.models import Breach, BreachStatus
from requests_app.models import InformationRequest
from tests.audit.conftest import InformationRequestFactory

pytestmark = pytest.mark.django_db


def test_demo_adds_one_open_breach_once() -> None:
    agencies = accounts_demo.seed_agencies()
    users = accounts_demo.seed_accounts(agencies)
    InformationRequestFactory.create(
        requester=users["council.requester"],
        requesting_agency=agencies["LBH"],
        target_agency=agencies["MPS"],
    )
    demo.seed(agencies=agencies, users=users)
    demo.seed(agencies=agencies, users=users)
    breach = Breach.objects.get()
    assert breach.status == BreachStatus.OPEN
    assert breach.owning_agency == agencies["MPS"]
    assert breach.request == InformationRequest.objects.get()
    assert not breach.ico_overdue
