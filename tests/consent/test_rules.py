"""Each rule of the consent form and the protocol, one test per rule."""

import datetime
from typing import Any

import pytest

from consent.models import ChildConsentBy, ConsentStatus, NotSoughtGround, ObtainedBy
from consent.rules import record_problems

TODAY = datetime.date(2026, 6, 15)
AGREEMENTS = [object()]


def given(**overrides: Any) -> dict[str, Any]:
    data = {
        "status": ConsentStatus.GIVEN,
        "subject_name": "Alex Example",
        "subject_date_of_birth": datetime.date(1980, 1, 1),
        "subject_age": None,
        "about_signer": True,
        "reasons_explained": True,
        "given_to_agency": "police",
        "disclose_to_agency": "council",
        "purposes": "For the case conference",
        "signed_on": TODAY,
        "obtained_by": ObtainedBy.IN_PERSON,
        "witness_name": "Officer",
        "witness_position": "Community safety officer",
        "witnessed_on": TODAY,
    }
    return {**data, **overrides}


def problems(data: dict[str, Any], *, agreements: Any = AGREEMENTS, has_scan: bool = False):
    return record_problems(data, agreements=agreements, has_scan=has_scan, today=TODAY)


def test_complete_consent_has_no_problems() -> None:
    assert problems(given()) == {}


def test_withdrawn_cannot_be_recorded_directly() -> None:
    assert "status" in problems(given(status=ConsentStatus.WITHDRAWN))


@pytest.mark.parametrize("field", ["subject_name", "purposes"])
def test_required_text(field: str) -> None:
    assert field in problems(given(**{field: "  "}))


def test_agency_is_required() -> None:
    assert "given_to_agency" in problems(given(given_to_agency=None))


def test_recipient_agency_is_required_and_is_another_agency() -> None:
    assert "disclose_to_agency" in problems(given(disclose_to_agency=None))
    assert "disclose_to_agency" in problems(given(disclose_to_agency="police"))


@pytest.mark.parametrize(
    "field",
    [
        "subject_date_of_birth",
        "signer_date_of_birth",
        "signed_on",
        "witnessed_on",
        "capacity_assessed_on",
        "proceed_decided_on",
    ],
)
def test_dates_cannot_be_in_the_future(field: str) -> None:
    assert field in problems(given(**{field: TODAY + datetime.timedelta(days=1)}))


def test_expiry_must_be_in_the_future() -> None:
    assert "expires_on" in problems(given(expires_on=TODAY))
    assert "expires_on" not in problems(given(expires_on=TODAY + datetime.timedelta(days=1)))


def test_age_or_date_of_birth_is_required() -> None:
    assert "subject_age" in problems(given(subject_date_of_birth=None))
    assert "subject_age" not in problems(given(subject_date_of_birth=None, subject_age=30))


def test_age_must_match_date_of_birth() -> None:
    assert "subject_age" in problems(given(subject_age=20))


def test_signer_for_someone_else_needs_name_and_capacity() -> None:
    found = problems(given(about_signer=False, signer_name="", signer_capacity=""))
    assert {"signer_name", "signer_capacity"} <= found.keys()


def test_other_capacity_must_be_described() -> None:
    found = problems(given(about_signer=False, signer_name="Sam", signer_capacity="other"))
    assert "signer_capacity_other" in found


def test_reasons_must_have_been_explained_for_consent_to_count() -> None:
    assert "reasons_explained" in problems(given(reasons_explained=False))
    assert "reasons_explained" in problems(given(reasons_explained=None))


def test_given_consent_covers_at_least_one_agreement() -> None:
    assert "agreements" in problems(given(), agreements=[])


def test_given_consent_needs_its_date_and_method() -> None:
    found = problems(given(signed_on=None, obtained_by=""))
    assert {"signed_on", "obtained_by"} <= found.keys()


def test_paper_form_needs_a_scan() -> None:
    assert "scan" in problems(given(obtained_by=ObtainedBy.PAPER_FORM))
    assert "scan" not in problems(given(obtained_by=ObtainedBy.PAPER_FORM), has_scan=True)


