"""Concurrent decisions cannot both win; concurrent submissions get unique, gapless
references. Real threads, real connections, real row locks: PostgreSQL only."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import timezone

from requests_app import services
from requests_app.models import Decision, InformationRequest, Status
from requests_app.services import TransitionRefused
from tests.agreements.builders import build_agreement
from tests.racing import race
from tests.requests_app.conftest import build_request, decision_fields
from tests.world import build_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL")


def test_two_disclosers_deciding_at_once_exactly_one_wins() -> None:
    world = build_world()
    agreement = build_agreement(world, parties=("council", "police", "health"))
    req = build_request(world, agreement, Status.UNDER_REVIEW)

    def decide(actor, outcome: str) -> Callable[[], object]:
        extra = {"decline_reason": "Not proportionate"} if outcome == "declined" else {}
        return lambda: services.request_decide(
            actor=actor,
            request=InformationRequest.objects.get(pk=req.pk),
            fields=decision_fields(actor, outcome=outcome, **extra),
        )

    results = race([decide(world.discloser, "disclosed"), decide(world.discloser2, "declined")])

    winners = [r for r in results if isinstance(r, Decision)]
    losers = [r for r in results if isinstance(r, TransitionRefused)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert "already decided by" in str(losers[0])
    decision = Decision.objects.get(request=req)
    assert decision.pk == winners[0].pk
    req.refresh_from_db()
    assert req.status == decision.outcome


def test_simultaneous_submissions_get_unique_gapless_references() -> None:
    world = build_world()
    agreement = build_agreement(world, parties=("council", "police", "health"))
    drafts = [build_request(world, agreement, Status.DRAFT) for _ in range(6)]

    def submit(draft: InformationRequest) -> Callable[[], object]:
        return lambda: services.request_submit(
            actor=world.requester,
            request=draft,
            declaration_name=world.requester.get_full_name(),
        )

    results = race([submit(d) for d in drafts])

    assert all(isinstance(r, InformationRequest) for r in results), results
    year = timezone.localdate().year
    references = sorted(
        str(r) for r in InformationRequest.objects.values_list("reference", flat=True)
    )
    assert references == [f"ISP-{year}-{n:05d}" for n in range(1, 7)]
