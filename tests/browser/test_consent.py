"""A requesting officer records consent given in person, in Chromium."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page

from agreements.models import Agreement, AgreementStatus, AgreementTier
from consent.models import ConsentRecord, ConsentStatus
from tests.browser.conftest import serious_violations, sign_in
from tests.world import build_world


@pytest.fixture
def live_world(live_server: object, transactional_db: None) -> str:
    build_world()
    Agreement.objects.create(
        title="Community safety",
        reference="HAR-DSA-CP-01",
        tier=AgreementTier.AGREEMENT,
        status=AgreementStatus.ACTIVE,
        next_review_on=timezone.localdate().replace(year=timezone.localdate().year + 1),
    )
    return live_server.url  # type: ignore[attr-defined]


def _date(page: Page, name: str, day: int, month: int, year: int) -> None:
    page.locator(f"#id_{name}_0").fill(str(day))
    page.locator(f"#id_{name}_1").fill(str(month))
    page.locator(f"#id_{name}_2").fill(str(year))


def test_requester_records_consent_given_in_person(live_world: str, page: Page, axe: Axe) -> None:
    today = timezone.localdate()
    sign_in(page, live_world, "requester")
    page.goto(f"{live_world}/consents/")
    page.get_by_role("link", name="Record consent").click()
    assert page.get_by_role("heading", name="Record consent", level=1).is_visible()
    assert serious_violations(axe, page) == []

    page.get_by_label("Given").check()
    page.get_by_label("Full name").fill("Jordan Fields")
    _date(page, "subject_date_of_birth", 2, 4, 1986)
    page.locator("#id_about_signer_0").check()
    page.locator("#id_reasons_explained_0").check()
    page.get_by_label("Consent to disclose to").select_option(label="Metropolitan Police Service")
    page.get_by_label("HAR-DSA-CP-01 Community safety").check()
    page.get_by_label("Information to which this consent applies").fill("ASB reports")
    page.get_by_label("In person").check()
    _date(page, "signed_on", today.day, today.month, today.year)
    page.get_by_label("Witnessed by requesting officer: name").fill("Requester Tester")
    page.get_by_label("Their position").fill("ASB officer")
    _date(page, "witnessed_on", today.day, today.month, today.year)
    page.get_by_role("button", name="Save consent record").click()

    consent = ConsentRecord.objects.get()
    page.wait_for_url(f"**/consents/{consent.pk}/")
    assert page.get_by_role("heading", name=consent.reference).is_visible()
    assert page.get_by_text("Jordan Fields").first.is_visible()
    assert consent.status == ConsentStatus.GIVEN
    assert serious_violations(axe, page) == []
