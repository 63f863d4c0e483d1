"""Input that could stop the service, or make its output lie: every input has a bound that
is checked before any work is done (issue #14, findings 8 to 14). One test per finding fails
on the code before the fix; property-based tests walk each bound."""

import csv
import datetime
import importlib
import importlib.util
import inspect
import io
import uuid
from typing import Any

import pytest
from django import forms as django_forms
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import OfficerRole, Role
from isp_portal.exports import csv_response
from isp_portal.forms import MAX_YEAR, MIN_YEAR, GovukDateField, base_fields
from isp_portal.limits import TEXT_LENGTH
from oversight.forms import MAX_PERIOD_YEARS
from requests_app import services
from requests_app.forms import MAX_PEOPLE, AboutForm, DecisionForm
from requests_app.models import InformationRequest, Referral, Status
from tests.agreements.conftest import make_agreement  # noqa: F401  (fixture)
from tests.factories import UserFactory
from tests.http import body_of
from tests.requests_app.conftest import (  # noqa: F401  (fixtures)
    agreement,
    make_request,
    request_fields,
)
from tests.security.catalogue import client_for
from tests.world import World

# Finding 14: the CSV ------------------------------------------------------------------------


def test_csv_is_utf8_with_a_byte_order_mark_so_excel_reads_names_right() -> None:
    response = csv_response("names.csv", ["Name"], [["张伟"], ["Zoë Ōkafor"], ["محمد"]])
    body = body_of(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == [
        ["Name"],
        ["张伟"],
        ["Zoë Ōkafor"],
        ["محمد"],
    ]


# Finding 9: dates past the calendar's reach -------------------------------------------------


def _date_fields(prefix: str, day: int, month: int, year: int) -> dict[str, str]:
    return {f"{prefix}_day": str(day), f"{prefix}_month": str(month), f"{prefix}_year": str(year)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["audit:register", "audit:register_csv", "audit:access_log", "audit:dashboard"]
)
def test_a_filter_date_in_year_9999_is_a_message_not_a_500(world: World, url: str) -> None:
    client = client_for(world.csp_lead)
    response = client.get(reverse(url), _date_fields("date_to", 31, 12, 9999))
    assert response.status_code in {200, 400}
    if not response.streaming:
        assert f"Enter a year from {MIN_YEAR} to {MAX_YEAR}" in response.content.decode()


@pytest.mark.parametrize(
    ("supplied", "message"),
    [
        ((31, 12, 9999), f"Enter a year from {MIN_YEAR} to {MAX_YEAR}"),
        ("tomorrow", "The date supplied must be today or in the past"),
    ],
)
def test_a_date_supplied_after_today_is_refused(supplied: Any, message: str) -> None:
    if supplied == "tomorrow":
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        supplied = (tomorrow.day, tomorrow.month, tomorrow.year)
    form = DecisionForm(_date_fields("supplied_on", *supplied))
    form.is_valid()
    assert form.errors["supplied_on"] == [message]


@given(
    day=st.integers(min_value=-(10**6), max_value=10**6),
    month=st.integers(min_value=-(10**6), max_value=10**6),
    year=st.integers(min_value=-(10**9), max_value=10**9),
)
def test_every_date_field_gives_a_date_in_range_or_a_field_error(
    day: int, month: int, year: int
) -> None:
    field = GovukDateField(required=False)
    try:
        value = field.clean([str(day), str(month), str(year)])
    except ValidationError:
        return
    assert value is not None and MIN_YEAR <= value.year <= MAX_YEAR
    # Both ends of a filter period and a retention period of ten years stay computable.
    value + datetime.timedelta(days=3660)
    value - datetime.timedelta(days=1)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["audit:dashboard", "audit:dashboard_csv", "audit:dashboard_pdf"])
def test_a_report_period_longer_than_five_years_is_a_message_beside_the_field(
    world: World, url: str
) -> None:
    """Finding 8: the dashboard PDF from year 1000 took over 3 minutes and 3 GB."""
    response = client_for(world.csp_lead).get(
        reverse(url),
        {**_date_fields("date_from", 1, 1, 1900), **_date_fields("date_to", 1, 1, 2026)},
    )
    assert response.status_code in {200, 400}
    assert response["Content-Type"].startswith("text/html")
    assert f"The period can be at most {MAX_PERIOD_YEARS} years" in response.content.decode()


# Finding 10: a designated manager who advised on an earlier referral ------------------------


@pytest.mark.django_db
def test_an_earlier_designated_manager_cannot_advise_on_a_later_referral(
    world: World, make_request
) -> None:
    """They keep read access to the request they advised on (need to know: their advice is
    on it), but the advice now asked is another manager's: 403 on the page and the post,
    where there was a 500."""
    second = UserFactory.create(username="second_manager", agency=world.police)
    OfficerRole.objects.create(user=second, agency=world.police, role=Role.DESIGNATED_MANAGER)
    req = make_request(Status.REFERRED)
    services.request_give_advice(actor=world.police_manager, request=req, advice="Disclose part")
    services.request_refer(
        actor=world.discloser,
        request=InformationRequest.objects.get(pk=req.pk),
        manager=second,
        reason="New information held in confidence",
    )
    client = client_for(world.police_manager)
    url = reverse("requests:advise", args=[req.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"advice": "Disclose all"}).status_code == 403
    assert client.get(reverse("requests:detail", args=[req.pk])).status_code == 200
    assert not Referral.objects.filter(advice="Disclose all").exists()
    client_for(second).post(url, {"advice": "Decline"})
    assert Referral.objects.get(referred_to=second).advice == "Decline"


