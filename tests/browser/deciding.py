"""Recording a decision through its task list, as a disclosing officer does."""

from playwright.sync_api import Page, expect


def record_disclosure(
    page: Page,
    *,
    disclosed: str,
    signature: str = "Discloser Tester",
    authorised_by: str = "DS Tester",
) -> None:
    """From the request page: every section of the decision filled in, signed, recorded."""
    page.get_by_role("link", name="Record decision").click()
    expect(page.get_by_role("heading", name="Record your decision")).to_be_visible()
    page.get_by_role("link", name="Part B: the disclosure").click()
    page.get_by_label("Disclosed", exact=True).check()
    page.get_by_label("Information disclosed").fill(disclosed)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Appendix G decision record").click()
    page.get_by_label("The decision and its reasons").fill("Necessary and proportionate")
    page.get_by_label("Offending history").check()
    page.get_by_label("Without consent: public interest").check()
    page.locator("#id_subject_informed_1").check()
    page.get_by_label("Why were they not informed?").fill("Would prejudice the investigation")
    page.get_by_label("Who consented or authorised the disclosure?").fill(authorised_by)
    page.get_by_label("Evidence the decision rests on (ISP 4.6)").fill("CRIS 1234")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Information Sharing Checklist").click()
    for checkbox in page.locator("input[name^='checklist-'][type=checkbox]").all():
        checkbox.check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Check and sign your decision").click()
    page.get_by_label("Type your full name to sign").fill(signature)
    page.get_by_role("button", name="Sign and record decision").click()
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Decision recorded")
