"""Every dropdown and export shows only what the viewer may see on the object's own page
(issue 14, findings 5 and 6)."""

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement, AgreementStatus
from agreements.selectors import agreements_visible_to
from consent.forms import ConsentRecordForm
from isp_portal.forms import model_choice
from oversight.forms import BreachReportForm
from requests_app.models import Decision
from tests.agreements.builders import build_agreement
from tests.audit.conftest import make_decision  # noqa: F401  (fixture)
from tests.pdf.conftest import pdf_text
from tests.world import World, ref

pytestmark = pytest.mark.django_db

# Typed by the requester as "other legislation": free text that may name the case.
OTHER_LEGISLATION = "Injunction against the Okafor family, Housing Act 1996 s153A"


@pytest.fixture
def agreements(world: World) -> dict[str, Agreement]:
    return {
        "council_police": build_agreement(world, parties=("council", "police")),
        "police_health": build_agreement(world, parties=("police", "health")),
        "council_police_draft": build_agreement(
            world, AgreementStatus.DRAFT, parties=("council", "police")
        ),
    }


def test_breach_form_offers_only_agreements_the_officer_may_see(
    world: World, agreements: dict[str, Agreement]
) -> None:
    offered = set(model_choice(BreachReportForm(user=world.requester), "agreement").queryset or ())
    assert offered == {agreements["council_police"]}
    assert offered == set(agreements_visible_to(world.requester))


def test_breach_report_refuses_an_agreement_the_officer_may_not_see(
    world: World, agreements: dict[str, Agreement], client: Client
) -> None:
    client.force_login(world.requester)
    page = client.get(reverse("audit:breach_report")).content.decode()
    assert agreements["police_health"].reference not in page
    assert agreements["council_police_draft"].reference not in page


def test_consent_form_offers_only_agreements_in_force_the_officer_may_see(
    world: World, agreements: dict[str, Agreement]
) -> None:
    offered = set(
        model_choice(ConsentRecordForm(user=world.requester), "agreements").queryset or ()
    )
    assert offered == {agreements["council_police"]}


def test_consent_service_refuses_an_agreement_of_other_agencies(
    world: World, agreements: dict[str, Agreement]
) -> None:
    from django.core.exceptions import ValidationError

    from consent import services

    with pytest.raises(ValidationError) as refused:
        services.consent_record(
            actor=world.requester,
            fields={
                "status": "given",
                "given_to_agency": world.police,
                "disclose_to_agency": world.council,
            },
            agreements=[agreements["police_health"]],
        )
    assert "agreements" in refused.value.message_dict


def _csv(response) -> str:
    body = b"".join(response.streaming_content).decode()
    return "\n".join(",".join(row) for row in csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("lead", ["csp_lead", "administrator"])
def test_register_never_shows_free_text_legislation_to_csp_leads(
    world: World, make_decision: Callable[..., Decision], tmp_path: Path, lead: str
) -> None:
    decision = make_decision(request_kwargs={"legislation_other": OTHER_LEGISLATION})
    client = Client()
    client.force_login(getattr(world, lead))
    html = client.get(reverse("audit:register")).content.decode()
    assert ref(decision.request) in html
    assert OTHER_LEGISLATION not in html
    assert "Other legislation (not shown)" in html
    assert OTHER_LEGISLATION not in _csv(client.get(reverse("audit:register_csv")))
    pdf = client.get(reverse("audit:register_pdf")).content
    text = pdf_text(pdf, tmp_path, layout=False)
    assert ref(decision.request) in text
    assert "Okafor" not in text


def test_disclosing_spoc_sees_the_free_text_legislation_of_its_own_rows(
    world: World, make_decision: Callable[..., Decision]
) -> None:
    make_decision(request_kwargs={"legislation_other": OTHER_LEGISLATION})
    client = Client()
    client.force_login(world.police_spoc)
    assert OTHER_LEGISLATION in _csv(client.get(reverse("audit:register_csv")))
