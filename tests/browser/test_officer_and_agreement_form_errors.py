"""The officer and agreement forms filled in wrongly in every way at once, then put
right (#16)."""

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from agreements.models import Agreement
from tests.browser.conftest import sign_in
from tests.browser.wrong_answers import error_summary
from tests.world import build_world


@pytest.fixture
def live_world(live_server: LiveServer, transactional_db: None) -> str:
    build_world()
    return live_server.url


def test_add_officer_wrong_in_every_way_then_put_right(live_world: str, page: Page) -> None:
    sign_in(page, live_world, "police_spoc")
    page.goto(f"{live_world}/officers/add/")
    page.get_by_label("Email address").fill("not an email address")
    page.get_by_label("Department (optional)").fill("Safer neighbourhoods")
    page.get_by_label("Deputy SPOC").check()  # the police already have a deputy
    page.get_by_label("Requesting officer").check()
    page.get_by_role("button", name="Save").click()

    assert error_summary(page) == {
        "Enter a username for the officer": "#id_username",
        "Enter the officer’s first name": "#id_first_name",
        "Enter the officer’s last name": "#id_last_name",
        "Enter an email address in the correct format, like name@example.org": "#id_email",
        "Enter the officer’s job title": "#id_position",
        "Metropolitan Police Service already has a Deputy SPOC: Police_Deputy Tester. "
        "Remove it from them first": "#id_roles_0",
    }
    expect(page.get_by_label("Department (optional)")).to_have_value("Safer neighbourhoods")
    expect(page.get_by_label("Email address")).to_have_value("not an email address")
    expect(page.get_by_label("Requesting officer")).to_be_checked()

    page.get_by_label("Username").fill("j.new")
    page.get_by_label("First name").fill("Jo")
    page.get_by_label("Last name").fill("New")
    page.get_by_label("Email address").fill("j.new@met.example")
    page.get_by_label("Job title").fill("Analyst")
    page.get_by_label("Deputy SPOC").uncheck()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/officers/$"))
    officer = User.objects.get(username="j.new")
    assert (officer.department, sorted(officer.role_set)) == ("Safer neighbourhoods", ["requester"])


def test_new_agreement_wrong_in_every_way_then_put_right(live_world: str, page: Page) -> None:
    sign_in(page, live_world, "administrator")
    page.goto(f"{live_world}/agreements/new/")
    page.get_by_label("Purposes (optional)").fill("Tackling anti-social behaviour")
    page.get_by_label("Retention period (days)").fill("-5")
    page.get_by_label("Signatory statement").fill("")
    page.locator("#id_next_review_on_0").fill("31")
    page.locator("#id_next_review_on_1").fill("2")
    page.locator("#id_next_review_on_2").fill("2030")
    page.get_by_label("Yes", exact=True).check()  # a DPIA was needed, and nothing about it
    page.get_by_role("button", name="Save draft").click()

    assert error_summary(page) == {
        "Enter the agreement’s reference, like HAR-DSA-01": "#id_reference",
        "Enter the agreement’s title": "#id_title",
        "Choose the kind of agreement": "#id_tier_0",
        "The retention period must be 0 or more": "#id_retention_period_days",
        "Enter a real date, for example 27 3 2007": "#id_next_review_on_0",
        "Enter the statement the signatories accept": "#id_signatory_statement",
        "Enter the date of the DPIA, or of the decision none was needed": "#id_dpia_on_0",
        "Give the DPIA's outcome, or why none was needed": "#id_dpia_outcome",
        "Name the DPIA's owner": "#id_dpia_owner",
        "Choose the agencies that will sign": "#id_parties_0",
    }
    expect(page.get_by_label("Purposes (optional)")).to_have_value("Tackling anti-social behaviour")
    expect(page.locator("#id_next_review_on_0")).to_have_value("31")

    page.locator("#id_reference").fill("HAR-DSA-NEW")
    page.locator("#id_title").fill("Anti-social behaviour")
    page.get_by_label("Over-arching protocol").check()
    page.get_by_label("Retention period (days)").fill("730")
    page.get_by_label("Review frequency").select_option(label="Annually")
    page.locator("#id_next_review_on_1").fill("3")
    page.get_by_label("Signatory statement").fill("We agree to share as this protocol says")
    page.get_by_label("Not recorded yet").check()
    page.get_by_label("London Borough of Haringey").check()
    page.get_by_label("Metropolitan Police Service").check()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/agreements/\d+/$"))
    agreement = Agreement.objects.get(reference="HAR-DSA-NEW")
    assert agreement.purposes == "Tackling anti-social behaviour"
