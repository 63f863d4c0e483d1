"""Every form that creates something creates it once, however often it is posted: a
double click, pressing the button five times, a browser retry (#16). The same token
(isp_portal.idempotency) names every post of one form."""

import datetime
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from agreements.models import Agreement
from oversight.models import Breach
from requests_app.models import OnwardSharing, Status
from rights.models import RightsCase, RightsKind
from tests.agreements.builders import build_agreement
from tests.requests_app.conftest import build_request
from tests.world import World

pytestmark = pytest.mark.django_db


def _token(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    found = re.search(r'name="submission_token" value="([^"]+)"', page)
    assert found, "the form carries no submission token"
    return found[1]


def _date(name: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _five_times(client: Client, url: str, data: dict[str, Any]) -> set[str]:
    answers = [client.post(url, data) for _ in range(5)]
    assert {a.status_code for a in answers} == {302}, [a.status_code for a in answers]
    return {a["Location"] for a in answers}


def test_an_officer_is_added_once(world: World, client: Client) -> None:
    client.force_login(world.police_spoc)
    url = reverse("accounts:officer_add")
    before = User.objects.count()
    data = {
        "submission_token": _token(client, url),
        "username": "j.new",
        "first_name": "Jo",
        "last_name": "New",
        "email": "j.new@met.example",
        "position": "Analyst",
        "roles": ["requester"],
    }
    assert _five_times(client, url, data) == {reverse("accounts:officers")}
    assert User.objects.count() == before + 1


def test_an_agreement_draft_is_made_once(world: World, client: Client) -> None:
    client.force_login(world.administrator)
    url = reverse("agreements:create")
    data = {
        "submission_token": _token(client, url),
        "reference": "HAR-DSA-ONCE",
        "title": "Made once",
        "tier": "protocol",
        "retention_period_days": "365",
        "review_frequency_months": "12",
        **_date("next_review_on", timezone.localdate() + datetime.timedelta(days=300)),
        "signatory_statement": "We agree",
        "parties": [world.council.pk, world.police.pk],
    }
    [location] = _five_times(client, url, data)
    made = Agreement.objects.get(reference="HAR-DSA-ONCE")
    assert location == reverse("agreements:detail", args=[made.pk])


def test_a_breach_is_reported_once(world: World, client: Client) -> None:
    agreement = build_agreement(world, reference="HAR-DSA-BR")
    client.force_login(world.requester)
    url = reverse("audit:breach_report")
    when = timezone.localtime() - datetime.timedelta(hours=2)
    data = {
        "submission_token": _token(client, url),
        "agreement": agreement.pk,
        "owning_agency": world.council.pk,
        "what_happened": "A letter went to the wrong address",
        **_date("discovered_on", when.date()),
        "discovered_time": when.strftime("%H:%M"),
        "data_affected": "One address",
    }
    _five_times(client, url, data)
    assert Breach.objects.count() == 1


def test_a_rights_case_is_recorded_once(world: World, client: Client) -> None:
    client.force_login(world.police_spoc)
    url = reverse("rights:create")
    data = {
        "submission_token": _token(client, url),
        "kind": RightsKind.ERASE,
        "person_name": "Jordan Example",
        **_date("person_date_of_birth", datetime.date(1990, 5, 17)),
        "instructions": "Erase: shared in error.",
    }
    [location] = _five_times(client, url, data)
    case = RightsCase.objects.get()
    assert location == reverse("rights:detail", args=[case.pk])


def test_a_token_is_one_kind_of_thing(world: World, client: Client) -> None:
    """A token already spent on another kind of form is refused, not reused."""
    token = str(uuid.uuid4())
    client.force_login(world.police_spoc)
    client.post(
        reverse("rights:create"),
        {
            "submission_token": token,
            "kind": RightsKind.ERASE,
            "person_name": "Jordan Example",
            **_date("person_date_of_birth", datetime.date(1990, 5, 17)),
            "instructions": "Erase.",
        },
    )
    page = client.post(
        reverse("accounts:officer_add"),
        {
            "submission_token": token,
            "username": "j.other",
            "first_name": "Jo",
            "last_name": "Other",
            "email": "j.other@met.example",
            "position": "Analyst",
        },
    ).content.decode()
    assert "The page was out of date" in page
    assert not User.objects.filter(username="j.other").exists()


def test_an_onward_sharing_question_is_asked_once(world: World, client: Client) -> None:
    agreement = build_agreement(world, reference="HAR-DSA-ON")
    disclosed = build_request(world, agreement, Status.DISCLOSED)
    client.force_login(world.requester)
    url = reverse("requests:onward_ask", args=[disclosed.pk])
    data = {
        "submission_token": _token(client, url),
        "third_party": "The housing association",
        "purpose": "To plan a joint visit",
    }
    _five_times(client, url, data)
    assert OnwardSharing.objects.filter(request=disclosed).count() == 1
