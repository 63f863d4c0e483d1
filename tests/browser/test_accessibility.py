"""Every role's home page and the sign-in page pass axe-core in Chromium."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import serious_violations, sign_in
from tests.world import OFFICERS, build_world


@pytest.fixture
def live_world(live_server: LiveServer, transactional_db: None) -> str:
    build_world()
    return live_server.url


def test_sign_in_page_has_no_serious_accessibility_violations(
    live_world: str, page: Page, axe: Axe
) -> None:
    page.goto(f"{live_world}/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in to ISP Portal")).to_be_visible()
    assert serious_violations(axe, page) == []


def test_govuk_frontend_starts_and_the_error_summary_takes_focus(
    live_world: str, page: Page
) -> None:
    page.goto(f"{live_world}/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )


def test_sign_in_errors_are_accessible(live_world: str, page: Page, axe: Axe) -> None:
    page.goto(f"{live_world}/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert serious_violations(axe, page) == []


@pytest.mark.parametrize("username", sorted(OFFICERS))
def test_home_page_of_each_role_is_accessible(
    live_world: str, page: Page, axe: Axe, username: str
) -> None:
    sign_in(page, live_world, username)
    expect(page.get_by_role("heading", name="ISP Portal", level=1)).to_be_visible()
    expect(page.get_by_text(f"Signed in as {username.title()} Tester")).to_be_visible()
    assert serious_violations(axe, page) == []
