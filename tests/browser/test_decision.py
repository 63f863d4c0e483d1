"""The decision in Chromium, as a disclosing officer meets it: filled in wrongly in every way
at once, corrected, and finished; and finished again with the keyboard alone."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import FilePayload, Page, expect

from agreements.forms import CHECKLIST
from agreements.models import AgreementStatus
from requests_app.models import Decision, DecisionDraft, InformationRequest, Status
from tests.agreements.builders import build_agreement
from tests.browser.conftest import sign_in
from tests.requests_app.conftest import build_request
from tests.world import build_world

REASONS = "Necessary and proportionate to stop further ASB at the address."
DISCLOSED = "Three recorded incidents of criminal damage in 2026."


@pytest.fixture
def review(live_server, transactional_db) -> tuple[str, InformationRequest]:
    world = build_world()
    agreement = build_agreement(
        world, AgreementStatus.ACTIVE, reference="DEC-DSA", parties=("council", "police")
    )
    return live_server.url, build_request(world, agreement, Status.UNDER_REVIEW)


def _summary(page: Page) -> list[str]:
    return page.locator(".govuk-error-summary__list a").all_inner_texts()


def _expect_error_page(page: Page) -> None:
    """The GOV.UK error pattern: one summary, at the top, focused; the title says Error."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_have_count(1)
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: ")


def test_a_decision_filled_in_wrongly_everywhere_lists_every_problem_then_finishes(
    review: tuple[str, InformationRequest], page: Page
) -> None:
    live, req = review
    sign_in(page, live, "discloser")
    page.goto(f"{live}/requests/{req.pk}/decide/")

    # Sign before doing anything: every problem of every section, in one round.
    page.get_by_role("link", name="Check and sign your decision").click()
    page.get_by_label("Type your full name to sign").fill("Not My Name")
    expect(page.get_by_label("Type your full name to sign")).to_have_value("Not My Name")
    page.get_by_role("button", name="Sign and record decision").click()
    _expect_error_page(page)
    problems = _summary(page)
    for message in (
        "Select whether disclosure is agreed",
        "Enter the decision and its reasons",
        "Select whether the information is shared with consent",
        "Enter the evidence the decision rests on",
        "Enter your full name as it appears on your profile: Discloser Tester",
    ):
        assert message in problems
    for _key, question in CHECKLIST:
        assert f"Select to confirm you have considered: {question}" in problems
    expect(page.get_by_label("Type your full name to sign")).to_have_value("Not My Name")

    # Part B, wrong in every way the section can be: the summary's link leads there.
    page.get_by_role("link", name="Select whether disclosure is agreed").click()
    expect(page).to_have_url(re.compile(r"/decide/part-b/\?return=check#id_outcome_0$"))
    page.get_by_label("Declined").check()
    expect(page.get_by_label("Reason for declining the request")).to_be_visible()
    page.get_by_label("Disclosed", exact=True).check()
    expect(page.get_by_label("Reason for declining the request")).to_be_hidden()
    page.get_by_label("Other", exact=True).check()
    page.locator("#id_supplied_on_0").fill("31")
    page.locator("#id_supplied_on_1").fill("2")
    page.locator("#id_supplied_on_2").fill("2026")
    page.get_by_role("button", name="Save and continue").click()
    _expect_error_page(page)
    assert _summary(page) == [
        "Enter the information disclosed, or attach it in the Files section",
        "Enter how else the information is shared",
        "Enter a real date, for example 27 3 2007",
    ]
    expect(page.get_by_label("Disclosed", exact=True)).to_be_checked()
    expect(page.locator("#id_supplied_on_0")).to_have_value("31")
    page.get_by_label("Information disclosed").fill(DISCLOSED)
    page.get_by_label("How else is it shared?").fill("Encrypted USB, by hand")
    page.locator("#id_supplied_on_0").fill("")
    page.locator("#id_supplied_on_1").fill("")
    page.locator("#id_supplied_on_2").fill("")
    page.get_by_role("button", name="Save and continue").click()
    # Reached from check and sign, the section goes back there.
    expect(page.get_by_role("heading", name="Check and sign your decision")).to_be_visible()
    page.get_by_role("link", name="Back to your decision").click()

    # A file attached afterwards loses nothing typed.
    page.get_by_role("link", name="Files to disclose").click()
    page.get_by_label("Upload a file").set_input_files(
        files=[FilePayload(name="extract.txt", mimeType="text/plain", buffer=b"Incident log\n")]
    )
    page.get_by_role("button", name="Attach file").click()
    expect(page.get_by_text("extract.txt has been attached.")).to_be_visible()
    page.get_by_role("link", name="Continue").click()

    # The record, wrong in every way at once.
    page.get_by_role("link", name="Appendix G decision record").click()
    page.get_by_label("Other (state)").check()
    page.get_by_label("No", exact=True).check()
    expect(page.get_by_label("Why were they not informed?")).to_be_visible()
    page.get_by_label("With consent", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    _expect_error_page(page)
    assert _summary(page) == [
        "Enter the decision and its reasons",
        "Enter the other type of information",
        "With consent, the person knows: select Yes or Not applicable",
        "Enter why the person or family were not informed",
        "Enter who consented to or authorised the disclosure",
        "Enter the evidence the decision rests on",
    ]
    page.get_by_role("link", name="Enter the decision and its reasons").click()
    expect(page.get_by_label("The decision and its reasons")).to_be_focused()
    page.get_by_label("The decision and its reasons").fill(REASONS)
    page.get_by_label("Other (state)").uncheck()
    page.get_by_label("Offending history").check()
    page.get_by_label("Without consent: public interest").check()
    page.get_by_label("Why were they not informed?").fill("Would prejudice the investigation")
    page.get_by_label("Who consented or authorised the disclosure?").fill("DS Tester")
    page.get_by_label("Evidence the decision rests on (ISP 4.6)").fill("CRIS 1234")
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="Information Sharing Checklist").click()
    for checkbox in page.locator("input[name^='checklist-']").all():
        checkbox.check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("You have completed 3 of 3 sections")).to_be_visible()

    # Check answers: every answer kept, a Change link goes back to its question.
    page.get_by_role("link", name="Check and sign your decision").click()
    expect(page.get_by_text(DISCLOSED)).to_be_visible()
    expect(page.get_by_text(REASONS)).to_be_visible()
    expect(page.get_by_text("extract.txt")).to_be_visible()
    page.get_by_role("link", name="Change the decision and its reasons").click()
    expect(page.get_by_label("The decision and its reasons")).to_have_value(REASONS)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check and sign your decision")).to_be_visible()
    page.get_by_label("Type your full name to sign").fill("Discloser Tester")
    page.get_by_role("button", name="Sign and record decision").click()

    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Decision recorded")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    decision = Decision.objects.get(request=req)
    assert decision.information_disclosed == DISCLOSED
    assert decision.delivery_other == "Encrypted USB, by hand"
    assert decision.information_attached
    assert not DecisionDraft.objects.exists()


