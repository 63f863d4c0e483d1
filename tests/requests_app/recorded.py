"""A disclosure recorded without a request, made through the real service."""

import datetime
from typing import Any

from django.utils import timezone

from agreements.forms import CHECKLIST
from agreements.models import Agreement, Legislation
from requests_app.models import ConsentBasis, Outcome, SubjectInformed
from requests_app.recorded.models import Occasion, RecordedDisclosure
from requests_app.recorded.services import record_disclosure
from tests.world import World

SUMMARY = "Repeat fire-setting at a block of flats, shared for a safety visit"


def recorded_fields(world: World, **overrides: Any) -> dict[str, Any]:
    fields = {
        "outcome": Outcome.DISCLOSED,
        "summary": SUMMARY,
        "decline_reason": "",
        "reasons": "Risk to neighbours; necessary for a home fire safety visit.",
        "information_types": ["offending_history", "living_arrangements"],
        "information_types_other": "",
        "delivery_method": "in_person",
        "delivery_other": "",
        "marking": "OFFICIAL-SENSITIVE",
        "consent_basis": ConsentBasis.PUBLIC_INTEREST,
        "subject_informed": SubjectInformed.NO,
        "not_informed_reason": "Informing would put a neighbour at risk.",
        "authorised_by": "Inspector Stone, MARAC chair",
        "evidence": "CAD 4411 and the meeting's minutes",
        "third_parties": "A neighbour, Alex Witness",
        "disclosed_to_name": "Sam Officer, watch manager",
        "disclosed_to_organisation": "",
        "supplied_on": None,
        "signature_name": world.discloser.get_full_name(),
    }
    fields.update(overrides)
    return fields


def make_recorded(
    world: World,
    agreement: Agreement | None,
    *,
    occasion: str = Occasion.MEETING,
    recipient: Any = "council",
    **overrides: Any,
) -> RecordedDisclosure:
    fields = recorded_fields(world, **overrides)
    fields["supplied_on"] = fields["supplied_on"] or timezone.localdate() - datetime.timedelta(
        days=1
    )
    return record_disclosure(
        actor=world.discloser,
        occasion=occasion,
        fields=fields,
        recipient=getattr(world, recipient) if recipient else None,
        agreement=agreement,
        legislation=Legislation.objects.filter(code="cda-s115"),
        legislation_other="",
        checklist={key: True for key, _ in CHECKLIST},
        subject_names=["Jordan Example"],
    )
