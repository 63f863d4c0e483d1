"""Demo requests between the demo agencies, in every state, through the real services.

The named cases (one awaiting a decision, one disclosed, one declined, one referred to
health.caldicott, one overdue, one sent to the police and the health trust at once) come
first; then a year of decided requests across the
agencies so the CSP lead dashboard shows something real. All under the demo data sharing
agreement. People named are invented.
"""

import datetime
import random
from typing import Any

from django.db.models import F
from django.utils import timezone

from accounts.models import Agency, User
from agreements.forms import CHECKLIST
from agreements.models import IN_FORCE, Agreement, Legislation
from agreements.selectors import agreements_for_request
from agreements.services import agreement_usable_problem
from consent.demo import demo_consent, withdraw_demo_consent
from requests_app import groups, services
from requests_app.demo_casework import seed_casework, seed_onward_questions
from requests_app.models import (
    ConsentBasis,
    Decision,
    InformationRequest,
    Outcome,
    PersonRole,
    SubjectInformed,
    decision_timing,
)
from requests_app.services import PersonData
from requests_app.thread.demo import seed_threads

DEMO_AGREEMENT = "HAR-DSA-CP-01"
MARKER = "[demo]"
# Decided requests spread over the past year, for the CSP lead's figures.
YEAR_OF_REQUESTS = 240

_PEOPLE = [
    ("Alex Morgan", "14 Tottenham Lane, London N8", datetime.date(1991, 3, 4)),
    ("Sam Taylor", "Flat 3, 22 West Green Road, London N15", datetime.date(1987, 11, 23)),
    ("Jamie Lee", "5 Lordship Lane, London N17", datetime.date(2000, 6, 9)),
    ("Chris Patel", "101 High Road, London N22", datetime.date(1979, 1, 30)),
]
_TOPICS = [
    "Recorded anti-social behaviour at the address over the past 12 months, to support a "
    "community protection notice.",
    "Any history of violence towards housing officers, for a risk assessment before a home visit.",
    "Fire risk concerns at the property (hoarding, previous fires) for a joint safety visit.",
    "Offending history relevant to a possession order application under Housing Act s84.",
]


def _fields(target: Agency, agreement: Agreement, n: int, **extra: Any) -> dict[str, Any]:
    return {
        "target_agency": target,
        "agreement": agreement,
        "description": f"{MARKER} {_TOPICS[n % len(_TOPICS)]}",
        "required_by": timezone.localdate() + datetime.timedelta(days=20 + n % 10),
        "is_urgent": n % 7 == 0,
        "urgency_reason": "Home visit booked this week" if n % 7 == 0 else "",
        "consent_obtained": "not_applicable",
        "public_interest": True,
        "public_interest_reason": "Preventing crime and disorder affecting neighbours.",
        "legislation_other": "",
    } | extra


def _person(n: int) -> PersonData:
    name, address, dob = _PEOPLE[n % len(_PEOPLE)]
    return PersonData(full_name=name, address=address, date_of_birth=dob, role=PersonRole.SUSPECT)


def _decision(actor: User, outcome: str) -> dict[str, Any]:
    declined = outcome == Outcome.DECLINED
    return {
        "outcome": outcome,
        "summary": "Recorded incidents at an address, for the purpose stated in the request",
        "decline_reason": "Not necessary for the stated purpose." if declined else "",
        "reasons": "Necessary and proportionate for the stated purpose under the protocol."
        if not declined
        else "The purpose can be met without this information.",
        "information_disclosed": ""
        if declined
        else "Two recorded incidents at the address (criminal damage, harassment).",
        "information_types": [] if declined else ["offending_history", "living_arrangements"],
        "delivery_method": "portal",
        "delivery_other": "",
        "marking": actor.home_agency.default_marking,
        "consent_basis": ConsentBasis.PUBLIC_INTEREST,
        "subject_informed": SubjectInformed.NO,
        "not_informed_reason": "Informing them would prejudice the prevention of crime.",
        "authorised_by": f"{actor.get_full_name()}, {actor.position}",
        "evidence": "Police and council case records checked on the day.",
        "third_parties": "",
        "signature_name": actor.get_full_name(),
        "checklist": {key: True for key, _ in CHECKLIST},
    }


