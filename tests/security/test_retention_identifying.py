"""Past retention what identifies people goes too (ISP Appendix B conditions; `002_…` 4.9;
`004_…` 5.0 v): Part A's description, the named people's names, addresses and dates of
birth, clarifications and the other texts about them, consent records no request in
retention uses, with their history copies. The register and the dashboard read the same
after as before."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from audit.models import AuditEvent, EventType
from consent.models import ConsentRecord
from oversight.dashboard import Period, dashboard, figures_table
from oversight.selectors import register_csv_rows, register_for, register_rows
from requests_app import services
from requests_app.models import (
    Decision,
    InformationRequest,
    Message,
    NamedPerson,
    Referral,
    Status,
)
from retention.identifying import DESTROYED, PARTS
from retention.models import DisposalRecord
from retention.services import apply_retention
from tests.agreements.conftest import make_agreement  # noqa: F401  (fixture)
from tests.consent.conftest import ConsentFactory, private_storage  # noqa: F401
from tests.requests_app.conftest import (  # noqa: F401  (fixtures)
    SUSPECT,
    agreement,
    build_request,
    decision_fields,
    make_request,
)
from tests.requests_app.recorded import make_recorded
from tests.security.conftest import day_after_retention
from tests.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]

QUESTION = "Is Jordan still living at 1 Example Road?"


def _figures(world: World) -> tuple[list, list, list]:
    """Every register row as each kind of reader sees it, and every dashboard figure."""
    period = Period(timezone.localdate() - datetime.timedelta(days=60), timezone.localdate())
    rows = [
        list(register_csv_rows(user, register_for(user)))
        for user in (world.police_spoc, world.csp_lead, world.council_spoc)
    ]
    shown = [
        [(r.reference, r.summary, r.legislation, r.how_shared, r.information_types)
         for r in register_rows(user, register_for(user))]
        for user in (world.police_spoc, world.csp_lead)
    ]  # fmt: skip
    return rows, shown, figures_table(dashboard(period))


def _clarified_disclosure(world: World, agreement) -> InformationRequest:
    req = build_request(world, agreement, Status.UNDER_REVIEW)
    services.request_ask_clarification(actor=world.discloser, request=req, question=QUESTION)
    req = InformationRequest.objects.get(pk=req.pk)
    services.request_answer_clarification(
        actor=world.requester, request=req, answer="Yes, with his mother."
    )
    req = InformationRequest.objects.get(pk=req.pk)
    services.request_decide(
        actor=world.discloser, request=req, fields=decision_fields(world.discloser)
    )
    return InformationRequest.objects.select_related("agreement", "decision").get(pk=req.pk)


def _consent(world: World, req: InformationRequest) -> ConsentRecord:
    consent = ConsentFactory.create(recorded_by=world.requester, given_to_agency=world.police)
    consent.scan.save("scan", ContentFile(b"%PDF-1.4 scan"), save=True)
    req.people.update(consent=consent)
    return consent


def _nothing_left(req: InformationRequest) -> None:
    for part in PARTS:
        for rows in (part.rows(req.pk), part.history(req.pk)):
            for name, value in part.blanks.items():
                left = rows.exclude(
                    **({f"{name}__isnull": True} if value is None else {name: value})
                )
                assert not left.exists(), f"{part.kind}: {name} survives in {rows.model.__name__}"


def test_part_a_and_the_people_go_and_the_figures_stay(
    world: World, agreement, make_request, django_capture_on_commit_callbacks
) -> None:
    req = _clarified_disclosure(world, agreement)
    consent = _consent(world, req)
    declined = make_request(Status.DECLINED)
    withdrawn = make_request(Status.WITHDRAWN)
    still_open = make_request(Status.UNDER_REVIEW)
    recorded = make_recorded(world, agreement)
    # The copies the history keeps are there before (a save writes one).
    req.people.get().save()
    assert NamedPerson.history.filter(request_id=req.pk, full_name=SUSPECT.full_name).exists()
    assert Message.objects.filter(request=req, body=QUESTION).exists()
    before = _figures(world)
    day = max(
        day_after_retention(InformationRequest.objects.select_related("agreement").get(pk=pk))
        for pk in (req.pk, declined.pk, withdrawn.pk)
    )

    with django_capture_on_commit_callbacks(execute=True):
        run = apply_retention(today=day)

    assert {r.pk for r in run.requests} == {req.pk, declined.pk, withdrawn.pk}
    assert run.failed == []
    assert _figures(world) == before
    for gone in (req, declined, withdrawn):
        gone.refresh_from_db()
        assert gone.description == "" and gone.identifying_destroyed_at is not None
        person = gone.people.get()
        assert (person.full_name, person.address, person.date_of_birth) == ("", "", None)
        assert person.role == SUSPECT.role  # the role stays
        _nothing_left(gone)
    # The thread goes with it (requests_app.thread.services.destroy_thread).
    assert not Message.objects.filter(request=req).exclude(body="").exists()
    assert not InformationRequest.history.filter(id=req.pk).exclude(description="").exists()
    assert not NamedPerson.history.filter(request_id=req.pk, date_of_birth__isnull=False).exists()
    # What the register needs stays.
    req.refresh_from_db()
    assert req.reference and req.requester_name and req.status == Status.DISCLOSED
    assert Decision.objects.get(request=req).reasons
    # The open request is untouched.
    still_open.refresh_from_db()
    assert still_open.description and still_open.people.get().full_name == SUSPECT.full_name
    # The consent no request in retention uses is reduced, its scan gone, history too.
    consent.refresh_from_db()
    assert not consent.scan and consent.subject_name == "" and consent.signer_name == ""
    assert consent.subject_date_of_birth is None and consent.purposes == DESTROYED
    assert consent.status == "given" and consent.given_to_agency == world.police
    assert not ConsentRecord.history.filter(id=consent.pk).exclude(subject_name="").exists()
    # The disposal records say what went, never what it said.
    record = DisposalRecord.objects.get(request=req)
    for kind in ("part_a_description:1", "named_people:1", "message_bodies:2", "disclosed_text"):
        assert kind in record.destroyed
    assert any(k.startswith("named_people_history_copies:") for k in record.destroyed)
    consent_record = DisposalRecord.objects.get(consent=consent)
    assert consent_record.destroyed[:2] == ["consent_scan", "consent_personal_details:1"]
    events = AuditEvent.objects.filter(event_type=EventType.DISPOSAL)
    assert SUSPECT.full_name not in str(list(events.values_list("details", flat=True)))
    # The recorded disclosure, shared the day before under the same agreement, went too.
    assert [d.recorded_id for d in run.recorded] == [recorded.pk]
    assert Decision.objects.get(recorded=recorded).evidence == ""
    # Nothing more to do on a second run.
    again = apply_retention(today=day)
    assert again.records == [] and again.failed == []


def test_a_consent_still_relied_on_keeps_its_details(world: World, make_request) -> None:
    old = make_request(Status.DISCLOSED)
    consent = _consent(world, old)
    open_request = make_request(Status.UNDER_REVIEW)
    open_request.people.update(consent=consent)
    old = InformationRequest.objects.select_related("agreement", "decision").get(pk=old.pk)
    apply_retention(today=day_after_retention(old))
    consent.refresh_from_db()
    assert consent.subject_name and consent.scan
    # The old request's people went all the same.
    assert old.people.get().full_name == ""


def test_a_recorded_disclosure_loses_its_details_after_its_period(world: World, agreement) -> None:
    recorded = make_recorded(world, None, occasion="outside_agreement")
    on_agreement = make_recorded(world, agreement)
    decision = Decision.objects.get(recorded=recorded)
    assert Decision.history.filter(id=decision.pk, evidence__gt="").exists()
    before = _figures(world)
    assert decision.supplied_on is not None
    day = decision.supplied_on + datetime.timedelta(days=365 * 2 + 1)
    run = apply_retention(today=day)
    assert [d.pk for d in run.recorded] == [
        d.pk
        for d in Decision.objects.filter(recorded__in=[recorded, on_agreement])
        if _kept_until(d) < day
    ]
    decision.refresh_from_db()
    assert decision.evidence == "" and decision.third_parties == ""
    assert decision.content_destroyed_at is not None
    assert decision.reasons and decision.summary and decision.authorised_by
    assert not Decision.history.filter(id=decision.pk).exclude(evidence="").exists()
    assert _figures(world) == before
    record = DisposalRecord.objects.get(recorded=recorded)
    assert "recorded_details:1" in record.destroyed and record.retention_days == 730
    assert AuditEvent.objects.filter(
        event_type=EventType.DISPOSAL, request_reference=recorded.reference
    ).exists()


def test_referral_texts_go_too(world: World, make_request) -> None:
    req = make_request(Status.REFERRED)
    referral = Referral.objects.get(request=req)
    referral.advice = "Share the minimum about Jordan."
    referral.save()
    InformationRequest.objects.filter(pk=req.pk).update(
        status=Status.DECLINED, decided_at=timezone.now()
    )
    req = InformationRequest.objects.select_related("agreement").get(pk=req.pk)
    apply_retention(today=day_after_retention(req))
    referral = Referral.objects.get(request=req)
    assert referral.reason == "" and referral.advice == ""
    assert not Referral.history.filter(request_id=req.pk).exclude(reason="").exists()


def _kept_until(decision: Decision) -> datetime.date:
    """The last day a recorded disclosure's record is kept: its agreement's period, or two
    years when it was made outside any agreement."""
    recorded = decision.recorded
    assert recorded is not None and decision.supplied_on is not None
    days = recorded.agreement.retention_period_days if recorded.agreement else 730
    return decision.supplied_on + datetime.timedelta(days=days)
