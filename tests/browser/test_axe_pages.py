"""Every kind of page, as the person who uses it sees it, passes axe-core in Chromium with
no violation of any impact, in its first state and (for forms) showing errors; and none is
wider than a 375 px phone screen."""

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from agreements.models import AgreementStatus
from api.services import api_client_create
from consent.models import ConsentRecord
from requests_app.models import Status
from tests.agreements.builders import build_agreement
from tests.browser.conftest import all_violations, sign_in
from tests.requests_app.conftest import build_request
from tests.requests_app.recorded import make_recorded
from tests.requests_app.test_request_groups import build_group_requests
from tests.world import build_world


@pytest.fixture
def scene(live_server: LiveServer, transactional_db: None) -> dict:
    world = build_world()
    agreement = build_agreement(
        world, AgreementStatus.ACTIVE, reference="AXE-DSA", parties=("council", "police")
    )
    review = build_request(world, agreement, Status.UNDER_REVIEW)
    disclosed = build_request(world, agreement, Status.DISCLOSED)
    draft = build_request(world, agreement, Status.DRAFT)
    returned = build_request(world, agreement, Status.RETURNED)
    group_draft, group_first = build_group_requests(world)
    awaiting = build_agreement(
        world,
        AgreementStatus.AWAITING_SIGNATURES,
        reference="AXE-SIGN",
        parties=("council", "police"),
    )
    recorded = make_recorded(world, agreement)
    api_client, _secret = api_client_create(
        actor=world.administrator,
        name="Met CRIS connector",
        officer=world.discloser,
        scopes=["requests:read"],
    )
    return {
        "awaiting": awaiting,
        "officer": world.discloser,
        "recorded": recorded,
        "base": live_server.url,
        "agreement": agreement,
        "review": review,
        "disclosed": disclosed,
        "draft": draft,
        "returned": returned,
        "group_draft": group_draft,
        "group_first": group_first,
        "api_client": api_client,
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
        "/requests/{disclosed}/messages/",
        "/requests/changes/",
        "/requests/{disclosed}/do/return_information/",
        "/requests/{group_draft}/edit/about/",
        "/requests/{group_draft}/check/",
        "/requests/{group_first}/sent/",
        "/requests/{group_first}/",
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
        "/requests/{review}/messages/",
        "/requests/changes/",
        "/consents/withdrawals/",
        "/requests/recorded/",
        "/requests/recorded/new/",
        "/requests/recorded/{recorded}/",
        "/requests/recorded/{recorded}/done/",
    ],
    "police_spoc": [
        "/",  # My work
        "/officers/",
        "/officers/add/",
        "/audit/",
        "/audit/register/",
        "/requests/{review}/",
        "/officers/import/",
        "/officers/{officer}/",
        "/requests/rights/new/",
    ],
    "police_signatory": ["/agreements/{awaiting}/sign/"],
    "csp_lead": [
        "/",  # My work
        "/audit/",
        "/audit/dashboard/",
        "/audit/register/",
        "/audit/access-log/",
        "/audit/breaches/",
    ],
    "administrator": [
        "/agreements/new/",
        "/agreements/join/",
        "/agreements/applications/",
        "/accessibility/",
        "/api-clients/",
        "/api-clients/new/",
        "/api-clients/{api_client}/revoke/",
    ],
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
    "/requests/{review}/messages/": "Send message",
    "/requests/{disclosed}/onward/": "Continue",
    "/consents/new/": "Save consent record",
    "/audit/breaches/report/": "Report the breach",
    "/requests/recorded/new/": "Sign and record",
    "/officers/add/": "Save",
    "/officers/import/": "Check the file",
    "/requests/rights/new/": "Find matching requests",
    "/agreements/new/": "Save draft",
    "/agreements/join/": "Apply",
    "/agreements/{awaiting}/sign/": "Sign the agreement",
    "/api-clients/new/": "Add the client",
}

PHONE: ViewportSize = {"width": 375, "height": 800}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


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
    found = all_violations(axe, page)
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
