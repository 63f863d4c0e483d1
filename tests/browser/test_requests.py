"""The whole journey in Chromium: request, decide, read, and an outsider who sees nothing."""

import re
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from requests_app.models import InformationRequest, Status
from tests.agreements.builders import build_agreement
from tests.browser.conftest import serious_violations, sign_in
from tests.browser.deciding import record_disclosure
from tests.browser.part_a import complete_part_a, date_fill
from tests.world import build_world, ref


@pytest.fixture
def live(live_server, transactional_db) -> str:
    world = build_world()
    build_agreement(world, reference="TEST-DSA-1", parties=("council", "police"))
    return live_server.url


def test_request_decide_read_and_outsider_404(
    live: str, page: Page, new_page: Callable[[], Page], axe: Axe
) -> None:
    sign_in(page, live, "requester")

    def suspect(page: Page) -> None:
        page.get_by_label("Full name").fill("Jordan Example")
        date_fill(page, "people-0-date_of_birth", 17, 5, 1990)
        page.get_by_label("Suspect").check()
        assert serious_violations(axe, page) == []

    complete_part_a(
        page,
        live,
        description="ASB incidents at the address since 2025.",
        people=suspect,
        consent_obtained="Not applicable: nobody named is a VIW or CO",
        public_interest_reason="Ongoing harm to neighbours",
    )
    page.get_by_label("Type your full name to sign this request").fill("Requester Tester")
    page.get_by_role("button", name="Sign and send request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    expect(page.get_by_text(re.compile(r"ISP-\d{4}-\d{5}"))).to_be_visible()
    req = InformationRequest.objects.get()
    assert req.status == Status.SUBMITTED
    detail_url = f"{live}/requests/{req.pk}/"

    discloser = new_page()
    sign_in(discloser, live, "discloser")
    discloser.goto(f"{live}/requests/inbox/")
    discloser.get_by_role("link", name=req.reference).click()
    discloser.get_by_role("button", name="Start review").click()
    record_disclosure(discloser, disclosed="Three incidents of criminal damage.")

    page.goto(detail_url)
    expect(page.get_by_text("Three incidents of criminal damage.")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Disclosed")).to_be_visible()
    assert serious_violations(axe, page) == []

    outsider = new_page()
    sign_in(outsider, live, "outsider")
    for path in ("", "edit/", "decide/", "check/", "pdf/"):
        response = outsider.goto(f"{detail_url}{path}")
        assert response is not None and response.status == 404, path
    outsider.goto(f"{live}/requests/inbox/")
    expect(outsider.get_by_text(ref(req))).to_have_count(0)
