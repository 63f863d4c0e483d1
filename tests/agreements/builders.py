"""Agreements in each state, made through the services as the portal makes them."""

import datetime
from collections.abc import Callable

from django.utils import timezone

from accounts.models import OfficerRole, Role, User
from accounts.services import _sync_groups
from agreements import services
from agreements.models import Agreement, AgreementStatus
from tests.factories import UserFactory
from tests.world import World

MakeAgreement = Callable[..., Agreement]

TERMS = {
    "title": "Crime and disorder data sharing",
    "tier": "protocol",
    "purposes": "Preventing and reducing crime and disorder",
    "benefits": "Timely, secure sharing",
    "data_subjects": "victims\nsuspects",
    "data_items": "name\ndate of birth",
    "retention_period_days": 365,
    "disposal_method": "Return to the DLO for destruction",
}


def signatory_for(world: World, agency_attr: str) -> User:
    """The world has signatories for the council and police; others get one here."""
    agency = getattr(world, agency_attr)
    existing = {"council": "council_signatory", "police": "police_signatory"}.get(agency_attr)
    if existing:
        return world.users[existing]
    user = UserFactory.create(username=f"{agency_attr}_signatory", agency=agency, position="Chief")
    OfficerRole.objects.get_or_create(user=user, role=Role.SIGNATORY, defaults={"agency": agency})
    user._role_set = frozenset({Role.SIGNATORY})
    _sync_groups(user)
    return user


_counter = iter(range(1, 100_000))


def build_agreement(
    world: World,
    state: str = AgreementStatus.ACTIVE,
    *,
    parties: tuple[str, ...] = ("council", "police"),
    reference: str | None = None,
    **terms: object,
) -> Agreement:
    """An agreement led by the council, in ``state``; when awaiting signatures, every
    party but the last has signed."""
    admin = world.administrator
    agreement = services.agreement_save_draft(
        actor=admin,
        reference=reference or f"TEST-{next(_counter):03d}",
        terms={
            **TERMS,
            "lead_agency": world.council,
            "next_review_on": timezone.localdate() + datetime.timedelta(days=365),
            **terms,
        },
        parties=[getattr(world, p) for p in parties],
    )
    for party in agreement.party_rows.all():
        services.party_update(
            actor=admin,
            party=party,
            fields={
                "duties": f"Share what {party.agency.code} holds",
                "breach_contact": f"ig@{party.agency.code.lower()}.example",
                "article6": ["e"],
                "dpa_s8": ["b"],
                "schedule1": ["p2-10"],
                "article10": True,
            },
        )
    if state == AgreementStatus.DRAFT:
        return agreement
    snapshot = services.agreement_send_for_signature(actor=admin, agreement=agreement)
    awaiting = state == AgreementStatus.AWAITING_SIGNATURES
    for attr in parties[:-1] if awaiting else parties:
        services.agreement_sign(
            actor=signatory_for(world, attr),
            agreement=agreement,
            content_hash_seen=snapshot.content_hash,
        )
    agreement.refresh_from_db()
    if state == AgreementStatus.TERMINATED:
        services.agreement_terminate(actor=admin, agreement=agreement, reason="No longer needed")
    elif state == AgreementStatus.EXPIRED:
        # Agreements expired on their review date before a missed review became a warning
        # (#17); nothing expires them now, so one is written as such a record is.
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        Agreement.objects.filter(pk=agreement.pk).update(
            next_review_on=yesterday, status=AgreementStatus.EXPIRED, ended_at=timezone.now()
        )
    agreement.refresh_from_db()
    assert agreement.status == state
    return agreement
