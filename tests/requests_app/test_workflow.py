import datetime
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent, EventType
from requests_app import selectors, services
from requests_app.models import (
    Attachment,
    AttachmentKind,
    Decision,
    InformationRequest,
    MessageKind,
    OnwardStatus,
    Side,
    Status,
)
from requests_app.services import TransitionRefused
from requests_app.workdays import add_working_days, working_days_between
from tests.requests_app.conftest import decision_fields, stored_attachment
from tests.world import World

pytestmark = pytest.mark.django_db


def test_submission_gives_a_yearly_reference_and_signature(world: World, make_request) -> None:
    first = make_request(Status.SUBMITTED)
    second = make_request(Status.SUBMITTED)
    year = timezone.localdate().year
    assert first.reference == f"ISP-{year}-00001"
    assert second.reference == f"ISP-{year}-00002"
    assert first.declaration_name == world.requester.get_full_name()
    assert first.submitted_at is not None
    assert first.requester_name == world.requester.get_full_name()
    assert first.requester_organisation.startswith(world.council.name)


def test_drafts_have_no_reference(make_request) -> None:
    assert make_request(Status.DRAFT).reference is None


def test_signature_must_be_the_officers_own_name(world: World, make_request) -> None:
    draft = make_request(Status.DRAFT)
    with pytest.raises(ValidationError) as error:
        services.request_submit(
            actor=world.requester, request=draft, declaration_name="Someone Else"
        )
    assert "declaration_name" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_due_date_is_agency_timescale_in_working_days_capped_by_required_date(
    world: World, make_request
) -> None:
    far = make_request(
        Status.SUBMITTED, required_by=timezone.localdate() + datetime.timedelta(days=90)
    )
    assert far.due_on == add_working_days(timezone.localdate(), world.police.response_working_days)
    soon_date = timezone.localdate() + datetime.timedelta(days=2)
    soon = make_request(Status.SUBMITTED, required_by=soon_date)
    assert soon.due_on == soon_date


def test_bank_holidays_are_not_working_days() -> None:
    # Christmas Day and Boxing Day 2026 fall on Friday and Saturday; Monday 28th is the
    # substitute bank holiday.
    assert add_working_days(datetime.date(2026, 12, 24), 1) == datetime.date(2026, 12, 29)
    assert working_days_between(datetime.date(2026, 12, 24), datetime.date(2026, 12, 29)) == 1


def test_start_review_records_the_date_review_started(world: World, make_request) -> None:
    req = make_request(Status.UNDER_REVIEW)
    assert req.review_started_on == timezone.localdate()


def test_clarification_pauses_the_clock_and_answer_restarts_it(world: World, make_request) -> None:
    req = make_request(Status.AWAITING_CLARIFICATION)
    assert req.clock_paused_at is not None
    due_before = req.due_on
    # Pretend the question was asked five working days ago.
    paused_at = timezone.now() - datetime.timedelta(days=7)
    InformationRequest.objects.filter(pk=req.pk).update(clock_paused_at=paused_at)
    req.refresh_from_db()
    services.request_answer_clarification(actor=world.requester, request=req, answer="Flat 2")
    req.refresh_from_db()
    paused = working_days_between(timezone.localdate(paused_at), timezone.localdate())
    assert paused > 0
    assert req.status == Status.UNDER_REVIEW
    assert req.clock_paused_at is None
    assert req.due_on == add_working_days(due_before, paused)
    question, answer = req.messages.all()
    assert (question.kind, question.side) == (MessageKind.CLARIFICATION_ASKED, Side.DISCLOSING)
    assert (answer.kind, answer.side, answer.body) == (
        MessageKind.CLARIFICATION_GIVEN,
        Side.REQUESTING,
        "Flat 2",
    )


def test_referral_gives_the_designated_manager_access(world: World, make_request) -> None:
    req = make_request(Status.REFERRED)
    assert selectors.requests_visible_to(world.police_manager).filter(pk=req.pk).exists()
    assert not selectors.requests_visible_to(world.health_caldicott).filter(pk=req.pk).exists()
    services.request_give_advice(actor=world.police_manager, request=req, advice="Disclose part")
    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW


