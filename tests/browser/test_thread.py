"""Talking about a request in Chromium: the disclosing officer takes it, asks for
clarification on the thread, the requester sees it in "What changed" and answers with a
file, they write back and forth, and the decision reaches the requester's list too."""

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from requests_app.models import InformationRequest, Message, Status
from tests.agreements.builders import build_agreement
from tests.browser.conftest import all_violations, sign_in
from tests.browser.deciding import record_disclosure
from tests.requests_app.conftest import build_request
from tests.world import build_world

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def submitted(live_server, transactional_db) -> tuple[str, InformationRequest]:
    world = build_world()
    agreement = build_agreement(world, reference="TEST-DSA-1", parties=("council", "police"))
    return live_server.url, build_request(world, agreement, Status.SUBMITTED)


def _send(page: Page, text: str) -> None:
    page.get_by_label("Message", exact=True).fill(text)
    page.get_by_role("button", name="Send message").click()


def _what_changed(page: Page) -> str:
    return " ".join(page.locator("#what-changed").inner_text().split())


def test_assign_talk_back_and_forth_and_decide(
    submitted: tuple[str, InformationRequest],
    page: Page,
    new_page: Callable[[], Page],
    axe: Axe,
) -> None:
    live, req = submitted
    detail = f"{live}/requests/{req.pk}/"
    sign_in(page, live, "requester")
    page.goto(f"{live}/requests/changes/")  # seen: nothing new before now

    discloser = new_page()
    sign_in(discloser, live, "discloser")
    discloser.goto(detail)
    discloser.get_by_role("button", name="Assign to me").click()
    expect(discloser.locator("#assignee")).to_contain_text("Assigned to: Discloser Tester")
    discloser.get_by_role("button", name="Start review").click()
    discloser.goto(f"{live}/requests/changes/")
    discloser.goto(detail)
    discloser.get_by_label("This asks the requester for clarification").check()
    _send(discloser, "Which flat at the address do you mean?")
    expect(discloser.get_by_text("The clock is paused until the requester answers")).to_be_visible()
    expect(discloser.locator(".govuk-tag", has_text="Awaiting clarification")).to_be_visible()

    page.goto(f"{live}/")
    assert _what_changed(page) == "What changed 1 new"
    page.locator("#what-changed").click()
    expect(page.get_by_role("cell", name="Clarification asked New")).to_be_visible()
    page.get_by_role("link", name=req.reference).click()
    expect(page.get_by_text("Which flat at the address do you mean?")).to_be_visible()
    expect(page.get_by_text("Your message answers the clarification question")).to_be_visible()
    assert all_violations(axe, page) == []
    page.get_by_label("Message", exact=True).fill("Flat 2, on the first floor. Plan attached.")
    page.get_by_label("Attach a file (optional)").set_input_files(
        {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("The clock has restarted")).to_be_visible()

    discloser.goto(f"{live}/")
    assert _what_changed(discloser) == "What changed 1 new"
    discloser.goto(detail)
    expect(discloser.locator(".govuk-tag", has_text="Under review")).to_be_visible()
    expect(discloser.get_by_text("Flat 2, on the first floor.")).to_be_visible()
    with discloser.expect_download() as download:
        discloser.get_by_role("link", name="plan.pdf").click()
    assert download.value.suggested_filename == "plan.pdf"
    _send(discloser, "Thank you. I will decide this week.")
    page.goto(detail)
    _send(page, "Thank you.")

    discloser.goto(detail)
    record_disclosure(discloser, disclosed="Three incidents of criminal damage.")

    page.goto(f"{live}/requests/changes/")
    rows = page.locator("tbody tr").all_inner_texts()
    assert [row.split("\t")[1] for row in rows[:3]] == [
        "Decision recorded New",
        "New message New",
        "Clarification asked",
    ]
    page.goto(detail)
    bodies = page.locator("#messages .govuk-summary-card__content").all_inner_texts()
    assert [b.strip().splitlines()[0] for b in bodies] == [
        "Which flat at the address do you mean?",
        "Flat 2, on the first floor. Plan attached.",
        "Thank you. I will decide this week.",
        "Thank you.",
    ]
    expect(page.get_by_text("Three incidents of criminal damage.")).to_be_visible()
    assert Message.objects.filter(request=req).count() == 4
