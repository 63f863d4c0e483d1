"""Filling in Part A in the browser, for tests whose subject comes after it."""

import datetime
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect


def date_fill(page: Page, name: str, day: int, month: int, year: int) -> None:
    page.locator(f"#id_{name}_0").fill(str(day))
    page.locator(f"#id_{name}_1").fill(str(month))
    page.locator(f"#id_{name}_2").fill(str(year))


def complete_part_a(
    page: Page,
    base_url: str,
    *,
    description: str,
    people: Callable[[Page], None],
    consent_obtained: str,
    public_interest_reason: str = "",
    legislation: str = "S1 – ASB",
) -> None:
    """Every task of a new request, ending on the check answers page."""
    required = timezone.localdate() + datetime.timedelta(days=20)
    page.goto(f"{base_url}/requests/new/")
    page.get_by_label("Agency you are asking").select_option(label="Metropolitan Police Service")
    page.get_by_label("Agreement this request is made under").select_option(index=1)
    page.get_by_label("Information requested").fill(description)
    date_fill(page, "required_by", required.day, required.month, required.year)
    page.locator("#id_is_urgent_1").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Your draft request")).to_be_visible()

    page.get_by_role("link", name="The people the information is about").click()
    people(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Your draft request")).to_be_visible()

    page.get_by_role("link", name="Consent and public interest").click()
    page.get_by_label(consent_obtained).check()
    if public_interest_reason:
        page.locator("#id_public_interest_0").check()
        page.get_by_label("Why is disclosure in the public interest?").fill(public_interest_reason)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Your draft request")).to_be_visible()

    page.get_by_role("link", name="Legislation").click()
    page.get_by_label(legislation).check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Check and sign").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
