"""Every kind of page, as the person who uses it sees it, passes axe-core in Chromium with
no serious or critical violation."""

import pytest
from playwright.sync_api import Page

from agreements.models import AgreementStatus
from consent.models import ConsentRecord
from requests_app.models import Status
from tests.agreements.builders import build_agreement
from tests.browser.conftest import serious_violations, sign_in
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
    return {
        "base": live_server.url,  # type: ignore[attr-defined]
        "agreement": agreement,
        "review": review,
        "disclosed": disclosed,
        "draft": draft,
    }


PAGES = {
    "requester": [
        "/requests/",
        "/requests/new/",
        "/requests/{draft}/edit/",
        "/requests/{draft}/check/",
        "/requests/{disclosed}/",
        "/requests/{disclosed}/onward/",
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
        "/requests/inbox/",
        "/requests/inbox/?show=decided",
        "/requests/{review}/",
        "/requests/{review}/decide/",
        "/requests/{review}/clarify/",
        "/requests/{review}/refer/",
        "/consents/withdrawals/",
    ],
    "police_spoc": ["/officers/", "/officers/add/", "/audit/", "/audit/register/"],
    "csp_lead": [
        "/audit/",
        "/audit/dashboard/",
        "/audit/register/",
        "/audit/access-log/",
        "/audit/breaches/",
    ],
    "administrator": ["/agreements/new/", "/agreements/applications/"],
}


@pytest.mark.parametrize("username", sorted(PAGES))
def test_pages_have_no_serious_accessibility_violations(
    scene: dict, page: Page, axe: object, username: str
) -> None:
    sign_in(page, scene["base"], username)
    ids = {k: v.pk for k, v in scene.items() if hasattr(v, "pk")}
    problems = {}
    for path in PAGES[username]:
        response = page.goto(scene["base"] + path.format(**ids))
        assert response is not None and response.status == 200, path
        found = serious_violations(axe, page)  # type: ignore[arg-type]
        if found:
            problems[path] = found
    assert problems == {}
    assert ConsentRecord.objects.count() == 0  # nothing was written by looking
