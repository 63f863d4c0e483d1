"""Demo consent records: one of each kind the protocol asks to be recorded.

Each is found again by its requesting officer's reference (``DEMO_REFS``), so running the
seed twice changes nothing and the request demo can link people to them.
"""

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import Agency, User
from agreements.models import IN_FORCE, Agreement
from consent import services
from consent.models import (
    ChildConsentBy,
    ConsentRecord,
    ConsentStatus,
    NotSoughtGround,
    ObtainedBy,
    SignerCapacity,
    WithdrawalMethod,
)

AGREEMENT_REFERENCE = "HAR-DSA-CP-01"

DEMO_REFS = {
    "given": "DEMO-CONSENT-GIVEN",
    "withdrawn": "DEMO-CONSENT-WITHDRAWN",
    "refused": "DEMO-CONSENT-REFUSED",
    "child": "DEMO-CONSENT-CHILD",
    "not_sought": "DEMO-CONSENT-NOT-SOUGHT",
}


def demo_consent(key: str) -> ConsentRecord | None:
    return ConsentRecord.objects.filter(requesting_officer_ref=DEMO_REFS[key]).first()


def _records(officer: User) -> dict[str, dict[str, Any]]:
    today = timezone.localdate()
    week_ago = today - datetime.timedelta(days=7)
    witnessed = {
        "witness_name": officer.get_full_name(),
        "witness_position": officer.position,
        "witnessed_on": week_ago,
        "signed_on": week_ago,
        "reasons_explained": True,
    }
    return {
        "given": {
            "status": ConsentStatus.GIVEN,
            "subject_name": "Jordan Fields",
            "subject_address": "14 Example Road, London N17 0XX",
            "subject_date_of_birth": datetime.date(1986, 4, 2),
            "obtained_by": ObtainedBy.IN_PERSON,
            "purposes": "Reports of anti-social behaviour at my address, for the ASB case "
            "conference",
            **witnessed,
        },
        "withdrawn": {
            "status": ConsentStatus.GIVEN,
            "subject_name": "Casey Morgan",
            "subject_address": "3 Sample Court, London N15 0XX",
            "subject_date_of_birth": datetime.date(1972, 11, 20),
            "obtained_by": ObtainedBy.TELEPHONE,
            "telephone_taken_by": f"{officer.get_full_name()}, {officer.position}",
            "signed_on": week_ago,
            "reasons_explained": True,
            "purposes": "Police calls to my address in the last year, to support a housing "
            "transfer",
        },
        "refused": {
            "status": ConsentStatus.REFUSED,
            "subject_name": "Robin Hale",
            "subject_address": "27 Placeholder Street, London N22 0XX",
            "subject_date_of_birth": datetime.date(1990, 1, 9),
            "purposes": "Information about incidents reported by the neighbour",
            "proceed_without_consent": True,
            "proceed_reason": "Repeated threats to a neighbour's children; the risk outweighs "
            "the refusal",
            "proceed_decided_by": "Community Safety Manager",
            "proceed_decided_on": week_ago,
        },
        "child": {
            "status": ConsentStatus.GIVEN,
            "subject_name": "Alfie Brooks",
            "subject_address": "8 Demo Gardens, London N8 0XX",
            "subject_date_of_birth": today.replace(year=today.year - 9, day=1),
            "about_signer": False,
            "signer_name": "Dana Brooks",
            "signer_address": "8 Demo Gardens, London N8 0XX",
            "signer_date_of_birth": datetime.date(1988, 6, 30),
            "signer_capacity": SignerCapacity.PARENT,
            "child_consent_by": ChildConsentBy.PARENT_OR_GUARDIAN,
            "child_assessment": "Nine years old: too young to weigh up the decision; his "
            "mother gave consent",
            "obtained_by": ObtainedBy.IN_PERSON,
            "purposes": "Information about incidents involving my son, for the youth "
            "support referral",
            **witnessed,
        },
        "not_sought": {
            "status": ConsentStatus.NOT_SOUGHT,
            "subject_name": "Morgan Price",
            "subject_address": "51 Fictional Avenue, London N4 0XX",
            "subject_age": 34,
            "purposes": "Domestic abuse call-outs, for the MARAC",
            "not_sought_ground": NotSoughtGround.RISK_OF_HARM,
            "not_sought_reason": "The partner, who is the suspect, reads her post and phone",
        },
    }


def seed(*, agencies: dict[str, Agency], users: dict[str, User]) -> None:
    police = agencies.get("MPS")
    officer = users.get("council.requester")
    if police is None or officer is None:
        return
    agreement = Agreement.objects.filter(reference=AGREEMENT_REFERENCE, status__in=IN_FORCE).first()
    for key, fields in _records(officer).items():
        if demo_consent(key) is not None:
            continue
        answers = {
            **fields,
            "given_to_agency": police,
            "disclose_to_agency": officer.agency,
            "requesting_officer_ref": DEMO_REFS[key],
        }
        covers = [agreement] if agreement and fields["status"] == ConsentStatus.GIVEN else []
        # Each is found again by reference: requests_app.demo links and withdraws them.
        if fields["status"] == ConsentStatus.GIVEN and not covers:
            # Without the agreement, consent cannot be said to cover anything: record it
            # directly so the demo still shows the record.
            ConsentRecord.objects.create(
                **services.normalised_fields(answers, timezone.localdate()), recorded_by=officer
            )
        else:
            services.consent_record(actor=officer, fields=answers, agreements=covers)


def withdraw_demo_consent(officer: User) -> None:
    """Withdraw the "withdrawn" demo consent, after a demo request has come to rely on it,
    so the withdrawal reaches that request as it would in real life."""
    record = demo_consent("withdrawn")
    if record is not None and record.status == ConsentStatus.GIVEN:
        services.consent_withdraw(
            actor=officer,
            consent=record,
            method=WithdrawalMethod.TELEPHONE,
            notes="Rang to say the housing transfer is no longer wanted",
        )