# Finding 12: people per request, and the double post of a new request ---------------------


def _new_request_post(world: World, agreement, token: str = "") -> dict[str, str]:
    required_by = timezone.localdate() + datetime.timedelta(days=30)
    return {
        "target_agency": str(world.police.pk),
        "agreement": str(agreement.pk),
        "description": "Previous ASB incidents at the address.",
        **_date_fields("required_by", required_by.day, required_by.month, required_by.year),
        "is_urgent": "no",
        "creation_token": token,
    }


def _people_post(people: int) -> dict[str, str]:
    data = {"people-TOTAL_FORMS": str(people), "people-INITIAL_FORMS": "0"}
    for index in range(people):
        data[f"people-{index}-full_name"] = f"Person {index}"
        data[f"people-{index}-role"] = "suspect"
    return data


def _people_url(req: InformationRequest) -> str:
    return reverse("requests:edit_task", args=[req.pk, "people"])


@pytest.mark.django_db
def test_more_people_than_a_request_takes_is_a_message_beside_them(
    world: World, make_request
) -> None:
    """150 people were stored; now the bound is told beside the people, and nothing saved."""
    draft = make_request()
    response = client_for(world.requester).post(_people_url(draft), _people_post(MAX_PEOPLE + 1))
    assert response.status_code == 200
    assert f"A request can name at most {MAX_PEOPLE} people" in response.content.decode()
    assert draft.people.count() == 1


@pytest.mark.django_db
def test_ten_thousand_people_get_a_page_that_says_what_happened(world: World, make_request) -> None:
    """10,000 people were a bare 400 (too many fields for Django to read)."""
    draft = make_request()
    response = client_for(world.requester).post(_people_url(draft), _people_post(10_000))
    assert response.status_code == 400
    assert "The form could not be read" in response.content.decode()
    assert draft.people.count() == 1


@pytest.mark.django_db
def test_a_new_request_posted_twice_makes_one_draft(world: World, agreement) -> None:
    client = client_for(world.requester)
    token = str(uuid.uuid4())
    first = client.post(reverse("requests:create"), _new_request_post(world, agreement, token))
    second = client.post(reverse("requests:create"), _new_request_post(world, agreement, token))
    draft = InformationRequest.objects.get()
    assert first["Location"] == second["Location"] == reverse("requests:edit", args=[draft.pk])


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_second_draft_with_the_same_token(world: World, agreement) -> None:
    token = uuid.uuid4()
    fields = request_fields(world, agreement)
    made = services.request_create_draft(
        actor=world.requester, fields=fields, people=[], legislation=[], creation_token=token
    )
    with pytest.raises(IntegrityError):
        InformationRequest.objects.create(
            requester=world.requester,
            requesting_agency=world.council,
            target_agency=world.police,
            required_by=made.required_by,
            creation_token=token,
        )


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.integers(min_value=0, max_value=3 * MAX_PEOPLE))
def test_any_number_of_people_is_stored_within_the_bound_or_told(
    world: World, make_request, people: int
) -> None:
    draft = make_request()
    response = client_for(world.requester).post(_people_url(draft), _people_post(people))
    assert response.status_code in {200, 302}
    assert all(r.people.count() <= MAX_PEOPLE for r in InformationRequest.objects.all())


# Every text field is bounded ---------------------------------------------------------------

PROJECT_APPS = [
    "accounts",
    "agreements",
    "audit",
    "consent",
    "requests_app",
    "rights",
    "retention",
    "oversight",
]


def _project_forms() -> list[type[django_forms.BaseForm]]:
    found = []
    for app in PROJECT_APPS:
        if importlib.util.find_spec(f"{app}.forms") is None:
            continue  # audit and retention have no forms
        module = importlib.import_module(f"{app}.forms")
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, django_forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def test_every_text_field_of_every_model_has_a_maximum_length() -> None:
    unbounded = [
        f"{model.__name__}.{field.name}"
        for model in django_apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField) and field.max_length is None
    ]
    assert unbounded == []


def test_every_text_field_of_every_form_has_a_maximum_length() -> None:
    unbounded = [
        f"{form.__name__}.{name}"
        for form in _project_forms()
        for name, field in base_fields(form).items()
        if type(field) in {django_forms.CharField, django_forms.RegexField}
        and getattr(field, "max_length", None) is None
    ]
    assert unbounded == []


@given(extra=st.integers(min_value=1, max_value=50_000))
def test_a_text_longer_than_its_bound_is_a_field_error(extra: int) -> None:
    field = AboutForm.base_fields["description"]
    with pytest.raises(ValidationError):
        field.clean("x" * (TEXT_LENGTH + extra))
    assert field.clean("x" * TEXT_LENGTH)
