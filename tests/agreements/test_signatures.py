"""Signatures, hashes, activation and versions."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from agreements import selectors, services
from agreements.content import canonical_content, content_hash
from agreements.models import AgreementStatus, AgreementVersion, ChangeKind, Signature
from audit.models import AuditEvent, EventType
from tests.agreements.builders import signatory_for


def test_sending_for_signature_fixes_the_content_and_its_hash(make_agreement):
    agreement = make_agreement(AgreementStatus.AWAITING_SIGNATURES)
    snapshot = selectors.current_version(agreement)
    assert snapshot.content_hash == content_hash(canonical_content(agreement))
    assert len(snapshot.content_hash) == 64
    assert snapshot.content["parties"][0]["agency"] == "LBH"
    assert snapshot.content["parties"][0]["article6"] == ["e"]


def test_signature_records_who_what_and_the_hash_of_the_version_signed(world, make_agreement):
    agreement = make_agreement(AgreementStatus.ACTIVE)
    signature = Signature.objects.get(agreement=agreement, agency=world.police)
    assert signature.signed_by == world.police_signatory
    assert signature.name == world.police_signatory.get_full_name()
    assert signature.organisation == world.police.name
    assert signature.statement.startswith("By signing this document, I accept")
    assert signature.content_hash == selectors.current_version(agreement).content_hash
    assert services.verify_version(signature.signed_version)
    assert signature.content_hash == signature.signed_version.content_hash


def test_a_party_that_has_not_signed_keeps_the_agreement_awaiting(world, make_agreement):
    agreement = make_agreement(AgreementStatus.AWAITING_SIGNATURES)
    assert agreement.status == AgreementStatus.AWAITING_SIGNATURES
    signed = agreement.signatures.values("agency")
    unsigned = agreement.party_rows.exclude(agency__in=signed).values_list("agency", flat=True)
    assert list(unsigned) == [world.police.pk]


def test_the_last_signature_activates_it_and_tells_the_parties(world, make_agreement):
    agreement = make_agreement(AgreementStatus.AWAITING_SIGNATURES)
    snapshot = selectors.current_version(agreement)
    mail.outbox.clear()
    with pytest.raises(Exception):  # noqa: B017 - not a party
        services.agreement_sign(
            actor=world.outsider, agreement=agreement, content_hash_seen=snapshot.content_hash
        )
    services.agreement_sign(
        actor=world.police_signatory, agreement=agreement, content_hash_seen=snapshot.content_hash
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.activated_at is not None
    events = AuditEvent.objects.filter(object_id=str(agreement.pk), object_type="agreement")
    assert events.filter(event_type=EventType.AGREEMENT_SIGNED).count() == 2


def test_sending_the_activation_email_waits_for_the_commit(
    world, make_agreement, django_capture_on_commit_callbacks
):
    agreement = make_agreement(AgreementStatus.AWAITING_SIGNATURES)
    snapshot = selectors.current_version(agreement)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_sign(
            actor=world.police_signatory,
            agreement=agreement,
            content_hash_seen=snapshot.content_hash,
        )
    assert mail.outbox
    for message in mail.outbox:
        assert agreement.reference in message.subject
        assert "Tester" not in message.body  # no names travel by email


def test_nobody_signs_twice_for_one_agency(world, make_agreement):
    agreement = make_agreement(AgreementStatus.ACTIVE)
    snapshot = selectors.current_version(agreement)
    with pytest.raises(services.AgreementRefused):
        services.agreement_sign(
            actor=world.police_signatory,
            agreement=agreement,
            content_hash_seen=snapshot.content_hash,
        )


def test_only_a_signatory_signs(world, make_agreement):
    agreement = make_agreement(AgreementStatus.AWAITING_SIGNATURES)
    snapshot = selectors.current_version(agreement)
    with pytest.raises(services.AgreementRefused):
        services.agreement_sign(
            actor=world.police_spoc, agreement=agreement, content_hash_seen=snapshot.content_hash
        )


def test_signing_a_hash_other_than_the_fixed_version_is_refused(world, make_agreement):
    agreement = make_agreement(AgreementStatus.AWAITING_SIGNATURES)
    with pytest.raises(services.AgreementRefused, match="changed while you were reading"):
        services.agreement_sign(
            actor=world.police_signatory, agreement=agreement, content_hash_seen="0" * 64
        )
    assert not Signature.objects.filter(agreement=agreement, agency=world.police).exists()


def test_content_changed_behind_the_services_back_cannot_be_signed(world, make_agreement):
    agreement = make_agreement(AgreementStatus.AWAITING_SIGNATURES)
    snapshot = selectors.current_version(agreement)
    type(agreement).objects.filter(pk=agreement.pk).update(purposes="Something else")
    with pytest.raises(services.AgreementRefused, match="changed since it was fixed"):
        services.agreement_sign(
            actor=world.police_signatory,
            agreement=agreement,
            content_hash_seen=snapshot.content_hash,
        )


def test_a_fixed_version_cannot_be_changed_or_deleted(make_agreement):
    snapshot = selectors.current_version(make_agreement(AgreementStatus.ACTIVE))
    snapshot.content["purposes"] = "tampered"
    with pytest.raises(Exception, match="cannot be changed"):
        snapshot.save()
    with pytest.raises(Exception, match="cannot be deleted"):
        snapshot.delete()
    tampered = AgreementVersion.objects.get(pk=snapshot.pk)
    tampered.content = {"tampered": True}
    assert not services.verify_version(tampered)


@pytest.mark.parametrize("state", [AgreementStatus.AWAITING_SIGNATURES, AgreementStatus.ACTIVE])
def test_a_signed_or_fixed_agreement_cannot_be_edited_as_a_draft(world, make_agreement, state):
    agreement = make_agreement(state)
    with pytest.raises(services.AgreementRefused, match="Only a draft"):
        services.agreement_save_draft(
            actor=world.administrator, agreement=agreement, terms={"purposes": "Changed"}
        )
    party = agreement.party_rows.first()
    with pytest.raises(services.AgreementRefused, match="Only a draft"):
        services.party_update(actor=world.administrator, party=party, fields={"duties": "x"})


def test_a_draft_missing_lawful_bases_cannot_be_sent(world, make_agreement):
    agreement = services.agreement_save_draft(
        actor=world.administrator,
        reference="BARE-1",
        terms={"title": "Bare", "tier": "protocol"},
        parties=[world.council, world.police],
    )
    with pytest.raises(services.AgreementRefused) as refused:
        services.agreement_send_for_signature(actor=world.administrator, agreement=agreement)
    text = " ".join(refused.value.messages)
    assert "Article 6" in text and "purposes" in text and "review date" in text


def test_terminated_needs_a_reason_in_the_database(make_agreement):
    agreement = make_agreement(AgreementStatus.ACTIVE)
    with pytest.raises(IntegrityError):
        type(agreement).objects.filter(pk=agreement.pk).update(status="terminated", end_reason="")


# Versions ------------------------------------------------------------------------------


def test_a_substantial_amendment_is_a_new_version_every_party_signs_again(world, make_agreement):
    current = make_agreement(AgreementStatus.ACTIVE)
    draft = services.agreement_amend_substantial(
        actor=world.council_spoc,
        agreement=current,
        what_changed="Adds health data",
        consulted="DPOs",
    )
    current.refresh_from_db()
    assert (draft.version, draft.minor_version, draft.status) == (2, 0, AgreementStatus.DRAFT)
    assert draft.reference == current.reference
    assert current.status == AgreementStatus.UNDER_REVIEW  # still in force meanwhile
    assert list(draft.party_rows.values_list("article6", flat=True)) == [["e"], ["e"]]
    assert draft.signatures.count() == 0

    services.agreement_save_draft(
        actor=world.council_spoc,
        agreement=draft,
        terms={"purposes": "Wider purposes"},
        legislation=[],
        parties=[world.council, world.police],
    )
    snapshot = services.agreement_send_for_signature(actor=world.council_spoc, agreement=draft)
    for signer in (world.council_signatory, world.police_signatory):
        services.agreement_sign(
            actor=signer, agreement=draft, content_hash_seen=snapshot.content_hash
        )
    draft.refresh_from_db()
    current.refresh_from_db()
    assert draft.status == AgreementStatus.ACTIVE
    assert current.status == AgreementStatus.SUPERSEDED
    # The old signatures still prove what was signed then.
    assert all(
        services.verify_version(s.signed_version)
        and s.content_hash == s.signed_version.content_hash
        for s in current.signatures.all()
    )
    assert current.signatures.first().content_hash != snapshot.content_hash


def test_only_one_new_version_at_a_time(world, make_agreement):
    current = make_agreement(AgreementStatus.ACTIVE)
    services.agreement_amend_substantial(
        actor=world.council_spoc, agreement=current, what_changed="One"
    )
    with pytest.raises(services.AgreementRefused, match="already being prepared"):
        services.agreement_amend_substantial(
            actor=world.council_spoc, agreement=current, what_changed="Two"
        )


def test_a_minor_amendment_is_signed_off_by_the_lead_officer_and_logged(world, make_agreement):
    agreement = make_agreement(AgreementStatus.ACTIVE)
    signed_hash = selectors.current_version(agreement).content_hash
    with pytest.raises(services.AgreementRefused):
        services.agreement_amend_minor(
            actor=world.police_spoc,  # not the lead agency's
            agreement=agreement,
            terms={"security": "TLS"},
            what_changed="Typo",
        )
    snapshot = services.agreement_amend_minor(
        actor=world.council_spoc,
        agreement=agreement,
        terms={"security": "TLS 1.2 or better"},
        what_changed="Clarified transfer security",
        consulted="IG leads",
    )
    agreement.refresh_from_db()
    assert agreement.version_label == "1.1"
    assert agreement.status == AgreementStatus.ACTIVE
    assert snapshot.content_hash != signed_hash
    entry = agreement.changes.get(kind=ChangeKind.MINOR)
    assert (entry.author, entry.consulted, entry.version_label) == (
        world.council_spoc,
        "IG leads",
        "1.1",
    )
    # The signatures keep the hash of the version they signed.
    assert set(agreement.signatures.values_list("content_hash", flat=True)) == {signed_hash}


def test_a_minor_amendment_cannot_change_the_tier(world, make_agreement):
    agreement = make_agreement(AgreementStatus.ACTIVE)
    with pytest.raises(services.AgreementRefused, match="substantial"):
        services.agreement_amend_minor(
            actor=world.council_spoc,
            agreement=agreement,
            terms={"tier": "use_case"},
            what_changed="x",
        )


def test_a_data_sharing_agreement_is_made_under_a_protocol(world, make_agreement):
    protocol = make_agreement(AgreementStatus.ACTIVE)
    with pytest.raises(services.AgreementRefused):
        make_agreement(AgreementStatus.DRAFT, tier="agreement")
    dsa = make_agreement(AgreementStatus.ACTIVE, tier="agreement", parent=protocol)
    assert dsa.parent == protocol
    assert selectors.current_version(dsa).content["parent"] == protocol.reference


# New parties ---------------------------------------------------------------------------


def test_a_new_party_applies_an_administrator_approves_and_it_signs(world, make_agreement):
    agreement = make_agreement(AgreementStatus.ACTIVE)
    fire_signatory = signatory_for(world, "fire")
    application = services.join_apply(
        actor=fire_signatory,
        agreement=agreement,
        duties="Share fire safety visit outcomes",
        reason="Arson reduction",
        breach_contact="ig@lfb.example",
    )
    with pytest.raises(Exception):  # noqa: B017
        services.join_decide(actor=world.council_spoc, application=application, approve=True)
    services.join_decide(actor=world.administrator, application=application, approve=True)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.version_label == "1.1"
    assert world.fire in agreement.parties.all()
    assert (
        services.agreement_usable_problem(
            agreement=agreement, requesting_agency=world.fire, target_agency=world.council
        )
        == f"{world.fire.name} has not yet signed {agreement.reference}."
    )
    snapshot = selectors.current_version(agreement)
    services.agreement_sign(
        actor=fire_signatory, agreement=agreement, content_hash_seen=snapshot.content_hash
    )
    assert (
        services.agreement_usable_problem(
            agreement=agreement, requesting_agency=world.fire, target_agency=world.council
        )
        is None
    )


def test_renewal_moves_the_review_date(world, make_agreement):
    agreement = make_agreement(AgreementStatus.ACTIVE)
    later = timezone.localdate() + datetime.timedelta(days=500)
    services.agreement_renew(
        actor=world.council_spoc, agreement=agreement, next_review_on=later, notes="Still needed"
    )
    agreement.refresh_from_db()
    assert agreement.next_review_on == later
    assert agreement.changes.filter(kind=ChangeKind.REVIEWED).exists()