def test_referral_only_to_a_designated_manager_of_the_disclosing_agency(
    world: World, make_request
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    with pytest.raises(ValidationError):
        services.request_refer(
            actor=world.discloser, request=req, manager=world.health_caldicott, reason="x"
        )


def test_decision_records_part_b_and_appendix_g(world: World, make_request) -> None:
    req = make_request(Status.DISCLOSED)
    decision = Decision.objects.get(request=req)
    assert req.status == Status.DISCLOSED
    assert decision.disclosed_by_name == world.discloser.get_full_name()
    assert decision.disclosed_by_organisation == world.police.name
    assert decision.disclosed_to_name == world.requester.get_full_name()
    assert decision.supplied_on == timezone.localdate()
    # The register and the dashboard read both agencies from the decision itself.
    assert decision.disclosing_agency == world.police == req.target_agency
    assert decision.requesting_agency == world.council == req.requesting_agency
    event = AuditEvent.objects.get(event_type=EventType.REQUEST_DECIDED)
    assert event.request_reference == req.reference
    assert event.details["outcome"] == "disclosed"
    assert "information_disclosed" not in event.details
    assert "Three recorded incidents" not in str(event.details)


def test_declining_needs_a_reason(world: World, make_request) -> None:
    req = make_request(Status.UNDER_REVIEW)
    with pytest.raises(ValidationError):
        services.request_decide(
            actor=world.discloser,
            request=req,
            fields=decision_fields(world.discloser, outcome="declined", decline_reason=""),
        )
    req.refresh_from_db()
    assert req.status == Status.UNDER_REVIEW
    assert not Decision.objects.filter(request=req).exists()


def test_second_decision_is_refused_with_a_clear_message(world: World, make_request) -> None:
    req = make_request(Status.UNDER_REVIEW)
    stale = InformationRequest.objects.get(pk=req.pk)
    services.request_decide(
        actor=world.discloser, request=req, fields=decision_fields(world.discloser)
    )
    with pytest.raises(TransitionRefused, match="already decided by"):
        services.request_decide(
            actor=world.discloser2,
            request=stale,
            fields=decision_fields(world.discloser2, outcome="declined", decline_reason="No"),
        )
    decision = Decision.objects.get(request=req)
    assert decision.discloser == world.discloser
    assert decision.outcome == "disclosed"


def test_only_disclosers_of_the_target_agency_decide(world: World, make_request) -> None:
    req = make_request(Status.UNDER_REVIEW)
    for actor in (world.requester, world.police_spoc, world.police_dlo):
        with pytest.raises(PermissionDenied):
            services.request_decide(actor=actor, request=req, fields=decision_fields(actor))


def test_requester_can_withdraw_before_the_decision_but_not_after(
    world: World, make_request
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    services.request_withdraw(actor=world.requester, request=req, reason="Case closed")
    req.refresh_from_db()
    assert req.status == Status.WITHDRAWN
    decided = make_request(Status.DISCLOSED)
    with pytest.raises(TransitionRefused):
        services.request_withdraw(actor=world.requester, request=decided, reason="")


def test_dlo_sees_request_only_after_decision(world: World, make_request) -> None:
    req = make_request(Status.UNDER_REVIEW)
    assert not selectors.requests_visible_to(world.police_dlo).filter(pk=req.pk).exists()
    services.request_decide(
        actor=world.discloser, request=req, fields=decision_fields(world.discloser)
    )
    assert selectors.requests_visible_to(world.police_dlo).filter(pk=req.pk).exists()


def test_destruction_deletes_content_and_files_but_keeps_the_record(
    world: World, make_request, django_capture_on_commit_callbacks
) -> None:
    req = make_request(Status.UNDER_REVIEW)
    attachment = stored_attachment(
        req,
        kind=AttachmentKind.DISCLOSURE,
        name="report.txt",
        uploaded_by=world.discloser,
        content=b"hello",
    )
    path = attachment.file.path
    services.request_decide(
        actor=world.discloser, request=req, fields=decision_fields(world.discloser)
    )
    req.refresh_from_db()
    services.request_return_information(actor=world.requester, request=req)
    req.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.request_confirm_destruction(actor=world.requester, request=req)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_confirm_destruction(actor=world.police_dlo, request=req)
    req.refresh_from_db()
    decision = Decision.objects.get(request=req)
    assert req.status == Status.CLOSED
    assert decision.information_disclosed == ""
    assert decision.content_destroyed_at is not None
    assert decision.reasons  # the Appendix G record stays
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert AuditEvent.objects.filter(event_type=EventType.DISPOSAL).exists()
    assert not os.path.exists(path)


def test_onward_sharing_is_asked_of_and_answered_by_the_dlo(world: World, make_request) -> None:
    req = make_request(Status.DISCLOSED)
    onward = services.onward_sharing_ask(
        actor=world.requester, request=req, third_party="Youth Offending Service", purpose="Plan"
    )
    with pytest.raises(PermissionDenied):
        services.onward_sharing_answer(
            actor=world.council_dlo, onward=onward, agree=True, reason=""
        )
    with pytest.raises(ValidationError):
        services.onward_sharing_answer(
            actor=world.police_dlo, onward=onward, agree=False, reason=""
        )
    answered = services.onward_sharing_answer(
        actor=world.police_dlo, onward=onward, agree=False, reason="Not necessary"
    )
    assert answered.status == OnwardStatus.REFUSED
    assert AuditEvent.objects.filter(event_type=EventType.ONWARD_SHARING).count() == 2


def test_every_transition_is_audited_with_its_history(world: World, make_request) -> None:
    req = make_request(Status.CLOSED)
    actions = list(
        AuditEvent.objects.filter(
            request_reference=req.reference,
            event_type__in=["request.transition", "request.decided"],
        )
        .order_by("id")
        .values_list("details__action", flat=True)
    )
    assert actions == [
        "submit",
        "start_review",
        "decide",
        "return_information",
        "confirm_destruction",
    ]
    statuses = [h.status for h in req.history.order_by("history_date")]
    assert statuses[0] == Status.DRAFT
    assert statuses[-1] == Status.CLOSED


def test_public_interest_may_be_left_unanswered_when_consent_covers_everyone(
    world: World, make_request
) -> None:
    draft = make_request(Status.DRAFT, public_interest=None, public_interest_reason="")
    assert draft.public_interest is None
