"""Demo register: the Haringey ISP and data sharing agreements under it, in each state.

Built through the services, as officers would build it, so the signatures, hashes, change
logs and audit events are real. Safe to run again: an existing reference is left alone.
"""

import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Agency, OfficerRole, Role, User
from accounts.services import _sync_groups
from agreements import selectors, services
from agreements.models import Agreement, Legislation

# ISP Appendix A signatories for the parties with no demo signatory account.
APPENDIX_A_SIGNATORIES = {
    "HCCG": ("hccg.signatory", "Tony", "Hoolaghan", "Chief Executive"),
    "NPS": ("nps.signatory", "Andrew", "Blight", "Chief Probation Officer"),
    "HFH": ("hfh.signatory", "Chris", "Liffen", "Managing Director"),
    "BRT": ("brt.signatory", "Geoffrey", "Ocen", "Director"),
}
DEMO_SIGNATORIES = {
    "LBH": "council.signatory",
    "MPS": "police.signatory",
    "LFB": "fire.signatory",
    "BEH": "health.caldicott",
}

PROTOCOL = {
    "reference": "HAR-ISP-2016",
    "title": "Haringey Crime and Disorder Information Sharing Protocol",
    "tier": "protocol",
    "parties": ["LBH", "MPS", "LFB", "HCCG", "NPS", "BEH", "HFH", "BRT"],
    "legislation": [
        "cda-s115",
        "cda-s17",
        "dpa-2018",
        "uk-gdpr",
        "hra-1998",
        "homelessness-2002",
        "housing-1996",
    ],
    "purposes": (
        "Preventing and reducing crime, disorder, anti-social behaviour, "
        "extremism/radicalisation and re-offending in Haringey (ISP 1.1).\n"
        "Carrying out regular strategic assessments; formulating and implementing "
        "partnership plans; reporting to the community; allocating joint resources (ISP 8.1)."
    ),
    "benefits": "Timely, secure sharing of good quality information between the partners.",
    "data_subjects": "Victims\nInformants\nWitnesses\nSuspects\nConvicted offenders",
    "data_items": (
        "Demographics (name, date of birth, gender, address, ethnicity)\nOffending history\n"
        "Living arrangements\nFamily and personal relationships\nSubstance misuse\n"
        "Emotional and mental health"
    ),
    "special_category": True,
    "criminal_offence_data": True,
    "security": (
        "Need-to-know access only; stored in a secured folder or a lockable container; "
        "clear desk policy (ISP Appendix B)."
    ),
    "transfer": "Through the portal or a secure (GCSX-equivalent) route; never ordinary email.",
    "retention_period_days": 365 * 2,
    "disposal_method": "Returned to the disclosing agency's DLO for destruction.",
    "review_days": 200,
}

AGREEMENTS = [
    {
        "reference": "HAR-DSA-CP-01",
        "title": "Crime and disorder casework: Council and Metropolitan Police",
        "parties": ["LBH", "MPS"],
        "signed_by": ["LBH", "MPS"],
        "legislation": ["cda-s115", "cda-s17", "cda-s1", "asbcp-2014", "housing-s84"],
        "purposes": (
            "Sharing personal information about named individuals to prevent and detect crime "
            "and anti-social behaviour, and to support enforcement and re-housing decisions."
        ),
        "data_items": (
            "Name and contact details\nDate of birth\nOffending history\n"
            "Whether victim, informant, witness, suspect or convicted offender"
        ),
        "review_days": 300,
    },
    {
        "reference": "HAR-DSA-FIRE-01",
        "title": "Home fire safety and arson risk referrals",
        "parties": ["LBH", "MPS", "LFB"],
        "signed_by": ["LBH", "MPS"],
        "legislation": ["cda-s17", "fire-2004"],
        "purposes": "Referring people at high risk of fire or arson for home fire safety visits.",
        "data_items": "Name and address\nRisk indicators (type, not detail)",
        "review_days": 365,
    },
    {
        "reference": "HAR-DSA-MH-01",
        "title": "Mental health crisis and vulnerability",
        "parties": ["LBH", "MPS", "BEH"],
        "signed_by": ["LBH", "MPS", "BEH"],
        "legislation": ["cda-s115", "mca-2005", "children-2004"],
        "purposes": "Protecting adults at risk whose mental health brings them to police notice.",
        "data_items": "Name and date of birth\nEmotional and mental health (summary)",
        "special_category": True,
        "review_days": 30,
    },
    {
        "reference": "HAR-DSA-ASB-2019",
        "title": "ASB case conferences (2019 arrangement)",
        "parties": ["LBH", "MPS", "HFH"],
        "signed_by": ["LBH", "MPS", "HFH"],
        "legislation": ["asbcp-2014"],
        "purposes": "Case conferences about anti-social behaviour on Homes for Haringey estates.",
        "data_items": "Name and address\nASB incidents",
        "review_days": 200,
        "terminated": (
            "Replaced by HAR-DSA-CP-01; Homes for Haringey's housing functions returned to "
            "the Council."
        ),
    },
]

