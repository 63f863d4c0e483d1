"""The session timeout warning in Chromium: it appears, is a modal dialog, and "Stay signed
in" extends the session on the server (WCAG 2.2.1).

The server's clock is moved with time-machine (the live server runs in this process), never
waited for: the browser's own countdown runs on real time, and ten minutes of it are far
more than the test takes however busy the machine."""

import datetime as dt
import urllib.request
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import sign_in
from tests.world import build_world

pytestmark = pytest.mark.browser

DIALOG = (
    '<dialog class="app-timeout-dialog" id="session-timeout" data-module="app-session-timeout"'
    ' data-expires-in="600" data-warning-seconds="599" data-status-url="/officers/session/"'
    ' aria-labelledby="t" hidden><h2 id="t">You’re about to be signed out</h2>'
    "<p><strong data-session-timeout-remaining></strong></p>"
    '<form method="post" action="/officers/session/" data-session-timeout-extend>'
    '<input type="hidden" name="csrfmiddlewaretoken" value="TOKEN">'
    '<button type="submit">Stay signed in</button></form></dialog>'
)


@pytest.fixture
def live_world(live_server: LiveServer, transactional_db: None) -> str:
    build_world()
    return live_server.url


def test_warning_appears_and_stay_signed_in_extends_the_session(
    live_world: str,
    page: Page,
    settings: Any,  # pytest-django's SettingsWrapper
) -> None:
    # Ten minutes idle, the warning in the last 599 s. The click comes 300 s after sign-in
    # and the reload 650 s after it: past the end the session would have had without the
    # click, and well inside the new one.
    settings.SESSION_IDLE_SECONDS = 600
    settings.SESSION_WARNING_SECONDS = 599
    # The live server's first page is its slowest (it loads every module and template on
    # the way), slower on a busy machine than the browser's wait allows: asked for here,
    # signed out (so it is not activity), before the clock stops.
    urllib.request.urlopen(f"{live_world}/accounts/login/", timeout=300).close()
    with time_machine.travel(dt.datetime.now(tz=dt.UTC), tick=False) as clock:
        sign_in(page, live_world, "requester")  # the server last saw this person now
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
        # The warning opens once the server says no more than 599 s are left; until then
        # the module keeps asking every second.
        clock.shift(2)
        dialog = page.get_by_role("dialog", name="You’re about to be signed out")
        dialog.wait_for(state="visible")
        clock.shift(298)
        page.get_by_role("button", name="Stay signed in").click()
        dialog.wait_for(state="hidden")
        clock.shift(350)
        page.reload()
        assert "/accounts/login/" not in page.url
        # And the idle limit does end a session: ten minutes more with nothing done.
        clock.shift(601)
        page.reload()
        assert "/accounts/login/" in page.url
