"""Part A in Chromium: a task list that is filled in wrongly in every way, corrected and
sent; the same by keyboard alone; and axe on every page of it, errors included."""

import datetime
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from requests_app.models import InformationRequest, Status
from tests.agreements.builders import build_agreement
from tests.browser.conftest import all_violations, sign_in
from tests.browser.part_a import date_fill
from tests.world import build_world, ref


@pytest.fixture
def live(live_server, transactional_db) -> str:
    world = build_world()
    build_agreement(world, reference="TEST-DSA-1", parties=("council", "police"))
    return live_server.url


def _expect_summary(page: Page, messages: list[str]) -> None:
    """The summary lists exactly these problems, has focus, and the title says Error."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("li")).to_have_text(messages)
    assert page.title().startswith("Error: ")
    for link in summary.locator("a").all():
        target = (link.get_attribute("href") or "").split("#", 1)[1]
        assert page.locator(f"[id='{target}']").count() == 1, target


def test_part_a_wrong_in_every_way_then_corrected_and_sent(live: str, page: Page, axe: Axe) -> None:
    today = timezone.localdate()
    past = today - datetime.timedelta(days=1)
    required = today + datetime.timedelta(days=20)
    sign_in(page, live, "requester")
    page.goto(f"{live}/requests/new/")

    # About the request: no agency, no agreement, a past date, urgent without a reason.
    page.get_by_label("Information requested").fill("ASB incidents at the address since 2025.")
    date_fill(page, "required_by", past.day, past.month, past.year)
    page.locator("#id_is_urgent_0").check()
    page.get_by_role("button", name="Save and continue").click()
    _expect_summary(
        page,
        [
            "Select the agency you are asking",
            "Select the agreement this request is made under",
            "The date the information is required by must be today or in the future",
            "Enter why the request is urgent",
        ],
    )
    assert all_violations(axe, page) == []
    expect(page.get_by_label("Information requested")).to_have_value(
        "ASB incidents at the address since 2025."
    )
    expect(page.locator("#id_required_by_0")).to_have_value(str(past.day))
    expect(page.locator("#id_is_urgent_0")).to_be_checked()
    page.locator(".govuk-error-summary a", has_text="Enter why").click()
    expect(page.get_by_label("Why is the request urgent?")).to_be_focused()
    assert InformationRequest.objects.count() == 0

    page.get_by_label("Agency you are asking").select_option(label="Metropolitan Police Service")
    page.get_by_label("Agreement this request is made under").select_option(index=1)
    date_fill(page, "required_by", required.day, required.month, required.year)
    page.get_by_label("Why is the request urgent?").fill("Injunction hearing next week")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Your draft request")).to_be_visible()
    draft = InformationRequest.objects.get()
    assert page.url.endswith(f"/requests/{draft.pk}/edit/")

    # The people: a victim with no consent record, a nameless person, a future birthday.
    page.get_by_role("link", name="The people the information is about").click()
    page.get_by_label("Full name").fill("Jordan Example")
    page.get_by_label("Victim").check()
    page.get_by_role("button", name="Save and add another person").click()
    _expect_summary(
        page,
        [
            "Select the consent record for person 1, a victim. If they refused consent or it "
            "was not sought, record that in Consents first"
        ],
    )
    person_1 = page.locator("#person-1")
    person_1.get_by_label("Suspect").check()
    page.get_by_role("button", name="Save and add another person").click()
    person_2 = page.locator("#person-2")
    expect(person_2).to_be_visible()
    future = today + datetime.timedelta(days=5)
    date_fill(page, "people-1-date_of_birth", future.day, future.month, future.year)
    person_2.get_by_label("Address").fill("2 Example Road")
    page.get_by_role("button", name="Save and continue").click()
    _expect_summary(
        page,
        [
            "Enter the full name of person 2",
            "The date of birth of person 2 must be in the past",
            "Select the role of person 2",
        ],
    )
    assert all_violations(axe, page) == []
    expect(page.locator("#person-2").get_by_label("Address")).to_have_value("2 Example Road")
    expect(page.locator("#person-1").get_by_label("Full name")).to_have_value("Jordan Example")
    person_2 = page.locator("#person-2")
    person_2.get_by_label("Full name").fill("Sam Example")
    date_fill(page, "people-1-date_of_birth", 3, 4, 1991)
    person_2.get_by_label("Witness").check()
    page.get_by_role("button", name="Save and continue").click()
    _expect_summary(
        page,
        [
            "Select the consent record for person 2, a witness. If they refused consent or it "
            "was not sought, record that in Consents first"
        ],
    )
    page.locator("#person-2").get_by_label("Other").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Your draft request")).to_be_visible()

    # Consent and public interest: yes without a reason.
    page.get_by_role("link", name="Consent and public interest").click()
    page.get_by_label("Not applicable: nobody named is a VIW or CO").check()
    page.locator("#id_public_interest_0").check()
    page.get_by_role("button", name="Save and continue").click()
    _expect_summary(page, ["Enter why disclosure is in the public interest"])
    assert all_violations(axe, page) == []
    page.get_by_label("Why is disclosure in the public interest?").fill("Ongoing harm")
    page.get_by_role("button", name="Save and continue").click()

    # Legislation: "other" ticked but not named.
    page.get_by_role("link", name="Legislation").click()
    page.get_by_label("Other legislation", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    _expect_summary(page, ["Enter the name of the other legislation"])
    assert all_violations(axe, page) == []
    expect(page.get_by_label("Other legislation", exact=True)).to_be_checked()
    page.get_by_label("Other legislation", exact=True).uncheck()
    expect(page.get_by_label("Name the other legislation")).to_be_hidden()
    page.get_by_label("S1 – ASB").check()
    page.get_by_role("button", name="Save and continue").click()

    # Check answers: a Change link goes to the answer and comes back.
    page.get_by_role("link", name="Check and sign").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert all_violations(axe, page) == []
    page.get_by_role("link", name="Change information requested").click()
    assert page.url.endswith("/about/?return=check#id_description")
    page.get_by_label("Information requested").fill("ASB incidents and reports since 2025.")
    page.get_by_role("button", name="Save and return to check your answers").click()
    expect(page.get_by_text("ASB incidents and reports since 2025.")).to_be_visible()

    page.get_by_label("Type your full name to sign this request").fill("Someone Else")
    page.get_by_role("button", name="Sign and send request").click()
    _expect_summary(page, ["Type your full name as it appears on your profile: Requester Tester"])
    assert all_violations(axe, page) == []
    page.get_by_label("Type your full name to sign this request").fill("Requester Tester")
    page.get_by_role("button", name="Sign and send request").click()
    page.wait_for_url("**/sent/")

    panel = page.locator(".govuk-panel--confirmation")
    expect(panel).to_contain_text("Request sent")
    req = InformationRequest.objects.get()
    assert req.status == Status.SUBMITTED
    expect(panel).to_contain_text(ref(req))
    due = req.due_on
    assert due is not None
    expect(page.get_by_text(f"{due.day} {due:%B %Y}")).to_be_visible()
    assert all_violations(axe, page) == []
    assert list(req.people.values_list("full_name", flat=True)) == [
        "Jordan Example",
        "Sam Example",
    ]

    # After sending, withdrawing is a link, asked about on a page of its own.
    page.get_by_role("link", name="View your request").click()
    expect(page.locator(".govuk-button--warning")).to_have_count(0)
    page.get_by_role("link", name="Withdraw this request").click()
    expect(page.get_by_role("heading", name="Are you sure")).to_be_visible()
    assert all_violations(axe, page) == []
    page.get_by_role("link", name="No, keep the request").click()
    assert InformationRequest.objects.get().status == Status.SUBMITTED


def _tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until the target has focus, as someone without a mouse would."""
    for _ in range(limit):
        if target.evaluate("node => node === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} cannot be reached with the Tab key")


