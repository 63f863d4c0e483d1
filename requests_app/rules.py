"""What a request needs before it can be submitted: the form's and the protocol's rules.

Each problem is keyed by the form field it belongs to, so the page can show the message
beside that field. People are keyed ``people-<n>-<field>``.
"""

import datetime
import re

from django.utils import timezone

from accounts.models import Agency, User
from agreements.forms import CHECKLIST
from agreements.services import agreement_usable_problem
from requests_app.consent import consent_basis_problem, consent_problem_for_person
from requests_app.models import CONSENT_ROLES, ConsentObtained, InformationRequest, NamedPerson

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


def checklist_unticked(answers: dict[str, object]) -> list[tuple[str, str]]:
    """The points of the Information Sharing Checklist not ticked as considered, as
    (key, question) pairs in the checklist's order."""
    return [(key, question) for key, question in CHECKLIST if answers.get(key) is not True]


def decision_problems(
    request: InformationRequest,
    *,
    actor: User,
    consent_basis: str,
    summary: str,
    checklist: dict[str, object],
    signature_name: str,
    today: datetime.date,
) -> Problems:
    """Everything the protocol refuses in a decision about to be signed, all at once:
    a consent basis that no longer stands, a summary naming someone the request is about,
    each checklist point not considered (keyed as the checklist form's fields), a signature
    that is not the officer's own name."""
    problems: Problems = {}
    refused = consent_basis_problem(request, basis=consent_basis, today=today)
    if refused:
        _add(problems, "consent_basis", refused)
    if names_in_summary(summary, list(request.people.values_list("full_name", flat=True))):
        _add(
            problems,
            "summary",
            "Take the names of the people the request is about out of the summary: it goes "
            "into the decision register",
        )
    for key, question in checklist_unticked(checklist):
        _add(problems, f"checklist-{key}", f"Select to confirm you have considered: {question}")
    if not declaration_matches(actor, signature_name):
        _add(
            problems,
            "signature_name",
            f"Enter your full name as it appears on your profile: {actor.get_full_name()}",
        )
    return problems


def _agreement_problem(request: InformationRequest) -> str | None:
    return agreement_usable_problem(
        agreement=request.agreement,
        requesting_agency=request.requesting_agency,
        target_agency=request.target_agency,
    )


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
            message = consent_problem_for_person(person=person, request=request)
            if message:
                _add(problems, f"people-{index}-consent", message)
    if request.pk is not None and request.status == "draft":
        for agency in request.also_ask.order_by("name"):
            _add_problems_asking(problems, as_asked_of(request, agency), people)
    return problems


def as_asked_of(request: InformationRequest, agency: Agency) -> InformationRequest:
    """The draft as the request the other agency would get: only its target differs. Not
    saved; for checking the rules that depend on who is asked."""
    return InformationRequest(
        pk=request.pk,
        status=request.status,
        requester_id=request.requester_id,
        requesting_agency=request.requesting_agency,
        target_agency=agency,
        agreement=request.agreement,
        public_interest_reason=request.public_interest_reason,
    )


def _add_problems_asking(
    problems: Problems, asked: InformationRequest, people: list[NamedPerson]
) -> None:
    """The rules that depend on the agency asked (the agreement, each person's consent),
    for a further agency the draft also asks: each must pass them as if asked alone."""
    prefix = f"Asking {asked.target_agency.name}: "
    if asked.agreement is not None:
        message = _agreement_problem(asked)
        if message:
            _add(problems, "also_ask", prefix + message)
    for index, person in enumerate(people):
        if person.role in CONSENT_ROLES:
            message = consent_problem_for_person(person=person, request=asked)
            if message and message not in problems.get(f"people-{index}-consent", []):
                _add(problems, f"people-{index}-consent", prefix + message)


# The task of Part A each problem's field is answered in, so the check page can link a
# problem to its answer and the task list can say which tasks are complete.
TASK_FIELDS = {
    "about": (
        "target_agency",
        "also_ask",
        "agreement",
        "description",
        "required_by",
        "is_urgent",
        "urgency_reason",
    ),
    "people": ("people",),
    "consent": ("consent_obtained", "public_interest", "public_interest_reason"),
    "legislation": ("legislation", "legislation_other"),
}


def task_of(key: str) -> str | None:
    """The task a problem key belongs to; people's own fields are keyed people-<n>-<field>."""
    if key.startswith("people"):
        return "people"
    return next((task for task, fields in TASK_FIELDS.items() if key in fields), None)
