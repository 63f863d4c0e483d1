"""Every kind of page, as the person who uses it sees it, passes axe-core in Chromium with
no violation of any impact, in its first state and (for forms) showing errors; and none is
wider than a 375 px phone screen."""

import pytest
from playwright.sync_api import Page, expect

from agreements.models import AgreementStatus
from consent.models import ConsentRecord
from requests_app.models import Status
from tests.agreements.builders import build_agreement
from tests.browser.conftest import all_violations, sign_in
from tests.requests_app.conftest import build_request
from tests.world import build_world


@pytest.fixture
def scene(live_server: object, transactional_db: None) -> dict:
    world = build_world()
    agreement = build_agreement(
        world, AgreementStatus.ACTIVE, reference="AXE-DSA", parties=("council", "police")
    )
    review = build_request(world, agreement, Status.UNDER_REVIEW)
    disclosed = build_request(world, agreement, Status.DISCLOSED)
    draft = build_request(world, agreement, Status.DRAFT)
    returned = build_request(world, agreement, Status.RETURNED)
    return {
        "base": live_server.url,  # type: ignore[attr-defined]
        "agreement": agreement,
        "review": review,
        "disclosed": disclosed,
        "draft": draft,
        "returned": returned,
    }


PAGES = {
    "requester": [
        "/",  # My work
        "/requests/",
        "/requests/new/",
        "/requests/{draft}/edit/",
        "/requests/{draft}/check/",
        "/requests/{disclosed}/",
        "/requests/{disclosed}/onward/",
        "/requests/{disclosed}/do/return_information/",
        "/requests/forms/",
        "/consents/",
        "/consents/new/",
        "/agreements/",
        "/agreements/{agreement}/",
        "/audit/breaches/report/",
        "/officers/terms/",
        "/accounts/sessions/",
    ],
    "discloser": [
        "/",  # My work
        "/requests/inbox/",
        "/requests/inbox/?show=decided",
        "/requests/{review}/",
        "/requests/{review}/decide/",
        "/requests/{review}/decide/part-b/",
        "/requests/{review}/decide/record/",
        "/requests/{review}/decide/checklist/",
        "/requests/{review}/decide/files/",
        "/requests/{review}/decide/check/",
        "/requests/{disclosed}/decided/",
        "/requests/{review}/clarify/",
        "/requests/{review}/refer/",
        "/consents/withdrawals/",
    ],
    "police_spoc": [
        "/",  # My work
        "/officers/",
        "/officers/add/",
        "/audit/",
        "/audit/register/",
        "/requests/{review}/",
    ],
    "csp_lead": [
        "/",  # My work
        "/audit/",
        "/audit/dashboard/",
        "/audit/register/",
        "/audit/access-log/",
        "/audit/breaches/",
    ],
    "administrator": ["/agreements/new/", "/agreements/applications/", "/accessibility/"],
    "police_dlo": [
        "/",  # My work
        "/requests/{returned}/",
        "/requests/{returned}/do/confirm_destruction/",
    ],
}

# Forms sent empty, to show their errors: the button that sends each.
ERROR_STATES = {
    "/requests/{review}/decide/part-b/": "Save and continue",
    "/requests/{review}/decide/record/": "Save and continue",
    "/requests/{review}/decide/checklist/": "Save and continue",
    "/requests/{review}/decide/files/": "Attach file",
    "/requests/{review}/decide/check/": "Sign and record decision",
    "/requests/{review}/clarify/": "Continue",
    "/requests/{review}/refer/": "Continue",
    "/requests/{disclosed}/onward/": "Continue",
    "/consents/new/": "Save consent record",
    "/audit/breaches/report/": "Report the breach",
    "/officers/add/": "Save",
}

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


# The elements reaching past the right edge of the screen, outside a table's own scrolling
# region: empty when the page fits.
_TOO_WIDE = """() => document.documentElement.scrollWidth <= window.innerWidth ? [] :
  [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(e => !e.closest(".app-table-scroll") || e.matches(".app-table-scroll"))
    .slice(-3)
    .map(e => `${e.tagName.toLowerCase()}.${e.className}`)"""


def _wider_than_the_screen(page: Page) -> list[str]:
    page.set_viewport_size(PHONE)
    wider = page.evaluate(_TOO_WIDE)
    page.set_viewport_size(DESKTOP)
    return list(wider)


def _check(page: Page, axe: object, label: str, problems: dict, too_wide: list) -> None:
    found = all_violations(axe, page)  # type: ignore[arg-type]
    if found:
        problems[label] = found
    wider = _wider_than_the_screen(page)
    if wider:
        too_wide.append(f"{label}: {wider}")


@pytest.mark.parametrize("username", sorted(PAGES))
def test_pages_have_no_accessibility_violations_and_fit_a_phone(
    scene: dict, page: Page, axe: object, username: str
) -> None:
    sign_in(page, scene["base"], username)
    page.set_viewport_size(DESKTOP)
    ids = {k: v.pk for k, v in scene.items() if hasattr(v, "pk")}
    problems: dict[str, list[str]] = {}
    too_wide: list[str] = []
    for path in PAGES[username]:
        response = page.goto(scene["base"] + path.format(**ids))
        assert response is not None and response.status == 200, path
        _check(page, axe, path, problems, too_wide)
        if path in ERROR_STATES:
            page.get_by_role("button", name=ERROR_STATES[path], exact=True).click()
            expect(page.locator(".govuk-error-summary")).to_be_visible()
            _check(page, axe, f"{path} with errors", problems, too_wide)
    assert problems == {}
    assert too_wide == [], "wider than a 375 px screen"
    assert ConsentRecord.objects.count() == 0  # nothing was written by looking
