"""What every form shows when it is filled in wrongly in every way at once (GOV.UK error
summary pattern, #16): the page title starts "Error: ", the error summary has focus and
lists every problem, each linked to a field on the page, and each message names the thing
(never Django's "This field is required")."""

from playwright.sync_api import Page, expect

_LINKS = """() => [...document.querySelectorAll('.govuk-error-summary__list a')].map(a => ({
  message: a.textContent.trim(),
  href: a.getAttribute('href'),
  target: !!document.getElementById(a.getAttribute('href').slice(1)),
}))"""


def error_summary(page: Page) -> dict[str, str]:
    """The summary's messages and the fields they link to, after checking the pattern."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_have_count(1)
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: "), page.title()
    links = page.evaluate(_LINKS)
    assert links, "the summary lists no problem"
    assert [link for link in links if not link["target"]] == [], "links to nothing"
    assert not any("This field is required" in link["message"] for link in links)
    # Each message is also shown beside its field.
    for link in links:
        beside = page.locator(".govuk-error-message", has_text=link["message"])
        expect(beside.first).to_be_attached()
    # The first link moves focus to its field.
    page.locator(".govuk-error-summary__list a").first.click()
    first = links[0]["href"].removeprefix("#")
    expect(page.locator(f"[id='{first}']")).to_be_focused()
    return {link["message"]: link["href"] for link in links}
