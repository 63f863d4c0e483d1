"""The session timeout warning in Chromium: it appears, is a modal dialog, and "Stay signed
in" extends the session on the server (WCAG 2.2.1)."""

import time

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import sign_in
from tests.world import build_world

pytestmark = pytest.mark.browser

DIALOG = (
    '<dialog class="app-timeout-dialog" id="session-timeout" data-module="app-session-timeout"'
    ' data-expires-in="10" data-warning-seconds="9" data-status-url="/officers/session/"'
    ' aria-labelledby="t" hidden><h2 id="t">You’re about to be signed out</h2>'
    "<p><strong data-session-timeout-remaining></strong></p>"
    '<form method="post" action="/officers/session/" data-session-timeout-extend>'
    '<input type="hidden" name="csrfmiddlewaretoken" value="TOKEN">'
    '<button type="submit">Stay signed in</button></form></dialog>'
)


@pytest.fixture
def live_world(live_server: object, transactional_db: None) -> str:
    build_world()
    return live_server.url  # type: ignore[attr-defined]


def test_warning_appears_and_stay_signed_in_extends_the_session(
    live_world: str,
    page: Page,
    settings: object,
) -> None:
    # Ten seconds idle. The click comes 5 s after sign-in and the reload 11.5 s after it:
    # past the end the session would have had without the click, and well inside the new
    # one, so a busy machine's slow page loads cannot decide the result.
    settings.SESSION_IDLE_SECONDS = 10  # type: ignore[attr-defined]
    sign_in(page, live_world, "requester")
    signed_in_at = time.monotonic()  # the server last saw this person no later than now
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    html = DIALOG.replace("TOKEN", token)
    # The real page gets this markup from {% session_timeout %}; the module is the real one.
    page.evaluate(
        """async (html) => {
            document.body.insertAdjacentHTML("beforeend", html);
            const m = await import("/static/js/session-timeout.js");
            m.initSessionTimeout(document.getElementById("session-timeout"));
        }""",
        html,
    )
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    dialog.wait_for(state="visible")
    _sleep_until(signed_in_at + 5)
    page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")
    _sleep_until(signed_in_at + 11.5)
    page.reload()
    assert "/accounts/login/" not in page.url


def _sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))
