"""Finding a request by a misspelt name from the header's search box, in Chromium."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from requests_app.models import Status
from tests.agreements.builders import build_agreement
from tests.browser.conftest import serious_violations, sign_in
from tests.requests_app.conftest import build_request
from tests.world import build_world, ref


@pytest.fixture
def live(live_server, transactional_db) -> tuple[str, str]:
    world = build_world()
    agreement = build_agreement(world, reference="TEST-DSA-1", parties=("council", "police"))
    req = build_request(world, agreement, Status.UNDER_REVIEW)  # names Jordan Example
    build_request(world, agreement, Status.UNDER_REVIEW).people.update(full_name="Sam Taylor")
    return live_server.url, ref(req)


def test_a_discloser_finds_a_request_by_a_misspelt_name(
    live: tuple[str, str], page: Page, axe: Axe
) -> None:
    url, reference = live
    sign_in(page, url, "discloser")
    page.goto(f"{url}/requests/inbox/")
    box = page.get_by_role("search").get_by_label("Search requests by reference")
    box.fill("exampel jordon")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Search requests")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("link", name=reference)).to_be_visible()
    expect(rows.first).to_contain_text("Name of a person")
    # The address holds only the search's id: never the name typed.
    assert re.search(r"/requests/search/[\w-]+/$", page.url), page.url
    assert "jordon" not in page.url.lower()
    assert serious_violations(axe, page) == []
    # Filters combine with the search, in the address.
    page.get_by_text("Filter requests").click()
    page.get_by_label("Status").select_option(label="Submitted")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("No request you can see matches")).to_be_visible()
    assert "status=submitted" in page.url and "jordon" not in page.url.lower()
    rows.first.page.get_by_role("link", name="Clear filters").click()
    expect(page.locator("tbody tr")).to_have_count(1)
