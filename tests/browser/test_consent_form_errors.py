"""The consent form filled in wrongly in every way at once, then put right; and the same
form completed with JavaScript switched off (#16)."""

import datetime
import re
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from consent.models import ConsentRecord
from tests.agreements.builders import build_agreement
from tests.browser.conftest import TIMEOUT_MS, sign_in
from tests.browser.wrong_answers import error_summary
from tests.world import build_world


@pytest.fixture
def live_world(live_server: LiveServer, transactional_db: None) -> str:
    world = build_world()
    build_agreement(world, reference="HAR-DSA-CF-01", parties=("council", "police"))
    return live_server.url


def _date(page: Page, name: str, day: object, month: object, year: object) -> None:
    for part, value in enumerate((day, month, year)):
        page.locator(f"#id_{name}_{part}").fill(str(value))


def _values(page: Page, *ids: str) -> list[str]:
    return [page.locator(f"#{i}").input_value() for i in ids]


def test_consent_form_wrong_in_every_way_then_put_right(live_world: str, page: Page) -> None:
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=5)
    sign_in(page, live_world, "requester")
    page.goto(f"{live_world}/consents/new/")
    page.get_by_label("Given").check()
    page.get_by_label("Requesting officer’s ref (optional)").fill("ASB-77")
    page.get_by_label("Address (optional)", exact=True).fill("1 High Road, London N15")
    _date(page, "subject_date_of_birth", 31, 2, 1990)
    page.get_by_label("Age, if the date of birth is not known").fill("200")
    page.locator("#id_about_signer_1").check()  # not about the person who signed
    page.locator("#id_reasons_explained_1").check()  # reasons not explained
    page.get_by_label("I give:").select_option(label="London Borough of Haringey")
    page.get_by_label("In person").check()
    _date(page, "signed_on", soon.day, soon.month, soon.year)
    _date(page, "expires_on", 1, 1, 2020)
    page.get_by_role("button", name="Save consent record").click()

    problems = error_summary(page)
    assert problems == {
        "Enter the name of the person the information is about": "#id_subject_name",
        "Enter a real date, for example 27 3 2007": "#id_subject_date_of_birth_0",
        "Age must be between 0 and 130": "#id_subject_age",
        "Choose whether the person who signed is a parent, guardian, carer or other": (
            "#id_signer_capacity_0"
        ),
        "Enter the name of the person who signed": "#id_signer_name",
        "Consent counts only when the reasons have been explained (ISP Appendix G 8). "
        "Explain them first, or record consent as refused or not sought": (
            "#id_reasons_explained_0"
        ),
        "Choose an agency other than the one holding the information": "#id_disclose_to_agency",
        "Choose at least one agreement whose purposes it covers": "#id_agreements_0",
        "Describe the information and the purposes": "#id_purposes",
        "The expiry date must be in the future": "#id_expires_on_0",
        "The date signed cannot be in the future": "#id_signed_on_0",
        "Enter the name of the officer who witnessed it": "#id_witness_name",
        "Enter the position of the officer who witnessed it": "#id_witness_position",
        "Enter the date it was witnessed": "#id_witnessed_on_0",
    }
    # Nothing typed is lost.
    assert _values(
        page,
        "id_requesting_officer_ref",
        "id_subject_address",
        "id_subject_date_of_birth_0",
        "id_subject_date_of_birth_1",
        "id_subject_date_of_birth_2",
        "id_subject_age",
        "id_signed_on_0",
        "id_expires_on_2",
    ) == ["ASB-77", "1 High Road, London N15", "31", "2", "1990", "200", str(soon.day), "2020"]
    expect(page.locator("#id_about_signer_1")).to_be_checked()
    expect(page.locator("#id_reasons_explained_1")).to_be_checked()
    expect(page.get_by_label("In person")).to_be_checked()

    page.get_by_label("Full name").fill("Jordan Fields")
    _date(page, "subject_date_of_birth", 2, 4, 1986)
    page.get_by_label("Age, if the date of birth is not known").fill("")
    page.locator("#id_about_signer_0").check()
    page.locator("#id_reasons_explained_0").check()
    page.get_by_label("I give:").select_option(label="Metropolitan Police Service")
    page.locator("input[name=agreements]").first.check()
    page.get_by_label("Information to which this consent applies").fill("ASB reports")
    _date(page, "signed_on", today.day, today.month, today.year)
    _date(page, "expires_on", "", "", "")
    page.get_by_label("Witnessed by requesting officer: name").fill("Requester Tester")
    page.get_by_label("Their position").fill("ASB officer")
    _date(page, "witnessed_on", today.day, today.month, today.year)
    page.get_by_role("button", name="Save consent record").click()

    page.wait_for_url(re.compile(r"/consents/\d+/$"))
    consent = ConsentRecord.objects.get()
    assert (consent.subject_name, consent.requesting_officer_ref) == ("Jordan Fields", "ASB-77")
    assert consent.subject_address == "1 High Road, London N15"


@pytest.fixture
def page_without_javascript(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_consent_form_works_without_javascript(
    live_world: str, page_without_javascript: Page
) -> None:
    page = page_without_javascript
    today = timezone.localdate()
    sign_in(page, live_world, "requester")
    page.goto(f"{live_world}/consents/new/")
    page.get_by_role("button", name="Save consent record").click()
    # Without scripts the summary is still there, first on the page, with its links.
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error: ")
    page.get_by_label("Given").check()
    page.get_by_label("Full name").fill("Jordan Fields")
    page.get_by_label("Age, if the date of birth is not known").fill("40")
    page.locator("#id_about_signer_0").check()
    page.locator("#id_reasons_explained_0").check()
    page.get_by_label("I give:").select_option(label="Metropolitan Police Service")
    page.locator("input[name=agreements]").first.check()
    page.get_by_label("Information to which this consent applies").fill("ASB reports")
    page.get_by_label("By telephone", exact=True).check()
    page.get_by_label("If by telephone, who took it").fill("PC Smith, response officer")
    _date(page, "signed_on", today.day, today.month, today.year)
    page.get_by_role("button", name="Save consent record").click()
    page.wait_for_url(re.compile(r"/consents/\d+/$"))
    assert ConsentRecord.objects.get().telephone_taken_by == "PC Smith, response officer"
