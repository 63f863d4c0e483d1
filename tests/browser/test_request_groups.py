"""Asking two agencies at once in Chromium: the requester sends one form to the police and
the health trust, each agency's disclosing officer decides its own request without a word
of the other, and the requester reads both decisions from either request's page."""

import pytest
from playwright.sync_api import Page, expect

from agreements.models import AgreementStatus
from requests_app.models import InformationRequest, Status
from tests.agreements.builders import build_agreement
from tests.browser.conftest import sign_in
from tests.browser.deciding import record_disclosure
from tests.browser.part_a import complete_part_a, date_fill
from tests.requests_app.test_request_groups import add_health_discloser
from tests.world import build_world


@pytest.fixture
def live(live_server, transactional_db) -> str:
    world = build_world()
    add_health_discloser(world)
    build_agreement(
        world,
        AgreementStatus.ACTIVE,
        reference="GRP-DSA",
        parties=("council", "police", "health"),
    )
    return live_server.url


def _decide(page: Page, live: str, req: InformationRequest, officer: str, disclosed: str) -> None:
    """Decide one request from the officer's inbox, which lists only their agency's own."""
    page.goto(f"{live}/requests/inbox/")
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_role("link", name=req.reference).click()
    expect(page.get_by_role("heading", name="Linked requests")).to_have_count(0)
    page.get_by_role("button", name="Start review").click()
    record_disclosure(page, disclosed=disclosed, signature=officer, authorised_by=officer)


def test_ask_two_agencies_at_once_and_read_both_decisions(live: str, page: Page, new_page) -> None:
    sign_in(page, live, "requester")

    def suspect(page: Page) -> None:
        page.get_by_label("Full name").fill("Jordan Example")
        date_fill(page, "people-0-date_of_birth", 17, 5, 1990)
        page.get_by_label("Suspect").check()

    complete_part_a(
        page,
        live,
        description="ASB incidents at the address since 2025.",
        people=suspect,
        consent_obtained="Not applicable: nobody named is a VIW or CO",
        public_interest_reason="Ongoing harm to neighbours",
    )
    # The health trust is added from the check page, and the answer comes back there.
    page.get_by_role("link", name="Change agency you are asking").click()
    page.get_by_label("BEH Mental Health Trust").check()
    page.get_by_role("button", name="Save and return to check your answers").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("Your request goes to 2 agencies:")).to_be_visible()
    page.get_by_label("Type your full name to sign this request").fill("Requester Tester")
    page.get_by_role("button", name="Sign and send request").click()
    expect(page.get_by_role("heading", name="Requests sent")).to_be_visible()

    police = InformationRequest.objects.get(target_agency__code="MPS")
    health = InformationRequest.objects.get(target_agency__code="BEH")
    assert police.group_id == health.group_id is not None
    expect(page.get_by_role("link", name=health.reference)).to_be_visible()

    discloser = new_page()
    sign_in(discloser, live, "discloser")
    _decide(discloser, live, police, "Discloser Tester", "Three incidents of criminal damage.")
    assert health.reference not in discloser.content()
    trust = new_page()
    sign_in(trust, live, "health_discloser")
    _decide(trust, live, health, "Health Discloser", "Two A&E attendances in 2026.")
    assert police.reference not in trust.content()

    page.goto(f"{live}/requests/{police.pk}/")
    expect(page.get_by_text("Three incidents of criminal damage.")).to_be_visible()
    linked = page.locator("#linked-requests + p + dl")
    expect(linked).to_contain_text("BEH Mental Health Trust")
    expect(linked).to_contain_text("Disclosed")
    linked.get_by_role("link", name=health.reference).click()
    expect(page.get_by_text("Two A&E attendances in 2026.")).to_be_visible()
    expect(page.get_by_role("link", name=police.reference)).to_be_visible()
    assert {r.status for r in InformationRequest.objects.all()} == {Status.DISCLOSED}

    page.goto(f"{live}/requests/")
    expect(page.get_by_text(f"Sent with {health.reference}")).to_be_visible()
