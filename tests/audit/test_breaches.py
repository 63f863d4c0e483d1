"""Breaches: any officer reports one, the owning agency's SPOC is told and decides within
72 hours whether to notify the ICO."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, EventType
from oversight.models import Breach, BreachStatus, IcoDecision
from oversight.services import breach_record_decision, breach_report
from oversight.templatetags.oversight_tags import ico_clock
from requests_app.access import grant_on_create, grant_on_submit
from requests_app.models import InformationRequest
from tests.audit.conftest import InformationRequestFactory
from tests.world import World, ref

pytestmark = pytest.mark.django_db

SECRET_DETAIL = "Envelope for Mr Secret Person"


@pytest.fixture
def request_to_police(world: World) -> InformationRequest:
    request = InformationRequestFactory.create(
        requester=world.requester, requesting_agency=world.council, target_agency=world.police
    )
    grant_on_create(request)
    grant_on_submit(request)
    return request


def report_form(reference: str, hours_ago: int = 2) -> dict[str, str]:
    when = timezone.localtime() - datetime.timedelta(hours=hours_ago)
    return {
        "reference": reference,
        "what_happened": f"{SECRET_DETAIL} was posted to the wrong address",
        "discovered_on_day": str(when.day),
        "discovered_on_month": str(when.month),
        "discovered_on_year": str(when.year),
        "discovered_time": when.strftime("%H:%M"),
        "data_affected": "Address history of one person",
    }


def test_officer_reports_a_breach_and_the_owning_spoc_is_emailed_a_link_only(
    client: Client,
    world: World,
    request_to_police: InformationRequest,
    django_capture_on_commit_callbacks,
) -> None:
    client.force_login(world.requester)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("audit:breach_report"), report_form(ref(request_to_police)))
    breach = Breach.objects.get()
    assert response.status_code == 302
    assert breach.owning_agency == world.police  # the disclosing agency owns the data
    assert breach.request == request_to_police
    assert breach.status == BreachStatus.OPEN
    # One message each, as every notification: a retry never sends again what already went.
    assert sorted(email.to for email in mail.outbox) == sorted(
        [[world.police_spoc.email], [world.police_deputy.email]]
    )
    for email in mail.outbox:
        assert breach.reference in email.subject
        assert reverse("audit:breach_detail", args=[breach.pk]) in email.body
        assert SECRET_DETAIL not in f"{email.body} {email.subject}"
    event = AuditEvent.objects.get(event_type=EventType.BREACH_REPORTED)
    assert event.request_reference == request_to_police.reference
    assert SECRET_DETAIL not in str(event.details)


def test_request_the_reporter_cannot_see_is_refused_like_one_that_does_not_exist(
    client: Client, world: World, request_to_police: InformationRequest
) -> None:
    client.force_login(world.outsider)
    for reference in [ref(request_to_police), "ISP-2099-99999"]:
        response = client.post(reverse("audit:breach_report"), report_form(reference))
        assert response.status_code == 200
        assert "Enter the reference of a request you work on" in response.content.decode()
    assert not Breach.objects.exists()


def test_nothing_is_emailed_when_the_report_rolls_back(
    world: World, request_to_police: InformationRequest, django_capture_on_commit_callbacks
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        breach_report(
            reporter=world.requester,
            owning_agency=world.police,
            what_happened="x",
            discovered_at=timezone.now(),
            data_affected="x",
            request=request_to_police,
        )
        raise RuntimeError
    assert callbacks == []
    assert mail.outbox == []


def _breach(world: World, request: InformationRequest, hours_ago: float) -> Breach:
    return breach_report(
        reporter=world.requester,
        owning_agency=world.police,
        what_happened="Wrong address",
        discovered_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        data_affected="One address",
        request=request,
    )


def test_ico_clock_counts_down_72_hours_from_discovery(
    world: World, request_to_police: InformationRequest
) -> None:
    breach = _breach(world, request_to_police, hours_ago=70)
    assert breach.ico_deadline == breach.discovered_at + datetime.timedelta(hours=72)
    assert not breach.ico_overdue
    assert ico_clock(breach).startswith("1 hour 59 min left") or ico_clock(breach).startswith(
        "2 hours 0 min left"
    )


def test_ico_clock_shows_overdue_after_72_hours(
    client: Client, world: World, request_to_police: InformationRequest
) -> None:
    breach = _breach(world, request_to_police, hours_ago=80.5)
    assert breach.ico_overdue
    assert ico_clock(breach).startswith("Overdue by 8 hours")
    client.force_login(world.police_spoc)
    assert "Overdue by 8 hours" in client.get(reverse("audit:breaches")).content.decode()


def test_owning_spoc_records_the_ico_decision(
    client: Client, world: World, request_to_police: InformationRequest
) -> None:
    breach = _breach(world, request_to_police, hours_ago=5)
    client.force_login(world.police_spoc)
    response = client.post(
        reverse("audit:breach_detail", args=[breach.pk]),
        {
            "ico_decision": IcoDecision.DO_NOT_NOTIFY,
            "reasons": "Recovered unopened within the hour",
            "parties_informed": "London Borough of Haringey SPOC",
        },
    )
    assert response.status_code == 302
    breach.refresh_from_db()
    assert breach.status == BreachStatus.DECIDED
    assert breach.ico_decided_by == world.police_spoc
    assert ico_clock(breach) == "Decided within 72 hours"
    event = AuditEvent.objects.get(event_type=EventType.BREACH_UPDATED)
    assert event.details["within_72_hours"] is True


def test_notified_breach_cannot_close_without_the_notification_date(
    world: World, request_to_police: InformationRequest
) -> None:
    breach = _breach(world, request_to_police, hours_ago=5)
    with pytest.raises(ValidationError):
        breach_record_decision(
            actor=world.police_spoc,
            breach=breach,
            ico_decision=IcoDecision.NOTIFY,
            reasons="Sensitive data",
            parties_informed="All parties",
            close=True,
        )
    breach_record_decision(
        actor=world.police_spoc,
        breach=breach,
        ico_decision=IcoDecision.NOTIFY,
        reasons="Sensitive data",
        parties_informed="All parties",
        ico_notified_on=timezone.localdate(),
        close=True,
    )
    breach.refresh_from_db()
    assert breach.status == BreachStatus.CLOSED


@pytest.mark.parametrize("other", ["council_spoc", "discloser", "requester", "csp_lead"])
def test_only_the_owning_agencys_spoc_or_deputy_can_decide(
    client: Client, world: World, request_to_police: InformationRequest, other: str
) -> None:
    breach = _breach(world, request_to_police, hours_ago=5)
    client.force_login(getattr(world, other))
    response = client.post(
        reverse("audit:breach_detail", args=[breach.pk]),
        {"ico_decision": IcoDecision.NOTIFY, "reasons": "x", "parties_informed": "x"},
    )
    assert response.status_code == 404
    breach.refresh_from_db()
    assert breach.ico_decision == ""