@pytest.mark.parametrize("method", [ObtainedBy.PAPER_FORM, ObtainedBy.IN_PERSON])
def test_paper_or_in_person_consent_is_witnessed(method: str) -> None:
    found = problems(
        given(obtained_by=method, witness_name="", witness_position="", witnessed_on=None),
        has_scan=True,
    )
    assert {"witness_name", "witness_position", "witnessed_on"} <= found.keys()


def test_telephone_consent_says_who_took_it() -> None:
    assert "telephone_taken_by" in problems(given(obtained_by=ObtainedBy.TELEPHONE))
    assert problems(given(obtained_by=ObtainedBy.TELEPHONE, telephone_taken_by="PC Smith")) == {}


CHILD_DOB = TODAY.replace(year=TODAY.year - 13)


def test_child_consent_says_who_gave_it() -> None:
    assert "child_consent_by" in problems(given(subject_date_of_birth=CHILD_DOB))


def test_child_giving_consent_needs_the_assessment_recorded() -> None:
    found = problems(given(subject_date_of_birth=CHILD_DOB, child_consent_by=ChildConsentBy.CHILD))
    assert "child_assessment" in found


def test_parent_giving_consent_is_recorded_as_parent_or_guardian() -> None:
    data = given(
        subject_date_of_birth=CHILD_DOB,
        child_consent_by=ChildConsentBy.PARENT_OR_GUARDIAN,
        about_signer=False,
        signer_name="Pat Example",
        signer_capacity="carer",
    )
    assert "signer_capacity" in problems(data)
    assert problems({**data, "signer_capacity": "parent"}) == {}


def test_child_age_can_come_from_age_alone() -> None:
    assert "child_consent_by" in problems(given(subject_date_of_birth=None, subject_age=12))


def test_capacity_in_doubt_needs_the_two_stage_test_and_assessor() -> None:
    found = problems(given(capacity_in_doubt=True))
    assert {"capacity_impairment", "capacity_notes", "capacity_assessed_by"} <= found.keys()
    found = problems(given(capacity_in_doubt=True, capacity_impairment=True))
    assert "capacity_unable_to_decide" in found


def test_person_lacking_capacity_cannot_consent_themselves() -> None:
    data = given(
        capacity_in_doubt=True,
        capacity_impairment=True,
        capacity_unable_to_decide=True,
        capacity_notes="Could not retain the information",
        capacity_assessed_by="Dr Jones, psychiatrist",
    )
    assert "capacity_unable_to_decide" in problems(data)
    on_behalf = {**data, "about_signer": False, "signer_name": "Sam", "signer_capacity": "carer"}
    assert problems(on_behalf) == {}


def test_refusal_records_whether_to_proceed() -> None:
    refused = given(status=ConsentStatus.REFUSED)
    assert "proceed_without_consent" in problems(refused)
    assert problems({**refused, "proceed_without_consent": False}) == {}


def test_decision_to_proceed_needs_reason_who_and_when() -> None:
    found = problems(given(status=ConsentStatus.REFUSED, proceed_without_consent=True))
    assert {"proceed_reason", "proceed_decided_by", "proceed_decided_on"} <= found.keys()


def test_refusal_needs_no_agreement_or_method() -> None:
    refused = given(status=ConsentStatus.REFUSED, proceed_without_consent=False, obtained_by="")
    assert problems(refused, agreements=[]) == {}


def test_not_sought_needs_ground_and_facts() -> None:
    found = problems(given(status=ConsentStatus.NOT_SOUGHT))
    assert {"not_sought_ground", "not_sought_reason"} <= found.keys()
    ok = given(
        status=ConsentStatus.NOT_SOUGHT,
        not_sought_ground=NotSoughtGround.RISK_OF_HARM,
        not_sought_reason="Partner is the suspect",
    )
    assert problems(ok, agreements=[]) == {}
