"""Chromium, driven by Playwright, against the live test server. Debian's browser is used
as it is: no browser is ever downloaded."""

from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

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
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                _is_script_error(message) and errors.append(f"{page.url}: {message.text}")
            ),
        )
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


def serious_violations(axe: Axe, page: Page) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def _design_system_reveal(violation: dict, node: dict) -> bool:
    """GOV.UK Frontend's own script sets aria-expanded on a radio or checkbox that reveals a
    question (the conditional reveal pattern), a choice the Design System team made and
    tested with assistive technologies; axe-core reports the attribute. Only that finding,
    on exactly those inputs, is set aside."""
    return (
        violation["id"] == "aria-allowed-attr"
        and node["html"].startswith('<input class="govuk-')
        and "aria-controls=" in node["html"]
        and all(
            "aria-expanded" in check["message"] and check["message"].count("aria-") == 1
            for check in node["any"] + node["all"] + node["none"]
        )
    )


def all_violations(axe: Axe, page: Page) -> list[str]:
    """Every axe-core violation, whatever its impact: minor and moderate ones too."""
    results = axe.run(page)
    found = []
    for v in results.response["violations"]:
        nodes = [n for n in v["nodes"] if not _design_system_reveal(v, n)]
        if nodes:
            found.append(
                f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in nodes]}"
            )
    return found
