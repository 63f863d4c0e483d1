"""A signatory signs in and signs an agreement waiting for their agency."""

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from agreements.models import Agreement, AgreementStatus, Signature
from tests.agreements.builders import build_agreement
from tests.browser.conftest import serious_violations, sign_in
from tests.world import build_world


def test_signatory_signs_and_the_agreement_becomes_active(
    live_server: LiveServer, transactional_db: None, page: Page, axe: object
) -> None:
    world = build_world()
    agreement = build_agreement(world, AgreementStatus.AWAITING_SIGNATURES, reference="DSA-B1")
    base = live_server.url

    sign_in(page, base, "police_signatory")
    page.goto(f"{base}/agreements/")
    page.get_by_role("link", name="DSA-B1 Crime and disorder data sharing").click()
    page.get_by_role("link", name="Sign for your agency").click()
    expect(page.get_by_role("heading", name=f"Sign {agreement.title}")).to_be_visible()
    assert serious_violations(axe, page) == []

    page.get_by_role("button", name="Sign the agreement").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # the statement is not accepted
    page.get_by_label("I accept the statement above and sign for my agency").check()
    page.get_by_role("button", name="Sign the agreement").click()

    expect(page.get_by_text("You signed DSA-B1")).to_be_visible()
    expect(page.get_by_text("Active", exact=True).first).to_be_visible()
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.ACTIVE
    signature = Signature.objects.get(agreement=agreement, agency=world.police)
    expect(page.get_by_text(signature.content_hash).first).to_be_visible()
