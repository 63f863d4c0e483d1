"""Recording consent, its signed form, and withdrawal reaching every request relying on it."""

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, EventType
from consent import services
from consent.models import ConsentRecord, ConsentStatus, NoticeKind, ObtainedBy, WithdrawalMethod
from consent.selectors import withdrawals_for_review
from requests_app import access
from requests_app.consent import timeline_entries
from requests_app.models import InformationRequest, Status
from tests.consent.conftest import add_person, make_request
from tests.world import World

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def form_fields(world: World, **overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    fields = {
        "status": ConsentStatus.GIVEN,
        "requesting_officer_ref": "ASB/123",
        "subject_name": "Alex Example",
        "subject_address": "1 High Road",
        "subject_date_of_birth": datetime.date(1980, 5, 17),
        "about_signer": True,
        "reasons_explained": True,
        "given_to_agency": world.police,
        "disclose_to_agency": world.council,
        "purposes": "Incident reports, for the case conference",
        "signed_on": today,
        "obtained_by": ObtainedBy.PAPER_FORM,
        "witness_name": "Requester Tester",
        "witness_position": "ASB officer",
        "witnessed_on": today,
    }
    return {**fields, **overrides}


def scan(content: bytes = PDF_BYTES, name: str = "Alex Example consent.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_recording_consent_keeps_the_form_and_audits_it(
    world: World, agreement: Any, private_storage: Any
) -> None:
    consent = services.consent_record(
        actor=world.requester, fields=form_fields(world), agreements=[agreement], scan=scan()
    )
    assert consent.signer_name == "Alex Example"
    assert consent.subject_age == timezone.localdate().year - 1980 - (
        (timezone.localdate().month, timezone.localdate().day) < (5, 17)
    )
    assert list(consent.agreements.all()) == [agreement]
    stored = consent.scan.name or ""
    assert stored.startswith("consent-scans/")
    assert "Alex" not in stored
    assert consent.scan_content_type == "application/pdf"
    event = AuditEvent.objects.get(event_type=EventType.CONSENT_RECORDED)
    assert event.object_id == str(consent.pk)
    assert "Alex" not in str(event.details)


def test_scan_is_checked_by_content_not_name(world: World, agreement: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.consent_record(
            actor=world.requester,
            fields=form_fields(world),
            agreements=[agreement],
            scan=scan(b"MZ\x90\x00 this is a program", name="form.pdf"),
        )
    assert "scan" in exc.value.message_dict
    assert not ConsentRecord.objects.exists()


def test_scan_larger_than_the_limit_is_refused(world: World, agreement: Any, settings: Any) -> None:
    settings.MAX_UPLOAD_BYTES = 20
    with pytest.raises(ValidationError) as exc:
        services.consent_record(
            actor=world.requester, fields=form_fields(world), agreements=[agreement], scan=scan()
        )
    assert "smaller than" in exc.value.message_dict["scan"][0]


def test_word_document_is_not_an_allowed_scan(world: World, agreement: Any) -> None:
    with pytest.raises(ValidationError):
        services.consent_record(
            actor=world.requester,
            fields=form_fields(world),
            agreements=[agreement],
            scan=scan(b"plain text, not a scan", name="form.txt"),
        )


def test_service_applies_the_rules_too(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.consent_record(
            actor=world.requester,
            fields=form_fields(world, obtained_by=ObtainedBy.IN_PERSON),
            agreements=[],
        )
    assert "agreements" in exc.value.message_dict


def test_only_requesting_officers_record_consent(world: World, agreement: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.consent_record(
            actor=world.discloser,
            fields=form_fields(world, obtained_by=ObtainedBy.IN_PERSON),
            agreements=[agreement],
        )


@pytest.fixture
def relying(
    world: World, consent: ConsentRecord, agreement: Any
) -> dict[Status, InformationRequest]:
    """Requests in several states that all name the same consenting person."""
    made = {
        status: make_request(world, status=status, agreement=agreement)
        for status in (
            Status.DRAFT,
            Status.SUBMITTED,
            Status.UNDER_REVIEW,
            Status.DISCLOSED,
            Status.WITHDRAWN,
        )
    }
    for request in made.values():
        add_person(request, consent=consent, position=1)
    # Decided: the disclosing agency's DLO now has a need to know.
    access.grant_on_decision(made[Status.DISCLOSED])
    return made


def test_withdrawal_flags_open_requests_and_lists_decided_ones(
    world: World, consent: ConsentRecord, relying: dict[str, Any]
) -> None:
    notices = services.consent_withdraw(
        actor=world.requester, consent=consent, method=WithdrawalMethod.TELEPHONE
    )
    by_request = {n.request_id: n.kind for n in notices}
    assert by_request == {
        relying[Status.SUBMITTED].pk: NoticeKind.OPEN,
        relying[Status.UNDER_REVIEW].pk: NoticeKind.OPEN,
        relying[Status.DISCLOSED].pk: NoticeKind.DECIDED,
    }
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.WITHDRAWN
    assert consent.withdrawal_recorded_by == world.requester
    assert consent.withdrawal_method == WithdrawalMethod.TELEPHONE
    assert consent.withdrawn_at is not None
    assert {n.request_id for n in withdrawals_for_review(world.police_spoc)} == set(by_request)
    assert not withdrawals_for_review(world.council_spoc).exists()


def test_withdrawal_is_on_the_timeline_and_audit_trail(
    world: World, consent: ConsentRecord, relying: dict[str, Any]
) -> None:
    services.consent_withdraw(actor=world.requester, consent=consent, method="in_writing")
    request = relying[Status.UNDER_REVIEW]
    [entry] = timeline_entries(request)
    assert entry["status"] == "Consent withdrawn for Person 2 (witness)"
    assert entry["who"] == world.requester
    references = set(
        AuditEvent.objects.filter(event_type=EventType.CONSENT_WITHDRAWN).values_list(
            "request_reference", flat=True
        )
    )
    assert references == {
        "",
        relying[Status.SUBMITTED].reference,
        relying[Status.UNDER_REVIEW].reference,
        relying[Status.DISCLOSED].reference,
    }


def test_withdrawal_emails_requester_and_disclosing_agency_after_commit(
    world: World,
    consent: ConsentRecord,
    relying: dict[str, Any],
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.consent_withdraw(actor=world.police_spoc, consent=consent, method="in_person")
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {
        world.requester.email,
        world.discloser.email,
        world.discloser2.email,
        world.police_spoc.email,
    }
    for message in mail.outbox:
        text = f"{message.subject} {message.body}"
        assert "Alex" not in text and "High Road" not in text and "1980" not in text
        assert "/requests/" in message.body
    assert any(relying[Status.DISCLOSED].reference in m.subject for m in mail.outbox)


def test_rolled_back_withdrawal_sends_nothing(
    world: World,
    consent: ConsentRecord,
    relying: dict[str, Any],
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.consent_withdraw(
            actor=world.requester,
            consent=consent,
            method="in_person",
            withdrawn_at=timezone.now() + datetime.timedelta(days=1),
        )
    assert mail.outbox == []
    consent.refresh_from_db()
    assert consent.status == ConsentStatus.GIVEN


def test_consent_can_be_withdrawn_only_once(world: World, consent: ConsentRecord) -> None:
    services.consent_withdraw(actor=world.requester, consent=consent, method="in_person")
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=world.requester, consent=consent, method="in_person")


def test_dlo_sees_and_reviews_only_withdrawals_on_requests_it_may_see(
    world: World, consent: ConsentRecord, relying: dict[str, Any], client
) -> None:
    """A DLO sees decided requests only: open ones stay off its list, and it cannot mark
    them reviewed (issue 14, finding 3)."""
    notices = services.consent_withdraw(actor=world.requester, consent=consent, method="email")
    open_notice = next(n for n in notices if n.kind == NoticeKind.OPEN)
    decided = next(n for n in notices if n.kind == NoticeKind.DECIDED)
    assert {n.pk for n in withdrawals_for_review(world.police_dlo)} == {decided.pk}
    client.force_login(world.police_dlo)
    page = client.get(reverse("consent:withdrawals")).content.decode()
    assert open_notice.request.reference not in page
    assert decided.request.reference in page
    response = client.post(reverse("consent:withdrawal_review", args=[open_notice.pk]))
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.withdrawal_review(actor=world.police_dlo, notice=open_notice)
    open_notice.refresh_from_db()
    assert open_notice.reviewed_at is None


def test_disclosing_agency_marks_a_withdrawal_reviewed(
    world: World, consent: ConsentRecord, relying: dict[str, Any]
) -> None:
    notices = services.consent_withdraw(actor=world.requester, consent=consent, method="email")
    decided = next(n for n in notices if n.kind == NoticeKind.DECIDED)
    with pytest.raises(PermissionDenied):
        services.withdrawal_review(actor=world.council_spoc, notice=decided)
    services.withdrawal_review(actor=world.police_dlo, notice=decided, note="Asked for return")
    assert decided.pk not in {n.pk for n in withdrawals_for_review(world.police_spoc)}
    entries = timeline_entries(relying[Status.DISCLOSED])
    assert [e["status"] for e in entries] == [
        "Consent withdrawn for Person 2 (witness)",
        "Withdrawal of consent for Person 2 (witness) reviewed",
    ]
