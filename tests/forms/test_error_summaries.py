"""The portal's other forms, sent empty or wrong: one error summary at the top of the page
listing every problem in one round, each linked to its field, the title starting
"Error: ", messages that name the thing (#16)."""

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementStatus
from consent.models import ConsentRecord
from oversight import services as oversight_services
from tests.agreements.builders import build_agreement
from tests.consent.conftest import ConsentFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def _summary(page: str) -> list[tuple[str, str]]:
    assert page.count('class="govuk-error-summary"') == 1, "one error summary"
    # At the top: before the page's heading.
    assert page.index('class="govuk-error-summary"') < page.index("<h1")
    body = page.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', body)


def _errors(client: Client, url: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    # A browser always sends the CSRF token, so a form sent empty is still bound.
    response = client.post(url, {"csrfmiddlewaretoken": "unchecked", **data})
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"<title>Error: ", page)
    assert "This field is required" not in page
    links = _summary(page)
    for target, _message in links:
        assert f'id="{target}"' in page, f"the summary links to #{target}, which is not there"
    return links


def test_rights_case(world: World, client: Client) -> None:
    client.force_login(world.police_spoc)
    future = timezone.localdate() + datetime.timedelta(days=3)
    assert _errors(
        client,
        reverse("rights:create"),
        {
            "kind": "erase",
            "person_date_of_birth_day": str(future.day),
            "person_date_of_birth_month": str(future.month),
            "person_date_of_birth_year": str(future.year),
        },
    ) == [
        ("id_person_name", "Enter the person’s full name"),
        ("id_person_date_of_birth_0", "Date of birth must be in the past"),
        ("id_instructions", "Say what recipients must do"),
    ]


def test_breach_report(world: World, client: Client) -> None:
    client.force_login(world.requester)
    assert _errors(client, reverse("audit:breach_report"), {"reference": "NO-SUCH-REF"}) == [
        ("id_reference", "Enter the reference of a request you work on"),
        ("id_owning_agency", "Choose the agency that owns the data"),
        ("id_what_happened", "Describe what happened"),
        ("id_discovered_on_0", "Enter the date the breach was discovered"),
        ("id_discovered_time", "Enter the time the breach was discovered, like 14:30"),
        ("id_data_affected", "Describe the data affected"),
    ]


def test_breach_decision(world: World, client: Client) -> None:
    agreement = build_agreement(world, reference="HAR-DSA-BD")
    breach = oversight_services.breach_report(
        reporter=world.requester,
        owning_agency=world.council,
        what_happened="A letter went to the wrong address",
        discovered_at=timezone.now() - datetime.timedelta(hours=1),
        data_affected="One address",
        agreement=agreement,
    )
    client.force_login(world.council_spoc)
    links = _errors(
        client,
        reverse("audit:breach_detail", args=[breach.pk]),
        {"reasons": "", "parties_informed": ""},
    )
    assert [message for _target, message in links] == [
        "Choose whether the Information Commissioner’s Office is to be told",
        "Enter the reasons for the decision",
        "Enter who was told about the breach",
    ]


def test_consent_withdrawal(world: World, client: Client) -> None:
    consent: ConsentRecord = ConsentFactory.create(
        given_to_agency=world.police, recorded_by=world.requester
    )
    client.force_login(world.requester)
    empty = {"withdrawn_on_day": "", "withdrawn_on_month": "", "withdrawn_on_year": ""}
    assert _errors(client, reverse("consent:withdraw", args=[consent.pk]), empty) == [
        ("id_method_0", "Choose how the person withdrew their consent"),
        ("id_withdrawn_on_0", "Enter the date they withdrew their consent"),
    ]


def test_signing_an_agreement(world: World, client: Client) -> None:
    agreement = build_agreement(world, AgreementStatus.AWAITING_SIGNATURES, reference="HAR-S")
    client.force_login(world.police_signatory)
    page = client.get(reverse("agreements:sign", args=[agreement.pk])).content.decode()
    found = re.search(r'name="content_hash" value="([^"]+)"', page)
    assert found, "the page has no content hash"
    content_hash = found[1]
    assert _errors(
        client, reverse("agreements:sign", args=[agreement.pk]), {"content_hash": content_hash}
    ) == [("id_accept", "Confirm that you accept the statement and sign for your agency")]


def test_joining_an_agreement(world: World, client: Client) -> None:
    client.force_login(world.administrator)
    links = _errors(client, reverse("agreements:join"), {"reference": "NO-SUCH-AGREEMENT"})
    assert links == [
        (
            "id_reference",
            "No agreement in force has that reference, or your agency is already a party",
        ),
        ("id_duties", "Describe the duties your organisation would take on"),
        ("id_reason", "Enter why your organisation needs to join"),
        ("id_breach_contact", "Enter who to contact about a breach"),
    ]


def test_officer_import(world: World, client: Client) -> None:
    client.force_login(world.police_spoc)
    assert _errors(client, reverse("accounts:officer_import"), {}) == [
        ("id_file", "Select a CSV file of officers")
    ]


def test_editing_an_officer(world: World, client: Client) -> None:
    client.force_login(world.police_spoc)
    officer = world.discloser
    assert _errors(
        client,
        reverse("accounts:officer_edit", args=[officer.pk]),
        {"first_name": "", "last_name": "", "email": "x", "position": "", "roles": ["spoc"]},
    ) == [
        ("id_first_name", "Enter the officer’s first name"),
        ("id_last_name", "Enter the officer’s last name"),
        ("id_email", "Enter an email address in the correct format, like name@example.org"),
        ("id_position", "Enter the officer’s job title"),
        ("id_roles_0", "Roles: select only the options shown"),
    ]


def test_optional_only_on_what_may_always_be_left_out(world: World, client: Client) -> None:
    """A question needed for some answers is never labelled "(optional)"."""
    client.force_login(world.requester)
    page = client.get(reverse("audit:breach_report")).content.decode()
    assert re.findall(r">([^<>]+) \(optional\)<", page) == []
    client.force_login(world.police_spoc)
    page = client.get(reverse("rights:create")).content.decode()
    assert re.findall(r">([^<>]+) \(optional\)<", page) == []
    client.force_login(world.administrator)
    page = client.get(reverse("agreements:create")).content.decode()
    optional = re.findall(r">([^<>]+) \(optional\)<", page)
    assert "Parent" not in optional and "DPIA owner (name and role)" not in optional
    assert "Purposes" in optional  # a draft may be saved without it


def test_a_hidden_fields_problem_is_in_the_summary(world: World, client: Client) -> None:
    agreement = build_agreement(world, AgreementStatus.AWAITING_SIGNATURES, reference="HAR-H")
    client.force_login(world.police_signatory)
    assert _errors(client, reverse("agreements:sign", args=[agreement.pk]), {"accept": "on"}) == [
        ("id_accept", "The page was out of date. Read the agreement again and sign it")
    ]


def test_terms_of_use(world: World, client: Client) -> None:
    client.force_login(world.requester)
    assert _errors(client, reverse("accounts:terms"), {}) == [
        ("id_accept", "Confirm that you agree to the terms of use")
    ]


def test_editing_an_agreement_draft(world: World, client: Client) -> None:
    draft = build_agreement(world, AgreementStatus.DRAFT, reference="HAR-DRAFT")
    client.force_login(world.administrator)
    links = _errors(
        client,
        reverse("agreements:edit", args=[draft.pk]),
        {"title": "", "tier": "protocol", "retention_period_days": "-1"},
    )
    assert links[:2] == [
        ("id_title", "Enter the agreement’s title"),
        ("id_retention_period_days", "The retention period must be 0 or more"),
    ]