def _tab_to(page: Page, selector: str, limit: int = 250) -> None:
    """Press Tab until the element is focused, as a keyboard user moves through a page."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def _choose(page: Page, name: str, value: str) -> None:
    """Tab into a radio group and move to the answer with the arrow keys, which selects it."""
    _tab_to(page, f"input[type=radio][name='{name}']")
    for _ in range(12):
        if page.evaluate("v => document.activeElement.value === v", value):
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no {value} in {name}")


def _enter(page: Page) -> None:
    """Press Enter on a focused link or button, and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


SAVE = "#main-content form button[type=submit]"


def _type_into(page: Page, selector: str, text: str) -> None:
    _tab_to(page, selector)
    page.keyboard.type(text)


def test_a_decision_can_be_completed_with_the_keyboard_alone(
    review: tuple[str, InformationRequest], new_page: Callable[[], Page]
) -> None:
    live, req = review
    page = new_page()
    sign_in(page, live, "discloser")
    page.goto(f"{live}/requests/{req.pk}/")

    _tab_to(page, "a[href$='/decide/']")
    _enter(page)
    _tab_to(page, "a[href$='/decide/part-b/']")
    _enter(page)
    _choose(page, "outcome", "declined")
    _type_into(page, "#id_decline_reason", "Not proportionate to the purpose stated")
    _choose(page, "delivery_method", "portal")
    _choose(page, "marking", "OFFICIAL-SENSITIVE")
    _tab_to(page, SAVE)
    _enter(page)

    _tab_to(page, "a[href$='/decide/record/']")
    _enter(page)
    _type_into(page, "#id_reasons", "The purpose does not need this information")
    _choose(page, "consent_basis", "public_interest")
    _choose(page, "subject_informed", "not_applicable")
    _type_into(page, "#id_authorised_by", "DS Tester")
    _type_into(page, "#id_evidence", "CRIS 1234")
    _tab_to(page, SAVE)
    _enter(page)

    _tab_to(page, "a[href$='/decide/checklist/']")
    _enter(page)
    for key, _question in CHECKLIST:
        _tab_to(page, f"#id_checklist-{key}")
        page.keyboard.press("Space")
    _tab_to(page, SAVE)
    _enter(page)

    _tab_to(page, "a[href$='/decide/check/']")
    _enter(page)
    _type_into(page, "#id_signature_name", "Discloser Tester")
    _enter(page)

    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Decision recorded")
    req.refresh_from_db()
    assert req.status == Status.DECLINED