def _type_into(page: Page, target: Locator, text: str) -> None:
    _tab_to(page, target)
    page.keyboard.type(text)


def test_a_request_is_completed_with_the_keyboard_alone(live: str, page: Page) -> None:
    required = timezone.localdate() + datetime.timedelta(days=20)
    sign_in(page, live, "requester")
    page.goto(f"{live}/requests/new/")
    _tab_to(page, page.get_by_label("Agency you are asking"))
    page.keyboard.type("Metropolitan")
    _tab_to(page, page.get_by_label("Agreement this request is made under"))
    page.keyboard.press("ArrowDown")
    _type_into(page, page.get_by_label("Information requested"), "ASB incidents since 2025.")
    _type_into(page, page.locator("#id_required_by_0"), str(required.day))
    _type_into(page, page.locator("#id_required_by_1"), str(required.month))
    _type_into(page, page.locator("#id_required_by_2"), str(required.year))
    _tab_to(page, page.locator("#id_is_urgent_0"))
    page.keyboard.press("ArrowDown")  # from Yes to No: arrow keys move within radios
    page.keyboard.press("ArrowUp")
    expect(page.locator("#id_is_urgent_0")).to_be_checked()
    expect(page.get_by_label("Why is the request urgent?")).to_be_visible()
    _type_into(page, page.get_by_label("Why is the request urgent?"), "Hearing next week")
    _tab_to(page, page.get_by_role("button", name="Save and continue"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your draft request")).to_be_visible()

    _tab_to(page, page.get_by_role("link", name="The people the information is about"))
    page.keyboard.press("Enter")
    _type_into(page, page.get_by_label("Full name"), "Jordan Example")
    _tab_to(page, page.get_by_label("Victim"))
    for _ in range(3):  # victim, informant, witness, suspect
        page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Suspect")).to_be_checked()
    _tab_to(page, page.get_by_role("button", name="Save and continue"))
    page.keyboard.press("Enter")

    _tab_to(page, page.get_by_role("link", name="Consent and public interest"))
    page.keyboard.press("Enter")
    # Nobody named is a VIW or CO: the answer already given is focused first in its group.
    _tab_to(page, page.get_by_label("Not applicable: nobody named is a VIW or CO"))
    expect(page.get_by_label("Not applicable: nobody named is a VIW or CO")).to_be_checked()
    _tab_to(page, page.locator("#id_public_interest_0"))
    page.keyboard.press("Space")
    _type_into(page, page.get_by_label("Why is disclosure in the public interest?"), "Harm")
    _tab_to(page, page.get_by_role("button", name="Save and continue"))
    page.keyboard.press("Enter")

    _tab_to(page, page.get_by_role("link", name="Legislation"))
    page.keyboard.press("Enter")
    _tab_to(page, page.get_by_label("S1 – ASB"))
    page.keyboard.press("Space")
    _tab_to(page, page.get_by_role("button", name="Save and continue"))
    page.keyboard.press("Enter")

    _tab_to(page, page.get_by_role("link", name="Check and sign"))
    page.keyboard.press("Enter")
    _type_into(
        page, page.get_by_label("Type your full name to sign this request"), "Requester Tester"
    )
    _tab_to(page, page.get_by_role("button", name="Sign and send request"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/sent/")
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Request sent")
    assert InformationRequest.objects.get().status == Status.SUBMITTED


def test_every_part_a_page_passes_axe_with_no_violation_at_all(
    live: str, new_page: Callable[[], Page], axe: Axe
) -> None:
    page = new_page()
    sign_in(page, live, "requester")
    problems = {}

    def audit(name: str) -> None:
        found = all_violations(axe, page)
        if found:
            problems[name] = found

    page.goto(f"{live}/requests/new/")
    audit("new")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit("new with errors")
    page.get_by_label("Agency you are asking").select_option(label="Metropolitan Police Service")
    page.get_by_label("Agreement this request is made under").select_option(index=1)
    page.get_by_label("Information requested").fill("ASB incidents")
    required = timezone.localdate() + datetime.timedelta(days=20)
    date_fill(page, "required_by", required.day, required.month, required.year)
    page.locator("#id_is_urgent_1").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Your draft request")).to_be_visible()
    audit("task list")
    base = page.url
    for task in ("about", "people", "consent", "legislation"):
        page.goto(f"{base}{task}/")
        audit(task)
        page.get_by_role("button", name="Save and continue").click()
        if page.locator(".govuk-error-summary").count():
            audit(f"{task} with errors")
    page.goto(base.replace("/edit/", "/check/"))
    audit("check with problems")
    assert problems == {}
