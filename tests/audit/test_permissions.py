"""Every audit URL against every role in the shared world: allowed, or 404."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, AgreementTier
from oversight.models import Breach
from tests.world import OFFICERS, World

pytestmark = pytest.mark.django_db

OVERSEERS = {"csp_lead", "administrator"}
AGENCY_OVERSIGHT = {"council_spoc", "council_deputy", "police_spoc", "police_deputy"}
EVERYONE = set(OFFICERS)

ALLOWED = {
    "home": EVERYONE,
    "register": OVERSEERS | AGENCY_OVERSIGHT,
    "register_csv": OVERSEERS | AGENCY_OVERSIGHT,
    "dashboard": OVERSEERS,
    "dashboard_csv": OVERSEERS,
    "access_log": OVERSEERS | AGENCY_OVERSIGHT,
    "access_log_csv": OVERSEERS | AGENCY_OVERSIGHT,
    "breaches": EVERYONE,
    "breach_report": EVERYONE,
}
# A breach reported by the requester about data the police own.
BREACH_ALLOWED = OVERSEERS | {"requester", "police_spoc", "police_deputy"}


@pytest.mark.parametrize("url_name", sorted(ALLOWED))
def test_audit_pages_answer_only_their_roles(client: Client, world: World, url_name: str) -> None:
    for name in OFFICERS:
        client.force_login(getattr(world, name))
        response = client.get(reverse(f"audit:{url_name}"))
        expected = 200 if name in ALLOWED[url_name] else 404
        assert response.status_code == expected, name


@pytest.mark.parametrize("url_name", [*sorted(ALLOWED), "register_pdf", "dashboard_pdf"])
def test_signed_out_visitors_are_sent_to_sign_in(client: Client, url_name: str) -> None:
    response = client.get(reverse(f"audit:{url_name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_breach_detail_answers_only_reporter_owning_spoc_and_leads(
    client: Client, world: World
) -> None:
    breach = Breach.objects.create(
        agreement=Agreement.objects.create(
            reference="DSA-P", title="x", tier=AgreementTier.AGREEMENT
        ),
        owning_agency=world.police,
        what_happened="x",
        discovered_at=timezone.now() - datetime.timedelta(hours=1),
        data_affected="x",
        reported_by=world.requester,
        reported_at=timezone.now(),
    )
    for name in OFFICERS:
        client.force_login(getattr(world, name))
        response = client.get(reverse("audit:breach_detail", args=[breach.pk]))
        assert response.status_code == (200 if name in BREACH_ALLOWED else 404), name


@pytest.mark.parametrize(
    ("url_name", "allowed"),
    [
        ("register_pdf", OVERSEERS | AGENCY_OVERSIGHT),
        ("dashboard_pdf", OVERSEERS),
    ],
)
def test_pdfs_answer_only_their_roles(
    client: Client, world: World, url_name: str, allowed: set[str]
) -> None:
    for name in sorted(EVERYONE - allowed):
        client.force_login(getattr(world, name))
        assert client.get(reverse(f"audit:{url_name}")).status_code == 404, name
    client.force_login(getattr(world, sorted(allowed)[0]))
    response = client.get(reverse(f"audit:{url_name}"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