def _make(
    *,
    requester: User,
    target: Agency,
    agreement: Agreement,
    n: int,
    legislation: list[Legislation],
    until: str,
    discloser: User | None = None,
    manager: User | None = None,
    dlo: User | None = None,
    **extra: Any,
) -> InformationRequest:
    req = services.request_create_draft(
        actor=requester,
        fields=_fields(target, agreement, n, **extra),
        people=[_person(n)],
        legislation=legislation,
    )
    if until == "draft":
        return req
    req = services.request_submit(
        actor=requester, request=req, declaration_name=requester.get_full_name()
    )
    if until == "submitted":
        return req
    if until == "withdrawn":
        return services.request_withdraw(
            actor=requester, request=req, reason="The tenant moved away; no longer needed."
        )
    # Every later state needs the agency's disclosing officer (and a DLO to close).
    assert discloser is not None, f"a request {until} needs a disclosing officer"
    req = services.request_start_review(actor=discloser, request=req)
    if until == "under_review":
        return req
    if until == "awaiting_clarification":
        services.request_ask_clarification(
            actor=discloser, request=req, question="Which flat at the address do you mean?"
        )
        return req
    if until == "referred":
        assert manager is not None, "a referred request needs a designated manager"
        services.request_refer(
            actor=discloser,
            request=req,
            manager=manager,
            reason="The information is held in confidence for treatment.",
        )
        return req
    after = until if until in {"returned", "closed"} else None
    outcome = Outcome.DISCLOSED if after else until
    services.request_decide(actor=discloser, request=req, fields=_decision(discloser, outcome))
    if after is None:
        return req
    req = services.request_return_information(
        actor=requester, request=InformationRequest.objects.get(pk=req.pk)
    )
    if after == "closed":
        assert dlo is not None, "a closed request needs a DLO"
        req = services.request_confirm_destruction(actor=dlo, request=req)
    return req


def _backdate(req: InformationRequest, days_ago: int, took_days: int) -> None:
    submitted = timezone.now() - datetime.timedelta(days=days_ago)
    # Decided at least a day ago: no demo decision is dated in the future.
    decided = submitted + datetime.timedelta(days=min(took_days, days_ago - 1))
    received_on, due_on = submitted.date(), submitted.date() + datetime.timedelta(days=14)
    InformationRequest.objects.filter(pk=req.pk).update(
        submitted_at=submitted,
        received_on=received_on,
        review_started_on=received_on,
        due_on=due_on,
        decided_at=decided,
        required_by=submitted.date() + datetime.timedelta(days=30),
    )
    # The decision's timeliness, taken when it was saved, follows the dates moved above.
    days, on_time = decision_timing(decided, received_on, submitted, due_on)
    Decision.objects.filter(request=req).update(
        signed_at=decided, supplied_on=decided.date(), days_to_decision=days, on_time=on_time
    )


def _seed_consent_cases(
    *, requester: User, discloser: User, target: Agency, common: dict[str, Any]
) -> None:
    """Requests that rely on each demo consent record (consent.demo), and the withdrawal
    of one of them after its request was made."""
    cases = [
        # consent key, role of the person, request fields, how far the request goes
        ("given", PersonRole.WITNESS, {"consent_obtained": "yes"}, "disclosed"),
        ("withdrawn", PersonRole.VICTIM, {"consent_obtained": "yes"}, "under_review"),
        ("refused", PersonRole.VICTIM, {"consent_obtained": "no"}, "submitted"),
        ("child", PersonRole.VICTIM, {"consent_obtained": "yes"}, "submitted"),
        ("not_sought", PersonRole.VICTIM, {"consent_obtained": "no"}, "submitted"),
    ]
    for n, (key, role, extra, until) in enumerate(cases, start=100):
        consent = demo_consent(key)
        if consent is None:
            continue
        person = PersonData(
            full_name=consent.subject_name,
            address=consent.subject_address,
            date_of_birth=consent.subject_date_of_birth,
            role=role,
            consent_id=consent.pk,
        )
        req = services.request_create_draft(
            actor=requester,
            fields=_fields(target, common["agreement"], n, **extra),
            people=[person],
            legislation=common["legislation"],
        )
        req = services.request_submit(
            actor=requester, request=req, declaration_name=requester.get_full_name()
        )
        if until == "submitted":
            continue
        req = services.request_start_review(actor=discloser, request=req)
        if until == "disclosed":
            fields = _decision(discloser, Outcome.DISCLOSED) | {
                "consent_basis": ConsentBasis.CONSENT,
                "subject_informed": SubjectInformed.YES,
                "not_informed_reason": "",
                "authorised_by": f"{consent.subject_name} (consent {consent.reference})",
            }
            services.request_decide(actor=discloser, request=req, fields=fields)
    withdraw_demo_consent(requester)


