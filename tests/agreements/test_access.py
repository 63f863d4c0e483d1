"""Who sees what: every agreements URL, for every role in the world, in every state."""

import pytest
from django.urls import reverse

from accounts.models import Role
from agreements.models import AgreementStatus
from audit.models import AuditEvent, EventType, Outcome
from tests.world import OFFICERS

STATES = [
    AgreementStatus.DRAFT,
    AgreementStatus.AWAITING_SIGNATURES,  # the council has signed, the police not yet
    AgreementStatus.ACTIVE,
    AgreementStatus.TERMINATED,
]
PARTIES = {"council", "police"}  # the lead agency is the council
PREPARATION = {Role.SIGNATORY, Role.SPOC, Role.DEPUTY_SPOC}
LEAD_OFFICERS = {"administrator", "council_spoc", "council_deputy"}


def sees(name: str, state: str) -> bool:
    """The rule of issue 4, written out independently of the code under test."""
    agency, roles = OFFICERS[name]
    if Role.ADMINISTRATOR in roles:
        return True
    if agency not in PARTIES:
        return False
    if state in (AgreementStatus.DRAFT, AgreementStatus.AWAITING_SIGNATURES):
        return bool(PREPARATION & set(roles))
    return True


def may(url_name: str, name: str, state: str) -> bool:
    lead = name in LEAD_OFFICERS
    return {
        "detail": True,
        "pdf": True,
        "edit": state == AgreementStatus.DRAFT and lead,
        "party": state == AgreementStatus.DRAFT and lead,
        "sign": state == AgreementStatus.AWAITING_SIGNATURES and name == "police_signatory",
        "amend_minor": state == AgreementStatus.ACTIVE and lead,
        "renew": state == AgreementStatus.ACTIVE and lead,
        "amend": state == AgreementStatus.ACTIVE and lead,
        "terminate": state in (AgreementStatus.AWAITING_SIGNATURES, AgreementStatus.ACTIVE)
        and lead,
    }[url_name]


def _expected(url_name: str, name: str, state: str) -> int:
    if not sees(name, state):
        return 404
    return 200 if may(url_name, name, state) else 403


def _url(url_name: str, agreement) -> str:
    if url_name == "party":
        return reverse("agreements:party", args=[agreement.pk, agreement.party_rows.first().pk])
    return reverse(f"agreements:{url_name}", args=[agreement.pk])


@pytest.mark.parametrize(
    "url_name",
    ["detail", "pdf", "edit", "party", "sign", "amend_minor", "renew", "amend", "terminate"],
)
def test_every_role_gets_what_the_rule_says_for_every_state(
    world, make_agreement, client, url_name
):
    agreements = {state: make_agreement(state, reference=f"M-{state}"[:40]) for state in STATES}
    wrong = []
    for name in OFFICERS:
        client.force_login(world.users[name])
        for state, agreement in agreements.items():
            expected = _expected(url_name, name, state)
            got = client.get(_url(url_name, agreement)).status_code
            if got != expected:
                wrong.append(f"{name} {state}: {got}, expected {expected}")
    assert wrong == []


def test_a_refused_look_is_audited_as_access_denied(world, make_agreement, client):
    draft = make_agreement(AgreementStatus.DRAFT)
    client.force_login(world.requester)
    assert client.get(reverse("agreements:detail", args=[draft.pk])).status_code == 404
    event = AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED).first()
    assert event.outcome == Outcome.DENIED
    assert event.actor == world.requester
    assert (event.object_type, event.object_id) == ("agreement", str(draft.pk))


def test_an_agreement_that_does_not_exist_looks_like_one_you_cannot_see(world, client):
    client.force_login(world.administrator)
    assert client.get(reverse("agreements:detail", args=[999_999])).status_code == 404


def test_sending_for_signature_is_for_the_lead_officer_only(world, make_agreement, client):
    draft = make_agreement(AgreementStatus.DRAFT)
    send = reverse("agreements:send", args=[draft.pk])
    client.force_login(world.requester)
    assert client.post(send).status_code == 404
    client.force_login(world.police_signatory)
    client.post(send)
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.DRAFT
    client.force_login(world.council_spoc)
    assert client.post(send).status_code == 302
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.AWAITING_SIGNATURES


@pytest.mark.parametrize(
    ("url_name", "allowed"),
    [
        ("list", set(OFFICERS)),
        (
            "create",
            {"administrator", "council_spoc", "council_deputy", "police_spoc", "police_deputy"},
        ),
        (
            "join",
            {
                "administrator",
                "council_spoc",
                "council_deputy",
                "police_spoc",
                "police_deputy",
                "police_signatory",
                "council_signatory",
            },
        ),
        ("applications", {"administrator"}),
    ],
)
def test_register_pages(world, client, url_name, allowed):
    url = reverse(f"agreements:{url_name}")
    refused = 404 if url_name == "applications" else 403
    wrong = []
    for name in OFFICERS:
        client.force_login(world.users[name])
        got = client.get(url).status_code
        expected = 200 if name in allowed else refused
        if got != expected:
            wrong.append(f"{name}: {got}, expected {expected}")
    assert wrong == []


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("agreements:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_list_shows_only_what_the_officer_may_see(world, make_agreement, client):
    make_agreement(AgreementStatus.ACTIVE, reference="SEEN")
    make_agreement(AgreementStatus.DRAFT, reference="HIDDEN-DRAFT")
    make_agreement(AgreementStatus.ACTIVE, reference="OTHERS", parties=("fire", "police"))
    client.force_login(world.requester)
    page = client.get(reverse("agreements:list")).content.decode()
    assert "SEEN" in page
    assert "HIDDEN-DRAFT" not in page
    assert "OTHERS" not in page
