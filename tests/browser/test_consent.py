"""A requesting officer records consent given in person, in Chromium."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from consent.models import ConsentRecord, ConsentStatus
from requests_app.models import InformationRequest, Status
from tests.agreements.builders import build_agreement
from tests.browser.conftest import serious_violations, sign_in
from tests.browser.part_a import complete_part_a
from tests.world import build_world


@pytest.fixture
def live_world(live_server: LiveServer, transactional_db: None) -> str:
    world = build_world()
    build_agreement(world, reference="HAR-DSA-CP-01", parties=("council", "police"))
    return live_server.url


def _date(page: Page, name: str, day: int, month: int, year: int) -> None:
    page.locator(f"#id_{name}_0").fill(str(day))
    page.locator(f"#id_{name}_1").fill(str(month))
    page.locator(f"#id_{name}_2").fill(str(year))


def test_requester_records_consent_given_in_person_and_relies_on_it(
    live_world: str, page: Page, axe: Axe
) -> None:
    today = timezone.localdate()
    sign_in(page, live_world, "requester")
    page.goto(f"{live_world}/consents/")
    page.get_by_role("link", name="Record consent").click()
    expect(page.get_by_role("heading", name="Record consent", level=1)).to_be_visible()
    assert serious_violations(axe, page) == []

    page.get_by_label("Given").check()
    page.get_by_label("Full name").fill("Jordan Fields")
    _date(page, "subject_date_of_birth", 2, 4, 1986)
    page.locator("#id_about_signer_0").check()
    page.locator("#id_reasons_explained_0").check()
    page.get_by_label("I give:").select_option(label="Metropolitan Police Service")
    page.locator("input[name=agreements]").first.check()
    page.get_by_label("Information to which this consent applies").fill("ASB reports")
    page.get_by_label("In person").check()
    _date(page, "signed_on", today.day, today.month, today.year)
    page.get_by_label("Witnessed by requesting officer: name").fill("Requester Tester")
    page.get_by_label("Their position").fill("ASB officer")
    _date(page, "witnessed_on", today.day, today.month, today.year)
    page.get_by_role("button", name="Save consent record").click()

    page.wait_for_url(re.compile(r"/consents/\d+/$"))
    consent = ConsentRecord.objects.get()
    # The recipient was suggested: the requesting officer's own agency.
    assert (consent.given_to_agency.code, consent.disclose_to_agency.code) == ("MPS", "LBH")
    assert page.url.endswith(f"/consents/{consent.pk}/")
    expect(page.get_by_role("heading", name=consent.reference)).to_be_visible()
    expect(page.get_by_text("Jordan Fields").first).to_be_visible()
    assert consent.status == ConsentStatus.GIVEN
    assert serious_violations(axe, page) == []

    # The consent is then used in a request to the police under the same agreement.

    def witness(page: Page) -> None:
        page.get_by_label("Full name").fill("Jordan Fields")
        page.get_by_label("Witness").check()
        page.get_by_label("Consent record").select_option(value=str(consent.pk))

    complete_part_a(
        page,
        live_world,
        description="Reports of ASB made by the witness.",
        people=witness,
        consent_obtained="Yes, consent has been obtained",
    )
    # The check page shows no problem: the consent covers the request.
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 0, summary.inner_text()
    page.get_by_label("Type your full name to sign this request").fill("Requester Tester")
    page.get_by_role("button", name="Sign and send request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    request = InformationRequest.objects.get()
    assert request.status == Status.SUBMITTED
    assert request.people.get().consent == consent
