"""What a request needs before it can be submitted: the form's and the protocol's rules.

Each problem is keyed by the form field it belongs to, so the page can show the message
beside that field. People are keyed ``people-<n>-<field>``.
"""

import datetime
import re

from django.utils import dateformat, timezone

from accounts.models import User
from consent.models import ConsentStatus
from requests_app.models import CONSENT_ROLES, ConsentBasis, ConsentObtained, InformationRequest

Problems = dict[str, list[str]]


def _add(problems: Problems, key: str, message: str) -> None:
    problems.setdefault(key, []).append(message)


def declaration_matches(user: User, typed_name: str) -> bool:
    """The typed signature must be the officer's own full name (case and spacing aside)."""
    typed = " ".join(typed_name.split()).casefold()
    return bool(typed) and typed == " ".join(user.get_full_name().split()).casefold()


_NAME_PART = re.compile(r"[^\W\d_]+")
# Name parts shorter than this ("Al", "Jo") match too many ordinary words to refuse on.
_SHORTEST_NAME_PART = 3


def names_in_summary(summary: str, names: list[str]) -> bool:
    """Whether the Appendix G summary contains any part of a named person's name as a whole
    word, in any case ("Jordan's", "O'BRIEN"): it is read in the register by people who must
    not see them."""
    return any(
        re.search(rf"(?<![^\W\d_]){re.escape(part)}(?![^\W\d_])", summary, re.IGNORECASE)
        for name in names
        for part in _NAME_PART.findall(name)
        if len(part) >= _SHORTEST_NAME_PART
    )


def checklist_unticked(answers: dict[str, object]) -> int:
    """How many points of the Information Sharing Checklist are not ticked as considered."""
    from agreements.forms import CHECKLIST

    return sum(1 for key, _ in CHECKLIST if answers.get(key) is not True)


def consent_basis_problem(
    request: InformationRequest, *, basis: str, today: datetime.date
) -> str | None:
    """Appendix G 9(e): a decision says "with consent" only while every consent the request
    relies on stands. Names the person's place on the request, never their name."""
    if basis != ConsentBasis.CONSENT:
        return None
    from consent.selectors import person_label

    relied_on = (
        request.people.filter(role__in=CONSENT_ROLES, consent__isnull=False)
        .select_related("consent")
        .order_by("position", "pk")
    )
    for person in relied_on:
        consent = person.consent
        if consent.status == ConsentStatus.WITHDRAWN:
            when = dateformat.format(timezone.localtime(consent.withdrawn_at), "j F Y")
            return (
                f"{person_label(person)} withdrew their consent on {when}: choose another "
                "basis, or decline"
            )
        if consent.expires_on is not None and consent.expires_on < today:
            when = dateformat.format(consent.expires_on, "j F Y")
            return (
                f"The consent of {person_label(person)} expired on {when}: choose another "
                "basis, or decline"
            )
    return None


def _agreement_problem(request: InformationRequest) -> str | None:
    from agreements.services import agreement_usable_problem

    return agreement_usable_problem(
        agreement=request.agreement,
        requesting_agency=request.requesting_agency,
        target_agency=request.target_agency,
    )


def _person_consent_problem(request: InformationRequest, person: object) -> str | None:
    from consent.selectors import consent_problem_for_person

    return consent_problem_for_person(person=person, request=request)


def submission_problems(request: InformationRequest) -> Problems:
    problems: Problems = {}
    today = timezone.localdate()
    people = list(
        request.people.select_related(
            "consent__given_to_agency", "consent__disclose_to_agency"
        ).prefetch_related("consent__agreements")
    )
    if not people:
        _add(problems, "people", "Name at least one person the information is about")
    if request.required_by and request.required_by < today:
        _add(
            problems,
            "required_by",
            "The date the information is required by must be today or in the future",
        )
    if request.is_urgent and not request.urgency_reason.strip():
        _add(problems, "urgency_reason", "Give the reason the request is urgent")
    if not request.legislation.exists() and not request.legislation_other.strip():
        _add(
            problems,
            "legislation",
            "Tick at least one piece of legislation, or give other legislation",
        )
    if request.public_interest and not request.public_interest_reason.strip():
        _add(
            problems,
            "public_interest_reason",
            "Give the reason disclosure is in the public interest",
        )
    if request.agreement is None:
        _add(problems, "agreement", "Choose the agreement this request is made under")
    else:
        message = _agreement_problem(request)
        if message:
            _add(problems, "agreement", message)
    needs_consent = [p for p in people if p.role in CONSENT_ROLES]
    if needs_consent and request.consent_obtained == ConsentObtained.NOT_APPLICABLE:
        _add(
            problems,
            "consent_obtained",
            "Someone named is a victim, informant, witness or convicted offender: "
            "say whether consent has been obtained",
        )
    for index, person in enumerate(people):
        if person.date_of_birth and person.date_of_birth > today:
            _add(problems, f"people-{index}-date_of_birth", "Date of birth must be in the past")
        if person.role in CONSENT_ROLES:
            message = _person_consent_problem(request, person)
            if message:
                _add(problems, f"people-{index}-consent", message)
    return problems
