"""The inbox shows, for each open request, when it was received, who asks, whether it is
urgent, when it is due or how long overdue, who has it and whether a consent it relies on
was withdrawn; overdue first, then by due date."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consent.models import NoticeKind, WithdrawalNotice
from requests_app import services
from requests_app.models import InformationRequest, Status
from tests.consent.conftest import ConsentFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def _due(req: InformationRequest, days: int) -> None:
    InformationRequest.objects.filter(pk=req.pk).update(
        due_on=timezone.localdate() + datetime.timedelta(days=days)
    )


def test_the_inbox_lists_overdue_first_then_by_due_date(
    world: World, make_request, client: Client
) -> None:
    later = make_request(Status.SUBMITTED)
    _due(later, 9)
    urgent = make_request(Status.SUBMITTED, is_urgent=True, urgency_reason="Court tomorrow")
    _due(urgent, 1)
    long_overdue = make_request(Status.UNDER_REVIEW)
    _due(long_overdue, -6)
    overdue = make_request(Status.SUBMITTED)
    _due(overdue, -1)
    client.force_login(world.discloser)
    rows = list(client.get(reverse("requests:inbox")).context["rows"])
    assert rows == [
        InformationRequest.objects.get(pk=r.pk) for r in (long_overdue, overdue, urgent, later)
    ]


def test_each_row_says_received_from_urgency_due_assignee_and_consent_withdrawn(
    world: World, make_request, client: Client
) -> None:
    req = make_request(Status.SUBMITTED, is_urgent=True, urgency_reason="Court tomorrow")
    _due(req, -2)
    services.request_assign(actor=world.discloser, request=req, assignee=world.discloser)
    WithdrawalNotice.objects.create(
        request=req,
        consent=ConsentFactory.create(given_to_agency=world.police, recorded_by=world.requester),
        kind=NoticeKind.OPEN,
        person_label="Person 1 (witness)",
        created_at=timezone.now(),
    )
    quiet = make_request(Status.SUBMITTED)
    client.force_login(world.police_spoc)
    html = client.get(reverse("requests:inbox")).content.decode()
    table = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    first, second = table.split('<tr class="govuk-table__row">')[1:3]
    received = timezone.localdate()
    for expected in (
        req.reference,
        "Urgent",
        "Consent withdrawn",
        world.council.name,
        f"{received.day} {received:%b %Y}",
        "2 days overdue",
        str(world.discloser),
    ):
        assert expected in first, expected
    assert quiet.reference in second
    assert "Consent withdrawn" not in second and "Urgent" not in second
    assert "Not assigned" in second
    for header in ("Reference", "From", "Received", "Status", "Due", "Assigned to"):
        assert f'<th scope="col" class="govuk-table__header">{header}</th>' in html
