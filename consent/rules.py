"""What a consent record needs before it is saved: the form's and the protocol's rules.

Each problem is keyed by the form field it belongs to, so the page shows the message beside
that field. The service checks the same rules, so nothing reaches the database without them.
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from consent.models import ADULT_AGE, ChildConsentBy, ConsentStatus, ObtainedBy, SignerCapacity

Problems = dict[str, list[str]]

RECORDABLE_STATUSES = (ConsentStatus.GIVEN, ConsentStatus.REFUSED, ConsentStatus.NOT_SOUGHT)
_PAST_DATES = {
    "subject_date_of_birth": "The date of birth must be in the past",
    "signer_date_of_birth": "The date of birth must be in the past",
    "signed_on": "The date signed cannot be in the future",
    "witnessed_on": "The date witnessed cannot be in the future",
    "capacity_assessed_on": "The date of the capacity assessment cannot be in the future",
    "proceed_decided_on": "The date of the decision cannot be in the future",
}


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _add(problems: Problems, key: str, message: str) -> None:
    problems.setdefault(key, []).append(message)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def record_problems(
    data: Mapping[str, Any],
    *,
    agreements: Sequence[object],
    has_scan: bool,
    today: datetime.date,
) -> Problems:
    problems: Problems = {}
    status = data.get("status")
    if status not in RECORDABLE_STATUSES:
        # The rules for each answer are left out, but the rest are checked: every
        # problem is shown at once.
        _add(problems, "status", "Choose whether consent was given, refused or not sought")
    if _blank(data.get("subject_name")):
        _add(problems, "subject_name", "Enter the name of the person the information is about")
    if _blank(data.get("purposes")):
        _add(problems, "purposes", "Describe the information and the purposes")
    holder, recipient = data.get("given_to_agency"), data.get("disclose_to_agency")
    if holder is None:
        _add(problems, "given_to_agency", "Choose the agency that holds the information")
    if recipient is None:
        _add(problems, "disclose_to_agency", "Choose the agency it may be disclosed to")
    elif recipient == holder:
        _add(
            problems,
            "disclose_to_agency",
            "Choose an agency other than the one holding the information",
        )
    for field, message in _PAST_DATES.items():
        value = data.get(field)
        if value and value > today:
            _add(problems, field, message)
    expires_on = data.get("expires_on")
    if expires_on and expires_on <= today:
        _add(problems, "expires_on", "The expiry date must be in the future")

    age = _age_problems(problems, data, today)
    _signer_problems(problems, data)
    if status == ConsentStatus.GIVEN:
        _given_problems(problems, data, agreements=agreements, has_scan=has_scan)
        if age is not None and age < ADULT_AGE:
            _child_problems(problems, data)
    _capacity_problems(problems, data)
    if status == ConsentStatus.REFUSED:
        _refusal_problems(problems, data)
    if status == ConsentStatus.NOT_SOUGHT:
        if _blank(data.get("not_sought_ground")):
            _add(problems, "not_sought_ground", "Choose why consent was not sought")
        if _blank(data.get("not_sought_reason")):
            _add(problems, "not_sought_reason", "Explain why consent was not sought")
    return problems


def _age_problems(problems: Problems, data: Mapping[str, Any], today: datetime.date) -> int | None:
    born = data.get("subject_date_of_birth")
    age = data.get("subject_age")
    if born and born <= today:
        actual = age_on(born, today)
        if age is not None and age != actual:
            _add(problems, "subject_age", "The age does not match the date of birth")
        return actual
    if age is None and not born:
        _add(
            problems,
            "subject_age",
            "Enter the person’s date of birth or, if it is not known, their age",
        )
    return age


def _signer_problems(problems: Problems, data: Mapping[str, Any]) -> None:
    if data.get("about_signer") is not False or data.get("status") == ConsentStatus.NOT_SOUGHT:
        return
    if _blank(data.get("signer_name")):
        _add(problems, "signer_name", "Enter the name of the person who signed")
    capacity = data.get("signer_capacity")
    if _blank(capacity):
        _add(
            problems,
            "signer_capacity",
            "Choose whether the person who signed is a parent, guardian, carer or other",
        )
    elif capacity == SignerCapacity.OTHER and _blank(data.get("signer_capacity_other")):
        _add(problems, "signer_capacity_other", "Describe the capacity in which they act")


def _given_problems(
    problems: Problems, data: Mapping[str, Any], *, agreements: Sequence[object], has_scan: bool
) -> None:
    explained = data.get("reasons_explained")
    if explained is None:
        _add(problems, "reasons_explained", "Say whether the reasons were explained")
    elif explained is False:
        _add(
            problems,
            "reasons_explained",
            "Consent counts only when the reasons have been explained (ISP Appendix G 8). "
            "Explain them first, or record consent as refused or not sought",
        )
    if not agreements:
        _add(problems, "agreements", "Choose at least one agreement whose purposes it covers")
    if data.get("signed_on") is None:
        _add(problems, "signed_on", "Enter the date consent was given")
    method = data.get("obtained_by")
    if _blank(method):
        _add(problems, "obtained_by", "Choose how consent was obtained")
    if method == ObtainedBy.PAPER_FORM and not has_scan:
        _add(problems, "scan", "Upload a scan of the signed consent form")
    if method in (ObtainedBy.PAPER_FORM, ObtainedBy.IN_PERSON):
        if _blank(data.get("witness_name")):
            _add(problems, "witness_name", "Enter the name of the officer who witnessed it")
        if _blank(data.get("witness_position")):
            _add(problems, "witness_position", "Enter the position of the officer who witnessed it")
        if data.get("witnessed_on") is None:
            _add(problems, "witnessed_on", "Enter the date it was witnessed")
    if method == ObtainedBy.TELEPHONE and _blank(data.get("telephone_taken_by")):
        _add(problems, "telephone_taken_by", "Enter who took the consent by telephone")


def _child_problems(problems: Problems, data: Mapping[str, Any]) -> None:
    """Appendix G 2: a child of sufficient age and understanding, or a parent."""
    by = data.get("child_consent_by")
    if _blank(by):
        _add(
            problems,
            "child_consent_by",
            "The person is a child: say whether they gave consent themselves or a parent "
            "or guardian did",
        )
    elif by == ChildConsentBy.CHILD:
        if _blank(data.get("child_assessment")):
            _add(
                problems,
                "child_assessment",
                "Record how you assessed that the child has sufficient age and understanding",
            )
        if data.get("about_signer") is False:
            _add(
                problems,
                "about_signer",
                "If the child gave consent, the information is about the person who signed",
            )
    elif by == ChildConsentBy.PARENT_OR_GUARDIAN and (
        data.get("about_signer") is not False
        or data.get("signer_capacity") not in (SignerCapacity.PARENT, SignerCapacity.GUARDIAN)
    ):
        _add(
            problems,
            "signer_capacity",
            "If a parent or guardian gave consent, say the information is not about them "
            "and choose parent or guardian",
        )


def _capacity_problems(problems: Problems, data: Mapping[str, Any]) -> None:
    """Appendix F: the Mental Capacity Act two-stage test, when capacity is in doubt."""
    if not data.get("capacity_in_doubt"):
        return
    impairment = data.get("capacity_impairment")
    if impairment is None:
        _add(
            problems,
            "capacity_impairment",
            "Answer stage 1: is there an impairment of, or disturbance in, the mind or brain?",
        )
    unable = data.get("capacity_unable_to_decide")
    if impairment and unable is None:
        _add(
            problems,
            "capacity_unable_to_decide",
            "Answer stage 2: does it make the person unable to make this decision now?",
        )
    if _blank(data.get("capacity_notes")):
        _add(problems, "capacity_notes", "Record how the person’s ability to decide was assessed")
    if _blank(data.get("capacity_assessed_by")):
        _add(problems, "capacity_assessed_by", "Enter who assessed capacity")
    if (
        impairment
        and unable
        and data.get("status") == ConsentStatus.GIVEN
        and data.get("about_signer") is not False
    ):
        _add(
            problems,
            "capacity_unable_to_decide",
            "A person who lacks capacity for this decision cannot give consent themselves. "
            "Record who gave it on their behalf, or record consent as not sought",
        )


def _refusal_problems(problems: Problems, data: Mapping[str, Any]) -> None:
    """Appendix G 7: a refusal and any decision to proceed without consent are recorded."""
    proceed = data.get("proceed_without_consent")
    if proceed is None:
        _add(
            problems,
            "proceed_without_consent",
            "Say whether a decision was made to proceed without consent",
        )
    if proceed:
        if _blank(data.get("proceed_reason")):
            _add(problems, "proceed_reason", "Give the reason for proceeding without consent")
        if _blank(data.get("proceed_decided_by")):
            _add(problems, "proceed_decided_by", "Enter who decided to proceed")
        if data.get("proceed_decided_on") is None:
            _add(problems, "proceed_decided_on", "Enter the date of the decision")
