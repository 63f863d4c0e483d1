"""An agreement records its DPIA (`002_…` §3) and the register shows those without one; an
agreement past its review date warns everyone but does not by itself stop sharing (#17)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.forms import MinorAmendmentForm
from agreements.models import Agreement
from requests_app.models import Status
from tests.requests_app.conftest import build_request
from tests.world import World

pytestmark = pytest.mark.django_db

DPIA = {
    "dpia_needed": True,
    "dpia_on": timezone.localdate() - datetime.timedelta(days=30),
    "dpia_outcome": "Residual risk low; transfer through the portal only",
    "dpia_owner": "Information Governance Manager, LBH",
}


def _amendment(agreement: Agreement, **data: object) -> MinorAmendmentForm:
    fields = {
        name: getattr(agreement, name)
        for name in ("title", "purposes", "benefits", "data_subjects", "data_items")
    }
    fields |= {"security": "x", "transfer": "x", "disposal_method": "x", "what_changed": "DPIA"}
    return MinorAmendmentForm(data={**fields, **data}, instance=agreement)


def test_an_answered_dpia_needs_its_date_outcome_and_owner(make_agreement) -> None:
    agreement = make_agreement()
    form = _amendment(agreement, dpia_needed="true")
    assert not form.is_valid()
    assert {"dpia_on", "dpia_outcome", "dpia_owner"} <= set(form.errors)
    whole = _amendment(
        agreement,
        dpia_needed="false",
        dpia_on_day="1",
        dpia_on_month="3",
        dpia_on_year="2026",
        dpia_outcome="Screening found no high risk",
        dpia_owner="IG lead",
    )
    assert whole.is_valid(), whole.errors


def test_the_database_refuses_half_a_dpia(make_agreement) -> None:
    agreement = make_agreement()
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(dpia_needed=True)


def test_dpia_is_recorded_by_minor_amendment(world: World, make_agreement) -> None:
    agreement = make_agreement()
    services.agreement_amend_minor(
        actor=world.council_spoc, agreement=agreement, terms=DPIA, what_changed="DPIA recorded"
    )
    agreement.refresh_from_db()
    assert agreement.dpia_recorded
    assert agreement.dpia_owner == DPIA["dpia_owner"]


def test_register_shows_agreements_without_a_dpia(
    client: Client, world: World, make_agreement
) -> None:
    without = make_agreement(reference="NO-DPIA")
    done = make_agreement(reference="HAS-DPIA", **DPIA)
    client.force_login(world.council_spoc)
    page = client.get(reverse("agreements:list")).content.decode()
    section = page.split('id="without-dpia"', 1)[1].split("</ul>", 1)[0]
    assert without.reference in section
    assert done.reference not in section
    assert "Not recorded" in page


def test_an_agreement_past_review_warns_on_its_page_and_where_decisions_are_made(
    client: Client, world: World, make_agreement
) -> None:
    agreement = make_agreement(parties=("council", "police", "health"))
    req = build_request(world, agreement, Status.UNDER_REVIEW)
    Agreement.objects.filter(pk=agreement.pk).update(
        next_review_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    warning = "is past its review date"
    client.force_login(world.discloser)
    assert warning in client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert warning in client.get(reverse("requests:decide", args=[req.pk])).content.decode()
    client.force_login(world.requester)
    listing = client.get(reverse("agreements:list")).content.decode()
    assert "Review overdue" in listing
    # Still usable for a new request.
    assert (
        services.agreement_usable_problem(
            agreement=Agreement.objects.get(pk=agreement.pk),
            requesting_agency=world.council,
            target_agency=world.police,
        )
        is None
    )
