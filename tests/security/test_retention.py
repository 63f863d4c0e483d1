"""Retention and disposal: past the agreement's retention period the disclosed content goes,
the record stays, and the disposal is itself recorded (`002_…` 4.9; ISP App. B)."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import AuditEvent, EventType
from consent.models import ConsentRecord
from requests_app import services
from requests_app.models import Attachment, AttachmentKind, Decision, InformationRequest, Status
from retention.models import DisposalRecord, DisposalRule
from retention.services import apply_retention, record_disposal, retention_ends_on
from tests.agreements.conftest import make_agreement  # noqa: F401  (fixture)
from tests.consent.conftest import ConsentFactory, private_storage  # noqa: F401
from tests.requests_app.conftest import agreement, make_request, stored_attachment  # noqa: F401  (fixtures)
from tests.security.conftest import day_after_retention
from tests.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]

TEXT = "Three recorded incidents of criminal damage in 2026."


def _disclosure_file(req: InformationRequest, world: World) -> Attachment:
    return stored_attachment(
        req,
        kind=AttachmentKind.DISCLOSURE,
        name="record.txt",
        uploaded_by=world.discloser,
        content=b"notes",
    )


@pytest.fixture
def disclosed(world: World, make_request):
    req = make_request(Status.DISCLOSED)
    attachment = _disclosure_file(req, world)
    return InformationRequest.objects.select_related("agreement", "decision").get(pk=req.pk), (
        attachment
    )


def test_retention_ends_after_the_agreements_period_from_the_supply_date(disclosed) -> None:
    req, _ = disclosed
    days = req.agreement.retention_period_days
    assert retention_ends_on(req) == req.decision.supplied_on + datetime.timedelta(days=days)


def test_nothing_goes_while_retention_runs(disclosed) -> None:
    req, _ = disclosed
    run = apply_retention(today=retention_ends_on(req))
    assert run.requests == []
    assert Decision.objects.get(request=req).information_disclosed == TEXT


def test_past_retention_the_content_goes_and_the_record_stays(
    disclosed, django_capture_on_commit_callbacks
) -> None:
    req, attachment = disclosed
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        run = apply_retention(today=day_after_retention(req))
    assert [r.pk for r in run.requests] == [req.pk]
    decision = Decision.objects.get(request=req)
    assert decision.information_disclosed == ""
    assert decision.content_destroyed_at is not None
    # The Appendix G record is untouched; the ISP 4.6 evidence, not part of it, went
    # (tests/security/test_retention_identifying.py).
    assert decision.reasons and decision.information_types == ["offending_history"]
    assert decision.authorised_by and decision.evidence == ""
    assert not Attachment.objects.filter(request=req, kind=AttachmentKind.DISCLOSURE).exists()
    assert not storage.exists(name)
    # Request metadata and people's roles stay; their names go.
    req.refresh_from_db()
    assert req.reference and req.status == Status.DISCLOSED and req.people.count() == 1
    assert req.people.get().full_name == ""


def test_no_copy_of_the_text_survives_in_the_history(disclosed) -> None:
    req, _ = disclosed
    assert Decision.history.filter(request_id=req.pk, information_disclosed=TEXT).exists()
    apply_retention(today=day_after_retention(req))
    assert not Decision.history.filter(request_id=req.pk).exclude(information_disclosed="").exists()


def test_the_disposal_is_recorded_without_content(disclosed) -> None:
    req, _ = disclosed
    apply_retention(today=day_after_retention(req))
    record = DisposalRecord.objects.get(request=req)
    assert record.rule == DisposalRule.RETENTION_SCHEDULE
    assert record.actor is None
    assert record.retention_days == req.agreement.retention_period_days
    assert "disclosed_text" in record.destroyed
    assert "disclosed_files:1" in record.destroyed
    event = AuditEvent.objects.filter(event_type=EventType.DISPOSAL).get()
    assert event.request_reference == req.reference
    assert event.details["rule"] == "retention_schedule"
    assert TEXT not in str(event.details) and TEXT not in str(record.destroyed)


def test_dry_run_lists_and_changes_nothing(disclosed) -> None:
    req, _ = disclosed
    day = day_after_retention(req)
    run = apply_retention(today=day, dry_run=True)
    assert [r.pk for r in run.requests] == [req.pk]
    assert Decision.objects.get(request=req).information_disclosed == TEXT
    assert Attachment.objects.filter(request=req).count() == 1
    assert not DisposalRecord.objects.exists()
    assert not AuditEvent.objects.filter(event_type=EventType.DISPOSAL).exists()


def test_running_twice_is_harmless(disclosed) -> None:
    req, _ = disclosed
    day = day_after_retention(req)
    first = apply_retention(today=day)
    second = apply_retention(today=day)
    assert len(first.records) == 1
    assert second.requests == [] and second.records == []
    assert DisposalRecord.objects.count() == 1
    assert AuditEvent.objects.filter(event_type=EventType.DISPOSAL).count() == 1


def test_the_command_dry_run_prints_references_only(
    disclosed, monkeypatch: pytest.MonkeyPatch
) -> None:
    req, _ = disclosed
    later = timezone.now() + datetime.timedelta(days=req.agreement.retention_period_days + 2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert f"Would destroy disclosed information on {req.reference}" in out.getvalue()
    assert "Jordan Example" not in out.getvalue() and TEXT not in out.getvalue()
    assert Decision.objects.get(request=req).information_disclosed == TEXT
    call_command("apply_retention", stdout=io.StringIO())
    assert Decision.objects.get(request=req).information_disclosed == ""


def test_a_declined_request_has_no_content_to_destroy_only_part_a(
    world: World, make_request
) -> None:
    req = make_request(Status.DECLINED)
    req = InformationRequest.objects.select_related("agreement").get(pk=req.pk)
    assert apply_retention(today=day_after_retention(req)).requests == [req]
    destroyed = DisposalRecord.objects.get(request=req).destroyed
    assert "part_a_description:1" in destroyed and "disclosed_text" not in destroyed


def test_dlo_confirmed_destruction_writes_the_same_record(world: World, make_request) -> None:
    req = make_request(Status.RETURNED)
    destroyed = services.destroy_disclosed_content(request=req)
    record = record_disposal(
        request=req, destroyed=destroyed, rule=DisposalRule.DLO_CONFIRMED, actor=world.police_dlo
    )
    assert record.destroyed[0] == "disclosed_text"
    assert record.actor == world.police_dlo
    assert not Decision.history.filter(request_id=req.pk).exclude(information_disclosed="").exists()


# Consent scans ------------------------------------------------------------------------


def _consent_with_scan(world: World) -> ConsentRecord:
    consent = ConsentFactory.create(recorded_by=world.requester, given_to_agency=world.police)
    consent.scan.save("scan", ContentFile(b"%PDF-1.4 scan"), save=True)
    return consent


def _uses(req: InformationRequest, consent: ConsentRecord) -> None:
    req.people.update(consent=consent)


def test_a_scan_goes_when_every_request_using_it_is_past_retention(
    world: World,
    make_request,
    django_capture_on_commit_callbacks,
) -> None:
    consent = _consent_with_scan(world)
    storage, name = consent.scan.storage, consent.scan.name or ""
    req = make_request(Status.DISCLOSED)
    _uses(req, consent)
    req = InformationRequest.objects.select_related("agreement", "decision").get(pk=req.pk)
    with django_capture_on_commit_callbacks(execute=True):
        run = apply_retention(today=day_after_retention(req))
    assert [c.pk for c in run.consents] == [consent.pk]
    consent.refresh_from_db()
    assert not consent.scan
    assert not storage.exists(name)
    # The record stays, reduced (tests/security/test_retention_identifying.py).
    assert consent.status and consent.subject_name == ""
    destroyed = DisposalRecord.objects.get(consent=consent).destroyed
    assert destroyed[:2] == ["consent_scan", "consent_personal_details:1"]


def test_a_scan_stays_while_another_request_still_needs_it(world: World, make_request) -> None:
    consent = _consent_with_scan(world)
    old = make_request(Status.DISCLOSED)
    open_request = make_request(Status.UNDER_REVIEW)
    _uses(old, consent)
    _uses(open_request, consent)
    old = InformationRequest.objects.select_related("agreement", "decision").get(pk=old.pk)
    run = apply_retention(today=day_after_retention(old))
    assert run.consents == []
    consent.refresh_from_db()
    assert consent.scan


def test_a_scan_no_request_uses_yet_is_kept(world: World) -> None:
    consent = _consent_with_scan(world)
    run = apply_retention(today=timezone.localdate() + datetime.timedelta(days=10_000))
    assert run.consents == []
    consent.refresh_from_db()
    assert consent.scan


def test_a_date_past_the_calendar_on_one_request_does_not_stop_the_others(
    world: World, disclosed, make_request
) -> None:
    """Finding 9: a "date supplied" of 31/12/9999 made ``apply_retention`` stop with
    OverflowError for every agency. Now the bad row is named and every other row is done."""
    req, _ = disclosed
    bad = make_request(Status.DISCLOSED)
    Decision.objects.filter(request=bad).update(supplied_on=datetime.date(9999, 12, 31))
    run = apply_retention(today=day_after_retention(req))
    assert [r.pk for r in run.requests] == [req.pk]
    assert Decision.objects.get(request=req).information_disclosed == ""
    assert run.failed == [bad.reference]
    assert Decision.objects.get(request=bad).information_disclosed == TEXT


def test_the_command_fails_naming_the_bad_row_so_the_scheduler_sees_it(make_request) -> None:
    bad = make_request(Status.DISCLOSED)
    Decision.objects.filter(request=bad).update(supplied_on=datetime.date(9999, 12, 31))
    out = io.StringIO()
    with pytest.raises(CommandError, match=bad.reference):
        call_command("apply_retention", stdout=out)
    assert (
        "0 request(s), 0 consent record(s) and 0 recorded disclosure(s) destroyed."
        in out.getvalue()
    )
