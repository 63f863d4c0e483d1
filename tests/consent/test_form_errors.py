"""The consent form finds every problem in one round, in words that name the thing, and
the same form posted again records one consent (#16)."""

import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentRecord
from tests.world import World

pytestmark = pytest.mark.django_db


def _summary(page: str) -> list[tuple[str, str]]:
    """The error summary's (link, message) pairs, in order."""
    summary = page.split('govuk-error-summary__list"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', summary)


def _valid(world: World, agreement: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "status": "given",
        "subject_name": "Alex Example",
        "subject_age": "40",
        "about_signer": "yes",
        "reasons_explained": "yes",
        "given_to_agency": world.police.pk,
        "disclose_to_agency": world.council.pk,
        "agreements": [agreement.pk],
        "purposes": "Incident reports",
        "obtained_by": "telephone",
        "telephone_taken_by": "PC Smith",
        "signed_on_day": str(today.day),
        "signed_on_month": str(today.month),
        "signed_on_year": str(today.year),
    }


def test_an_empty_form_lists_every_required_answer_at_once(world: World, client: Client) -> None:
    client.force_login(world.requester)
    response = client.post(reverse("consent:create"), {"disclose_to_agency": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Record consent" in page
    assert _summary(page) == [
        ("#id_status_0", "Choose whether consent was given, refused or not sought"),
        ("#id_subject_name", "Enter the name of the person the information is about"),
        ("#id_subject_age", "Enter the person’s date of birth or, if it is not known, their age"),
        ("#id_given_to_agency", "Choose the agency that holds the information"),
        ("#id_disclose_to_agency", "Choose the agency it may be disclosed to"),
        ("#id_purposes", "Describe the information and the purposes"),
    ]
    assert "This field is required" not in page
    assert page.count("govuk-error-summary__title") == 1


def test_field_problems_and_protocol_rules_come_in_one_round(
    world: World, agreement: Any, client: Client
) -> None:
    """A date that cannot be read, a name too long and the rules for consent given (the
    date it was given, how, an agreement) are all shown after the first press."""
    client.force_login(world.requester)
    data = {
        **_valid(world, agreement),
        "subject_name": "x" * 201,
        "subject_date_of_birth_day": "31",
        "subject_date_of_birth_month": "2",
        "subject_date_of_birth_year": "1990",
        "agreements": [],
        "obtained_by": "",
        "signed_on_day": "",
        "signed_on_month": "",
        "signed_on_year": "",
        "subject_age": "200",
    }
    page = client.post(reverse("consent:create"), data).content.decode()
    messages = {message: href for href, message in _summary(page)}
    assert messages == {
        "Full name must be 200 characters or fewer": "#id_subject_name",
        "Enter a real date, for example 27 3 2007": "#id_subject_date_of_birth_0",
        "Age must be between 0 and 130": "#id_subject_age",
        "Choose at least one agreement whose purposes it covers": "#id_agreements_0",
        "Enter the date consent was given": "#id_signed_on_0",
        "Choose how consent was obtained": "#id_obtained_by_0",
    }
    # Nothing typed is lost.
    assert 'value="31"' in page and 'value="1990"' in page
    assert "PC Smith" in page
    assert not ConsentRecord.objects.exists()


def test_optional_only_where_optional_whatever_the_answers(world: World, client: Client) -> None:
    client.force_login(world.requester)
    page = client.get(reverse("consent:create")).content.decode()
    optional = re.findall(r">([^<>]+) \(optional\)<", page)
    assert optional == [
        "Requesting officer’s ref",
        "Disclosing officer’s ref",
        "Address",
        "Their address",
        "Their date of birth",
        "Expiry date",
    ]


def test_the_same_form_posted_twice_records_one_consent(
    world: World, agreement: Any, client: Client
) -> None:
    client.force_login(world.requester)
    page = client.get(reverse("consent:create")).content.decode()
    found = re.search(r'name="submission_token" value="([^"]+)"', page)
    assert found, "the form has no submission token"
    token = found[1]
    data = {**_valid(world, agreement), "submission_token": token}
    answers = [client.post(reverse("consent:create"), data) for _ in range(5)]
    consent = ConsentRecord.objects.get()
    assert {a["Location"] for a in answers} == {reverse("consent:detail", args=[consent.pk])}


def test_a_form_shown_again_with_errors_keeps_its_token(
    world: World, agreement: Any, client: Client
) -> None:
    client.force_login(world.requester)
    token = str(uuid.uuid4())
    data = {**_valid(world, agreement), "submission_token": token}
    page = client.post(reverse("consent:create"), {**data, "purposes": ""}).content.decode()
    assert f'name="submission_token" value="{token}"' in page
    client.post(reverse("consent:create"), data)
    client.post(reverse("consent:create"), data)
    assert ConsentRecord.objects.count() == 1


def test_another_officers_token_is_refused_as_out_of_date(
    world: World, agreement: Any, client: Client
) -> None:
    token = str(uuid.uuid4())
    client.force_login(world.requester)
    client.post(reverse("consent:create"), {**_valid(world, agreement), "submission_token": token})
    client.force_login(world.council_colleague)
    page = client.post(
        reverse("consent:create"), {**_valid(world, agreement), "submission_token": token}
    ).content.decode()
    assert "The page was out of date" in page
    assert ConsentRecord.objects.count() == 1
