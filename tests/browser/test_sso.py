"""Single sign-on in Chromium, through a real OpenID Connect provider on 127.0.0.1
(tests/sso/oidc_provider.mjs): the sign-in page offers the agency's provider, the officer
signs in there and comes back signed in, asked for the portal's code when the provider
did not vouch for a second factor; strangers and deactivated officers get a clear page."""

from collections.abc import Iterator

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from tests.browser.conftest import all_violations
from tests.browser.test_axe_pages import _wider_than_the_screen
from tests.security.conftest import TOTP_SECRET, current_code
from tests.sso.conftest import clients_for, configure_sign_on
from tests.sso.provider import IdentityProvider, identity_provider
from tests.world import World, build_world

BUTTON = "Sign in with Metropolitan Police Service's account"


@pytest.fixture(scope="module")
def live_idp(
    live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IdentityProvider]:
    base = live_server.url
    with identity_provider(tmp_path_factory.mktemp("live-idp"), clients_for(base)) as provider:
        yield provider


@pytest.fixture
def sso_world(live_server: LiveServer, transactional_db: None, live_idp, settings) -> World:
    settings.SSO_HTTP_ISSUER_ALLOWED = True
    world = build_world()
    configure_sign_on(world.police, live_idp.issuer, actor=world.administrator)
    return world


def _sign_in_at_provider(page: Page, base_url: str, sub: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_role("button", name=BUTTON).click()
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.get_by_label("Account").fill(sub)
    page.get_by_role("button", name="Continue").click()


def test_an_officer_signs_in_with_their_organisations_account(
    sso_world: World, live_server: LiveServer, live_idp, new_page, axe: Axe
) -> None:
    base = live_server.url
    TOTP.activate(sso_world.discloser, TOTP_SECRET)
    live_idp.add_account("sub-discloser", email="discloser@example.gov.uk", email_verified=True)
    page = new_page()
    page.goto(f"{base}/accounts/login/")
    expect(page.get_by_role("button", name=BUTTON)).to_be_visible()
    assert all_violations(axe, page) == []
    assert _wider_than_the_screen(page) == []

    # No second factor in the token: the portal asks for its own code.
    _sign_in_at_provider(page, base, "sub-discloser")
    page.wait_for_url(f"{base}/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(current_code())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Discloser Tester")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("Signed in as Discloser Tester")).to_have_count(0)

    # Linked now: known by the provider's subject; with "mfa" in amr no code is asked.
    live_idp.add_account("sub-discloser", email="other@elsewhere.test", amr=["pwd", "mfa"])
    page = new_page()
    _sign_in_at_provider(page, base, "sub-discloser")
    expect(page.get_by_text("Signed in as Discloser Tester")).to_be_visible()
    assert page.url == f"{base}/"
    # The officer's link to their organisation's account.
    page.goto(f"{base}/accounts/3rdparty/")
    expect(page.get_by_label("Metropolitan Police Service")).to_be_visible()
    assert all_violations(axe, page) == []
    assert _wider_than_the_screen(page) == []

    # Opened from a link, the start page asks to continue (a sign-in starts only by a form).
    page = new_page()
    page.goto(f"{base}/accounts/oidc/agency-mps/login/")
    expect(page.get_by_role("heading", name=BUTTON)).to_be_visible()
    assert all_violations(axe, page) == []
    assert _wider_than_the_screen(page) == []


def test_strangers_and_deactivated_officers_are_refused(
    sso_world: World, live_server: LiveServer, live_idp, new_page, axe: Axe
) -> None:
    base = live_server.url
    page = new_page()
    live_idp.add_account("sub-stranger", email="stranger@example.gov.uk", email_verified=True)
    _sign_in_at_provider(page, base, "sub-stranger")
    expect(page.get_by_role("heading", name="You cannot sign in with this account")).to_be_visible()
    expect(
        page.get_by_text(
            "Your organisation's account is not linked to an ISP Portal account: ask your SPOC"
        )
    ).to_be_visible()
    assert all_violations(axe, page) == []
    assert _wider_than_the_screen(page) == []

    User.objects.filter(pk=sso_world.discloser2.pk).update(is_active=False)
    live_idp.add_account("sub-leaver", email="discloser2@example.gov.uk", email_verified=True)
    page = new_page()  # a new browser: the provider remembers who signed in there
    _sign_in_at_provider(page, base, "sub-leaver")
    expect(page.get_by_text("Your ISP Portal account has been deactivated")).to_be_visible()
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/")
