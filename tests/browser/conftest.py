"""Chromium, driven by Playwright, against the live test server. Debian's browser is used
as it is: no browser is ever downloaded."""

import re
from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, expect, sync_playwright

from tests.factories import TEST_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# A busy two-core CI machine can take seconds to answer: every wait allows 15 of them.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)


def _is_script_error(message: ConsoleMessage) -> bool:
    # A page answered with 404 or 403 on purpose logs "Failed to load resource"; that is the
    # test's subject, not a script going wrong.
    return message.type == "error" and not message.text.startswith("Failed to load resource")


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Opens pages in fresh browser contexts (one person each) and closes them afterwards.
    Any script error or console error on any page fails the test."""
    contexts = []
    errors: list[str] = []

    def open_page() -> Page:
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()

        def on_page_error(error: Error) -> None:
            errors.append(f"{page.url}: {error}")

        def on_console(message: ConsoleMessage) -> None:
            if _is_script_error(message):
                errors.append(f"{page.url}: {message.text}")

        page.on("pageerror", on_page_error)
        page.on("console", on_console)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], "script errors in the browser"


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    return new_page()


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def sign_in(page: Page, base_url: str, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


_REVEAL_INPUT = re.compile(
    r'<input class="govuk-(radios|checkboxes)__input"[^>]* aria-controls="conditional-'
)


def _known_govuk_frontend_finding(rule: str, node: dict) -> bool:
    """GOV.UK Frontend puts aria-expanded on a radio or checkbox that reveals a question.
    ARIA does not list it for those roles, so axe reports it, but the Design System keeps
    it on purpose because screen readers announce it (a documented known issue:
    alphagov/govuk-frontend#979 and #1280). Only that finding, on such an input, is set
    aside; any other attribute or element still fails."""
    if rule != "aria-allowed-attr" or not _REVEAL_INPUT.match(node["html"]):
        return False
    return set(re.findall(r"(aria-[a-z]+)=", node["failureSummary"])) == {"aria-expanded"}


def _violations(axe: Axe, page: Page, impacts: set[str] | None) -> list[str]:
    found = []
    for v in axe.run(page).response["violations"]:
        if impacts is not None and v["impact"] not in impacts:
            continue
        nodes = [n["target"] for n in v["nodes"] if not _known_govuk_frontend_finding(v["id"], n)]
        if nodes:
            found.append(f"{v['id']} ({v['impact']}): {v['help']} at {nodes}")
    return found


def serious_violations(axe: Axe, page: Page) -> list[str]:
    return _violations(axe, page, {"serious", "critical"})


def all_violations(axe: Axe, page: Page) -> list[str]:
    """Every axe-core violation, whatever its impact: minor and moderate ones too."""
    return _violations(axe, page, None)
