"""Consent records made before the form named both agencies keep their meaning."""

import datetime

import pytest

from tests.migrating import migrating

pytestmark = pytest.mark.django_db(transaction=True)


def test_existing_consent_names_the_recording_officers_agency_as_recipient() -> None:
    with migrating("consent", "0003_bound_text_lengths", "0005_consent_recipient_required") as (
        old,
        forward,
    ):
        Agency = old.get_model("accounts", "Agency")
        User = old.get_model("accounts", "User")
        ConsentRecord = old.get_model("consent", "ConsentRecord")
        joined = datetime.date(2020, 1, 1)
        police = Agency.objects.create(code="MPS", name="Police", kind="police", joined_on=joined)
        council = Agency.objects.create(
            code="LBH", name="Council", kind="council", joined_on=joined
        )
        officer = User.objects.create(username="requester", agency=council)
        old_pk = ConsentRecord.objects.create(
            status="given",
            obtained_by="in_person",
            subject_name="A Person",
            purposes="ASB case",
            given_to_agency=police,
            recorded_by=officer,
        ).pk

        new = forward()
        migrated = new.get_model("consent", "ConsentRecord").objects.get(pk=old_pk)
        assert migrated.given_to_agency_id == police.pk
        assert migrated.disclose_to_agency_id == council.pk