def _seed_group(
    *,
    requester: User,
    discloser: User,
    targets: tuple[Agency, Agency],
    agreement: Agreement,
    legislation: list[Legislation],
) -> None:
    """One request sent to two agencies at once (requests_app.groups): the police have
    decided theirs, the health trust has not yet."""
    first, also = targets
    if agreement_usable_problem(
        agreement=agreement, requesting_agency=requester.home_agency, target_agency=first
    ):
        return
    draft = services.request_create_draft(
        actor=requester,
        fields=_fields(first, agreement, 11, is_urgent=False, urgency_reason=""),
        people=[_person(11)],
        legislation=legislation,
        also_ask=[also],
    )
    police, _health = groups.request_submit_all(
        actor=requester, request=draft, declaration_name=requester.get_full_name()
    )
    police = services.request_start_review(actor=discloser, request=police)
    services.request_decide(
        actor=discloser, request=police, fields=_decision(discloser, Outcome.DISCLOSED)
    )


def seed(*, agencies: dict[str, Agency], users: dict[str, User]) -> None:
    agreement = Agreement.objects.filter(reference=DEMO_AGREEMENT, status__in=IN_FORCE).first()
    if (
        agreement is None
        or InformationRequest.objects.filter(description__startswith=MARKER).exists()
    ):
        return
    asb = list(Legislation.objects.filter(code__in=["cda-s1", "cda-s17"]))
    requester, discloser = users["council.requester"], users["police.discloser"]
    mps = agencies["MPS"]
    common: dict[str, Any] = {"requester": requester, "agreement": agreement, "legislation": asb}

    _make(target=mps, n=0, until="submitted", **common)  # awaiting a decision
    disclosed = _make(target=mps, n=1, until="disclosed", discloser=discloser, **common)
    _make(target=mps, n=2, until="declined", discloser=discloser, **common)
    under_review = _make(target=mps, n=3, until="under_review", discloser=discloser, **common)
    _make(target=mps, n=4, until="awaiting_clarification", discloser=discloser, **common)
    _make(target=mps, n=5, until="draft", **common)
    _make(target=mps, n=8, until="withdrawn", **common)
    _make(target=mps, n=9, until="returned", discloser=discloser, **common)
    _make(target=mps, n=10, until="closed", discloser=discloser, dlo=users["police.dlo"], **common)
    overdue = _make(target=mps, n=6, until="under_review", discloser=discloser, **common)
    InformationRequest.objects.filter(pk=overdue.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3),
        submitted_at=F("submitted_at") - datetime.timedelta(days=20),
        received_on=timezone.localdate() - datetime.timedelta(days=20),
        review_started_on=timezone.localdate() - datetime.timedelta(days=19),
    )
    seed_casework(make=_make, users=users, common=common)
    beh = agencies["BEH"]
    health_agreement = agreements_for_request(
        requesting_agency=requester.home_agency, target_agency=beh
    ).first()
    if health_agreement is not None:
        _make(
            target=beh,
            n=7,
            until="referred",
            discloser=users["health.discloser"],
            manager=users["health.caldicott"],
            requester=requester,
            agreement=health_agreement,
            legislation=asb,
        )
        _seed_group(
            requester=requester,
            discloser=discloser,
            targets=(mps, beh),
            agreement=health_agreement,
            legislation=asb,
        )
    _seed_consent_cases(requester=requester, discloser=discloser, target=mps, common=common)
    seed_threads(
        under_review=under_review, disclosed=disclosed, requester=requester, discloser=discloser
    )

    # A year of decided requests in both directions, for the CSP lead's figures.
    rng = random.Random(2026)
    pairs = [
        (requester, mps, discloser),
        (users["police.requester"], agencies["LBH"], users["council.discloser"]),
    ]
    outcomes = [Outcome.DISCLOSED] * 6 + [Outcome.PARTIALLY_DISCLOSED] * 2 + [Outcome.DECLINED] * 2
    for n in range(YEAR_OF_REQUESTS):
        who, target, by = pairs[n % len(pairs)]
        if not agreement.parties.filter(pk=who.agency_id).exists():
            continue
        req = _make(
            requester=who,
            target=target,
            agreement=agreement,
            legislation=asb[: 1 + n % 2],
            n=n + 10,
            until=rng.choice(outcomes),
            discloser=by,
        )
        _backdate(req, days_ago=rng.randint(5, 360), took_days=rng.randint(1, 25))
    seed_onward_questions(users)
