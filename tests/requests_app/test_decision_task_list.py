"""The decision as a task list: sections saved and returned to, every problem found in one
round on check and sign, files attached without losing anything typed, a confirmation."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agreements.forms import CHECKLIST
from agreements.models import Agreement
from requests_app import services
from requests_app.models import (
    AttachmentKind,
    ConsentBasis,
    Decision,
    DecisionDraft,
    InformationRequest,
    Status,
)
from tests.requests_app.conftest import build_request, decision_fields
from tests.world import World

pytestmark = pytest.mark.django_db

PART_B = {
    "outcome": "disclosed",
    "information_disclosed": "Three recorded incidents of criminal damage in 2026.",
    "delivery_method": "portal",
    "marking": "OFFICIAL-SENSITIVE",
}
RECORD = {
    "summary": "Offending history shared with LBH for ASB case work",
    "reasons": "Necessary and proportionate to prevent further ASB.",
    "information_types": ["offending_history"],
    "consent_basis": ConsentBasis.PUBLIC_INTEREST,
    "subject_informed": "no",
    "not_informed_reason": "Informing would prejudice the investigation.",
    "authorised_by": "DS Carter under the protocol",
    "evidence": "CRIS reports 1234 and 5678",
}
CHECKED = {f"checklist-{key}": "on" for key, _ in CHECKLIST}


@pytest.fixture
def review(world: World, agreement: Agreement) -> InformationRequest:
    return build_request(world, agreement, Status.UNDER_REVIEW)


@pytest.fixture
def discloser(world: World, client: Client) -> Client:
    client.force_login(world.discloser)
    return client


def _url(req: InformationRequest, name: str, *args: object) -> str:
    return reverse(f"requests:{name}", args=[req.pk, *args])


def _save(client: Client, req: InformationRequest, section: str, data: dict) -> None:
    response = client.post(_url(req, "decide_section", section), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert response["Location"] == _url(req, "decide")


def _summary(response) -> list[tuple[str, str]]:
    return [(e.message, e.href) for e in response.context["errors"]]


def test_each_section_is_saved_and_shown_again(
    discloser: Client, review: InformationRequest
) -> None:
    _save(discloser, review, "part-b", PART_B)
    page = discloser.get(_url(review, "decide_section", "part-b")).content.decode()
    assert "Three recorded incidents of criminal damage in 2026." in page
    assert re.search(r'value="disclosed" id="id_outcome_0" checked', page)
    task_list = discloser.get(_url(review, "decide")).content.decode()
    assert "You have completed 1 of 3 sections" in task_list


def test_attaching_a_file_keeps_everything_typed(
    discloser: Client, review: InformationRequest
) -> None:
    _save(discloser, review, "part-b", PART_B)
    _save(discloser, review, "record", RECORD)
    upload = SimpleUploadedFile("extract.txt", b"Incident log\n", content_type="text/plain")
    response = discloser.post(_url(review, "decide_files"), {"file": upload})
    assert response.status_code == 302
    assert review.attachments.filter(kind=AttachmentKind.DISCLOSURE).count() == 1
    record = discloser.get(_url(review, "decide_section", "record")).content.decode()
    assert "Necessary and proportionate to prevent further ASB." in record
    part_b = discloser.get(_url(review, "decide_section", "part-b")).content.decode()
    assert "Three recorded incidents of criminal damage in 2026." in part_b


def test_posting_the_same_decision_file_twice_attaches_it_once(
    discloser: Client, review: InformationRequest
) -> None:
    page = discloser.get(_url(review, "decide_files")).content.decode()
    token = re.search(r'name="upload_token" value="([0-9a-f-]{36})"', page)
    assert token, "the upload form carries an idempotency token"
    for _ in range(2):  # a double click, or the browser posting again
        upload = SimpleUploadedFile("extract.txt", b"Incident log\n", content_type="text/plain")
        response = discloser.post(
            _url(review, "decide_files"), {"file": upload, "upload_token": token.group(1)}
        )
        assert response.status_code == 302
    assert review.attachments.filter(kind=AttachmentKind.DISCLOSURE).count() == 1


def test_a_section_with_problems_lists_them_all_at_the_top_and_keeps_the_answers(
    discloser: Client, review: InformationRequest
) -> None:
    response = discloser.post(
        _url(review, "decide_section", "record"),
        {
            "reasons": "",
            "information_types": ["other"],
            "subject_informed": "no",
            "evidence": "CRIS 99",
        },
    )
    assert response.status_code == 200
    assert _summary(response) == [
        ("Enter a summary of the information for the register", "#id_summary"),
        ("Enter the decision and its reasons", "#id_reasons"),
        ("Enter the other type of information", "#id_information_types_other"),
        ("Select whether the information is shared with consent", "#id_consent_basis_0"),
        ("Enter why the person or family were not informed", "#id_not_informed_reason"),
        ("Enter who consented to or authorised the disclosure", "#id_authorised_by"),
    ]
    page = response.content.decode()
    assert "<title>Error: Appendix G decision record" in page
    assert page.count('class="govuk-error-summary"') == 1
    assert page.index("govuk-error-summary") < page.index("<h1")
    assert "CRIS 99" in page
    assert not DecisionDraft.objects.filter(request=review).exists()


def test_signing_with_nothing_done_lists_every_problem_in_one_round(
    discloser: Client, review: InformationRequest
) -> None:
    response = discloser.post(_url(review, "decide_check"), {"signature_name": "Someone Else"})
    assert response.status_code == 200
    summary = _summary(response)
    part_b = _url(review, "decide_section", "part-b") + "?return=check"
    record = _url(review, "decide_section", "record") + "?return=check"
    checklist = _url(review, "decide_section", "checklist") + "?return=check"
    assert summary[:3] == [
        ("Select whether disclosure is agreed", f"{part_b}#id_outcome_0"),
        ("Select how the information is shared", f"{part_b}#id_delivery_method_0"),
        ("Select the protective marking", f"{part_b}#id_marking_0"),
    ]
    assert ("Enter the decision and its reasons", f"{record}#id_reasons") in summary
    checklist_links = [s for s in summary if s[1].startswith(checklist)]
    assert checklist_links == [
        (f"Select to confirm you have considered: {question}", f"{checklist}#id_checklist-{key}")
        for key, question in CHECKLIST
    ]
    assert len({message for message, _ in checklist_links}) == len(CHECKLIST)
    assert summary[-1] == (
        "Enter your full name as it appears on your profile: Discloser Tester",
        "#id_signature_name",
    )
    page = response.content.decode()
    assert "<title>Error: Check and sign your decision" in page
    assert page.count('class="govuk-error-summary"') == 1
    assert 'value="Someone Else"' in page
    assert not Decision.objects.filter(request=review).exists()


def test_decline_reason_and_why_not_informed_are_revealed_by_their_answers(
    discloser: Client, review: InformationRequest
) -> None:
    part_b = discloser.get(_url(review, "decide_section", "part-b")).content.decode()
    assert 'value="declined" id="id_outcome_2" data-aria-controls="conditional-id_outcome_2"' in (
        part_b
    )
    reveal = part_b[part_b.index('id="conditional-id_outcome_2"') :]
    assert reveal.index('id="id_decline_reason"') < reveal.index("</div>\n      \n")
    assert "Reason for declining the request</label>" in part_b
    record = discloser.get(_url(review, "decide_section", "record")).content.decode()
    assert 'data-aria-controls="conditional-id_subject_informed_1"' in record
    assert "Why were they not informed?</label>" in record
    assert "Third parties involved (optional)" in record
    assert "Evidence the decision rests on (ISP 4.6) (optional)" not in record


def test_completed_sections_sign_and_end_on_a_confirmation(
    discloser: Client, review: InformationRequest
) -> None:
    _save(discloser, review, "part-b", PART_B)
    _save(discloser, review, "record", RECORD)
    _save(discloser, review, "checklist", CHECKED)
    check = discloser.get(_url(review, "decide_check")).content.decode()
    change = _url(review, "decide_section", "record") + "?return=check#id_reasons"
    assert f'href="{change}"' in check
    response = discloser.post(_url(review, "decide_check"), {"signature_name": "Discloser Tester"})
    assert response.status_code == 302
    assert response["Location"] == _url(review, "decided")
    decision = Decision.objects.get(request=review)
    assert decision.reasons == RECORD["reasons"]
    assert decision.checklist == {key: True for key, _ in CHECKLIST}
    assert not DecisionDraft.objects.filter(request=review).exists()
    done = discloser.get(_url(review, "decided")).content.decode()
    assert "govuk-panel--confirmation" in done
    assert "What happens next" in done


def test_files_can_be_removed_until_the_decision_is_signed(
    world: World, discloser: Client, review: InformationRequest
) -> None:
    upload = SimpleUploadedFile("extract.txt", b"Incident log\n", content_type="text/plain")
    discloser.post(_url(review, "decide_files"), {"file": upload})
    attachment = review.attachments.get()
    response = discloser.post(_url(review, "remove_file", attachment.pk))
    assert response["Location"] == _url(review, "decide_files")
    assert not review.attachments.exists()


def test_a_file_refused_is_shown_in_the_summary_and_beside_the_field(
    discloser: Client, review: InformationRequest
) -> None:
    response = discloser.post(_url(review, "decide_files"), {})
    assert _summary(response) == [("Select a file to attach", "#id_file")]
    assert "<title>Error: Files to disclose" in response.content.decode()


# Services ---------------------------------------------------------------------------------


def test_only_the_deciding_side_may_save_a_draft_decision(
    world: World, review: InformationRequest
) -> None:
    with pytest.raises(PermissionDenied):
        services.decision_draft_save(
            actor=world.requester, request=review, section="part-b", answers={}
        )
    assert not DecisionDraft.objects.exists()


def test_a_draft_decision_cannot_be_saved_once_decided(world: World, agreement: Agreement) -> None:
    decided = build_request(world, agreement, Status.DISCLOSED)
    with pytest.raises(services.TransitionRefused):
        services.decision_draft_save(
            actor=world.discloser, request=decided, section="part-b", answers={}
        )


def test_saving_a_section_keeps_the_others(world: World, review: InformationRequest) -> None:
    services.decision_draft_save(
        actor=world.discloser, request=review, section="part-b", answers={"outcome": ["declined"]}
    )
    services.decision_draft_save(
        actor=world.discloser, request=review, section="record", answers={"reasons": ["R"]}
    )
    assert DecisionDraft.objects.get(request=review).answers == {
        "part-b": {"outcome": ["declined"]},
        "record": {"reasons": ["R"]},
    }


def test_withdrawing_discards_the_draft_decision(world: World, review: InformationRequest) -> None:
    services.decision_draft_save(
        actor=world.discloser, request=review, section="part-b", answers={"outcome": ["declined"]}
    )
    services.request_withdraw(actor=world.requester, request=review, reason="")
    assert not DecisionDraft.objects.exists()


def test_deciding_refuses_every_broken_rule_at_once(
    world: World, review: InformationRequest
) -> None:
    fields = decision_fields(
        world.discloser,
        signature_name="Someone Else",
        checklist={key: True for key, _ in CHECKLIST[1:]},
    )
    with pytest.raises(ValidationError) as refused:
        services.request_decide(actor=world.discloser, request=review, fields=fields)
    key, question = CHECKLIST[0]
    assert refused.value.message_dict == {
        f"checklist-{key}": [f"Select to confirm you have considered: {question}"],
        "signature_name": ["Enter your full name as it appears on your profile: Discloser Tester"],
    }


# Irreversible actions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "state", "username", "question"),
    [
        (
            "return_information",
            Status.DISCLOSED,
            "requester",
            "Are you sure you want to return the information for destruction?",
        ),
        (
            "confirm_destruction",
            Status.RETURNED,
            "police_dlo",
            "Are you sure the information has been destroyed?",
        ),
    ],
)
def test_an_irreversible_action_asks_are_you_sure_on_its_own_page(
    world: World,
    agreement: Agreement,
    client: Client,
    action: str,
    state: str,
    username: str,
    question: str,
) -> None:
    req = build_request(world, agreement, state)
    client.force_login(world.users[username])
    url = reverse("requests:action", args=[req.pk, action])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<h1 class="govuk-heading-l">{question}</h1>' in html
    assert "You cannot undo this" in html
    req.refresh_from_db()
    assert req.status == state
    detail = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert f'href="{url}"' in detail
    assert client.post(url).status_code == 302
    req.refresh_from_db()
    assert req.status != state


def test_an_answer_hidden_by_a_changed_choice_is_not_kept() -> None:
    from requests_app.forms import DecisionForm

    form = DecisionForm(
        {
            **PART_B,
            "decline_reason": "Typed before choosing Disclosed",
            "delivery_other": "Typed before choosing the portal",
        },
        section="part-b",
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["decline_reason"] == ""
    assert form.cleaned_data["delivery_other"] == ""
