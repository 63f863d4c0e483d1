"""Reviews, expiry, termination, and the checks the request workflow relies on."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from agreements import notifications, selectors, services
from agreements.forms import CHECKLIST, SharingChecklistForm, checklist_summary
from agreements.models import AgreementStatus
from audit.models import AuditEvent, EventType


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_daily_command_flags_agreements_past_review_to_lead_and_csp_lead_and_keeps_them(
    world, make_agreement, django_capture_on_commit_callbacks
):
    lapsed = make_agreement(reference="LAPSED")
    current = make_agreement(reference="CURRENT", next_review_on=_days(400))
    type(lapsed).objects.filter(pk=lapsed.pk).update(
        next_review_on=_days(-1), lead_agency=world.council
    )
    mail.outbox.clear()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("agreements_daily", stdout=out)
    lapsed.refresh_from_db()
    current.refresh_from_db()
    # A missed review warns; it does not stop sharing (ISP 1.4, 10).
    assert lapsed.status == AgreementStatus.ACTIVE
    assert lapsed.review_overdue and not current.review_overdue
    assert "Past its review date: LAPSED" in out.getvalue()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        [world.council_spoc.email, world.council_deputy.email, world.csp_lead.email]
    )
    assert all("LAPSED" in m.subject and "/agreements/" in m.body for m in mail.outbox)
    event = AuditEvent.objects.filter(event_type=EventType.AGREEMENT_CHANGED).first()
    assert event.details["action"] == "review_overdue" and event.actor is None


def test_daily_command_run_twice_flags_once_per_missed_review(make_agreement):
    lapsed = make_agreement()
    type(lapsed).objects.filter(pk=lapsed.pk).update(next_review_on=_days(-1))
    assert len(services.agreements_flag_overdue_reviews()) == 1
    assert services.agreements_flag_overdue_reviews() == []
    # Reviewed, then missed again: flagged again.
    type(lapsed).objects.filter(pk=lapsed.pk).update(next_review_on=_days(10))
    assert services.agreements_flag_overdue_reviews(today=_days(11)) == [lapsed]


def test_requests_may_be_made_under_an_agreement_past_review_but_not_a_terminated_one(
    world, make_agreement
):
    lapsed = make_agreement(reference="LAPSED")
    type(lapsed).objects.filter(pk=lapsed.pk).update(next_review_on=_days(-30))
    lapsed.refresh_from_db()
    offered = selectors.agreements_for_request(
        requesting_agency=world.council, target_agency=world.police
    )
    assert list(offered) == [lapsed]
    assert (
        services.agreement_usable_problem(
            agreement=lapsed, requesting_agency=world.council, target_agency=world.police
        )
        is None
    )
    services.agreement_terminate(actor=world.administrator, agreement=lapsed, reason="Ended")
    lapsed.refresh_from_db()
    assert "terminated" in services.agreement_usable_problem(
        agreement=lapsed, requesting_agency=world.council, target_agency=world.police
    )


def test_spocs_are_reminded_sixty_days_before_review(
    world, make_agreement, django_capture_on_commit_callbacks
):
    make_agreement(reference="SOON", next_review_on=_days(60))
    make_agreement(reference="LATER", next_review_on=_days(61))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminded = services.agreements_remind_review()
    assert [a.reference for a in reminded] == ["SOON"]
    assert {m.to[0] for m in mail.outbox} == {world.council_spoc.email, world.police_spoc.email}
    assert "due for review in 60 days" in mail.outbox[0].subject


def test_due_for_review_lists_the_window_and_the_overdue(world, make_agreement):
    make_agreement(reference="DUE", next_review_on=_days(59))
    make_agreement(reference="NOT-DUE", next_review_on=_days(95))
    overdue = make_agreement(reference="OVERDUE", next_review_on=_days(10))
    listed = selectors.due_for_review(world.requester, today=_days(30))
    assert [a.reference for a in listed] == ["OVERDUE", "DUE"]
    assert overdue.next_review_on < _days(30)


def test_termination_is_shown_with_its_reason_and_every_party_is_told(
    world, make_agreement, client, django_capture_on_commit_callbacks
):
    agreement = make_agreement()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_terminate(
            actor=world.council_spoc, agreement=agreement, reason="Superseded by the MASH DSA"
        )
    told = {m.to[0] for m in mail.outbox}
    assert {world.police_spoc.email, world.council_signatory.email} <= told
    assert all("terminated" in m.subject for m in mail.outbox)
    client.force_login(world.discloser)
    page = client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert "Superseded by the MASH DSA" in page


# For the request workflow --------------------------------------------------------------


def test_agreements_for_request_offers_only_signed_agreements_in_force_covering_both(
    world, make_agreement
):
    both = make_agreement(reference="BOTH")
    make_agreement(reference="COUNCIL-FIRE", parties=("council", "fire"))
    make_agreement(AgreementStatus.AWAITING_SIGNATURES, reference="UNSIGNED")
    make_agreement(AgreementStatus.TERMINATED, reference="ENDED")
    make_agreement(AgreementStatus.EXPIRED, reference="LAPSED")
    offered = selectors.agreements_for_request(
        requesting_agency=world.council, target_agency=world.police
    )
    assert list(offered) == [both]
    assert (
        list(
            selectors.agreements_for_request(
                requesting_agency=world.police, target_agency=world.fire
            )
        )
        == []
    )


def test_usable_problem_says_why_a_request_cannot_be_made(world, make_agreement):
    def problem(agreement, requesting=world.council, target=world.police):
        return services.agreement_usable_problem(
            agreement=agreement, requesting_agency=requesting, target_agency=target
        )

    active = make_agreement(reference="OK")
    assert problem(active) is None
    assert "is not a party" in problem(active, target=world.fire)
    assert "expired" in problem(make_agreement(AgreementStatus.EXPIRED, reference="EXP"))
    terminated = make_agreement(AgreementStatus.TERMINATED, reference="TERM")
    assert problem(terminated) == "Agreement TERM has been terminated: No longer needed"
    assert "not in force yet" in problem(make_agreement(AgreementStatus.DRAFT, reference="DR"))
    awaiting = make_agreement(AgreementStatus.AWAITING_SIGNATURES, reference="AW")
    assert "awaiting signatures" in problem(awaiting)
    assert problem(None) == "Choose the agreement this request is made under."


def test_a_request_may_still_be_made_under_a_version_being_replaced(world, make_agreement):
    current = make_agreement()
    services.agreement_amend_substantial(
        actor=world.council_spoc, agreement=current, what_changed="More"
    )
    current.refresh_from_db()
    assert current.status == AgreementStatus.UNDER_REVIEW
    assert (
        services.agreement_usable_problem(
            agreement=current, requesting_agency=world.council, target_agency=world.police
        )
        is None
    )


def test_retention_days_for_an_agreement(make_agreement):
    assert selectors.retention_days_for(make_agreement(retention_period_days=90)) == 90


def test_checklist_needs_every_point_ticked():
    form = SharingChecklistForm({key: "on" for key, _ in CHECKLIST[:-1]})
    assert not form.is_valid()
    assert list(form.errors) == [CHECKLIST[-1][0]]
    complete = SharingChecklistForm({key: "on" for key, _ in CHECKLIST})
    assert complete.is_valid()
    assert complete.cleaned_data == {key: True for key, _ in CHECKLIST}
    summary = checklist_summary(complete.cleaned_data)
    assert len(summary) == 10
    assert summary[0] == ("Whose information is this?", "Considered")
    assert checklist_summary({})[0][1] == "Not recorded"


def test_daily_command_flags_every_other_agreement_when_one_fails(make_agreement, monkeypatch):
    """One agreement that cannot be processed (here its notice fails) is named in the
    command's error, after every other agreement was flagged."""
    broken = make_agreement(reference="BROKEN")
    lapsed = make_agreement(reference="LAPSED")
    type(lapsed).objects.filter(pk__in=[broken.pk, lapsed.pk]).update(next_review_on=_days(-1))
    on_review_overdue = notifications.on_review_overdue

    def fail_for_broken(agreement):
        if agreement.reference == "BROKEN":
            raise RuntimeError("mail relay refused the message")
        on_review_overdue(agreement)

    monkeypatch.setattr(notifications, "on_review_overdue", fail_for_broken)
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("agreements_daily", stdout=StringIO())
    broken.refresh_from_db()
    lapsed.refresh_from_db()
    assert lapsed.overdue_review_flagged == _days(-1)
    assert broken.overdue_review_flagged is None  # its transaction rolled back whole