BASES: dict[str, dict[str, Any]] = {
    "police": {
        "article6": ["e"],
        "article9": ["g"],
        "dpa_s8": ["a", "b"],
        "part3": True,
        "schedule8": ["1", "4"],
        "article10": True,
    },
    "health": {
        "article6": ["e"],
        "article9": ["h", "g"],
        "dpa_s8": ["b"],
        "schedule1": ["p1-2", "p2-18"],
    },
    "other": {
        "article6": ["e"],
        "article9": ["g"],
        "dpa_s8": ["b"],
        "schedule1": ["p2-6", "p2-10", "p2-18"],
        "article10": True,
    },
}


def seed(*, agencies: dict[str, Agency], users: dict[str, User]) -> None:
    signatories = _signatories(agencies, users)
    admin = users["admin"]
    protocol = _agreement(admin, agencies, signatories, PROTOCOL, parent=None)
    for spec in AGREEMENTS:
        _agreement(admin, agencies, signatories, {**spec, "tier": "agreement"}, parent=protocol)


def _signatories(agencies: dict[str, Agency], users: dict[str, User]) -> dict[str, User]:
    found = {code: users[name] for code, name in DEMO_SIGNATORIES.items() if name in users}
    password = make_password(DEMO_PASSWORD)
    for code, (username, first, last, position) in APPENDIX_A_SIGNATORIES.items():
        agency = agencies[code]
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "position": position,
                "agency": agency,
                "email": f"{username}@{agency.secure_email_domain}",
                "password": password,
            },
        )
        OfficerRole.objects.get_or_create(
            user=user, role=Role.SIGNATORY, defaults={"agency": agency}
        )
        user._role_set = frozenset({Role.SIGNATORY})
        _sync_groups(user)
        found[code] = user
    return found


def _agreement(
    admin: User,
    agencies: dict[str, Agency],
    signatories: dict[str, User],
    spec: dict[str, Any],
    *,
    parent: Agreement | None,
) -> Agreement:
    existing = Agreement.objects.filter(reference=spec["reference"]).order_by("-version").first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    agreement = services.agreement_save_draft(
        actor=admin,
        reference=spec["reference"],
        terms={
            "title": spec["title"],
            "tier": spec["tier"],
            "parent": parent,
            "lead_agency": agencies["LBH"],
            "purposes": spec["purposes"],
            "benefits": spec.get("benefits", PROTOCOL["benefits"]),
            "data_subjects": spec.get("data_subjects", PROTOCOL["data_subjects"]),
            "data_items": spec["data_items"],
            "special_category": spec.get("special_category", False),
            "criminal_offence_data": spec.get("criminal_offence_data", True),
            "security": PROTOCOL["security"],
            "transfer": PROTOCOL["transfer"],
            "retention_period_days": spec.get("retention_period_days", 365),
            "disposal_method": PROTOCOL["disposal_method"],
            "next_review_on": today + datetime.timedelta(days=spec["review_days"]),
        },
        legislation=Legislation.objects.filter(code__in=spec["legislation"]),
        parties=[agencies[code] for code in spec["parties"]],
    )
    for party in agreement.party_rows.select_related("agency"):
        kind = party.agency.kind if party.agency.kind in ("police", "health") else "other"
        services.party_update(
            actor=admin,
            party=party,
            fields={
                "duties": f"Share the information {party.agency.name} holds for the purposes "
                "above, on a need-to-know basis, and keep the protocol's conditions.",
                "breach_contact": f"information.governance@{party.agency.secure_email_domain}",
                **BASES[kind],
            },
        )
    snapshot = services.agreement_send_for_signature(actor=admin, agreement=agreement)
    for code in spec.get("signed_by", spec["parties"]):
        services.agreement_sign(
            actor=signatories[code], agreement=agreement, content_hash_seen=snapshot.content_hash
        )
    if spec.get("terminated"):
        services.agreement_terminate(actor=admin, agreement=agreement, reason=spec["terminated"])
    agreement.refresh_from_db()
    assert selectors.current_version(agreement) is not None
    return agreement
