"""Part A as a task list: one draft however often a form is posted, every problem of a
task at once in words that name the thing, Change links that come back, and a
confirmation that says what happens next."""

import datetime
import re
import uuid
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_app import services
from requests_app.models import InformationRequest, Status
from tests.requests_app.conftest import SUSPECT, agreement, request_fields  # noqa: F401
from tests.security.catalogue import client_for
from tests.world import World


def _about(world: World, chosen, token: str = "", **overrides: str) -> dict[str, str]:
    required = timezone.localdate() + datetime.timedelta(days=30)
    return {
        "target_agency": str(world.police.pk),
        "agreement": str(chosen.pk),
        "description": "Previous ASB incidents at the address.",
        "required_by_day": str(required.day),
        "required_by_month": str(required.month),
        "required_by_year": str(required.year),
        "is_urgent": "no",
        "creation_token": token or str(uuid.uuid4()),
        **overrides,
    }


def _people(*people: dict[str, str], initial: int = 0) -> dict[str, str]:
    data = {"people-TOTAL_FORMS": str(len(people)), "people-INITIAL_FORMS": str(initial)}
    for index, person in enumerate(people):
        data.update({f"people-{index}-{k}": v for k, v in person.items()})
    return data


def _task(req: InformationRequest, task: str) -> str:
    return reverse("requests:edit_task", args=[req.pk, task])


def _summary(html: str) -> list[tuple[str, str]]:
    """The error summary's (link, message) pairs, in order."""
    body = html.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    return [
        (unescape(href), unescape(message))
        for href, message in re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', body)
    ]


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found, "the page has no title"
    return found.group(1).strip()


# A draft exists once ----------------------------------------------------------------------


@pytest.mark.django_db
def test_pressing_save_five_times_leaves_one_draft_with_the_last_answers(
    world: World, agreement
) -> None:
    client = client_for(world.requester)
    token = str(uuid.uuid4())
    for press in range(5):
        data = _about(world, agreement, token, description=f"Press {press}")
        response = client.post(reverse("requests:create"), data)
    draft = InformationRequest.objects.get()
    assert response["Location"] == reverse("requests:edit", args=[draft.pk])
    assert draft.description == "Press 4"


@pytest.mark.django_db
def test_a_retried_create_updates_the_draft_it_made(world: World, agreement) -> None:
    """A second post of the same form (the back button, a retry) was answered with the
    first post's draft unchanged: what was typed the second time was lost."""
    token = uuid.uuid4()
    first = services.request_create_draft(
        actor=world.requester, fields=request_fields(world, agreement), creation_token=token
    )
    again = services.request_create_draft(
        actor=world.requester,
        fields=request_fields(world, agreement, description="Changed on the second post"),
        creation_token=token,
    )
    assert again.pk == first.pk
    assert InformationRequest.objects.get().description == "Changed on the second post"


@pytest.mark.django_db
def test_failed_saves_and_add_another_person_never_make_another_draft(
    world: World, agreement
) -> None:
    client = client_for(world.requester)
    token = str(uuid.uuid4())
    for _ in range(3):
        client.post(reverse("requests:create"), _about(world, agreement, token, description=""))
    assert not InformationRequest.objects.exists()
    client.post(reverse("requests:create"), _about(world, agreement, token))
    draft = InformationRequest.objects.get()
    victim = {"full_name": "Jordan Example", "role": "victim"}
    for _ in range(3):
        client.post(_task(draft, "people"), {**_people(victim), "add_person": "1"})
    suspect = {"full_name": "Sam Example", "role": "suspect"}
    response = client.post(_task(draft, "people"), {**_people(suspect), "add_person": "1"})
    assert response["Location"].endswith("?add=1#person-2")
    assert InformationRequest.objects.count() == 1
    assert list(draft.people.values_list("full_name", flat=True)) == ["Sam Example"]


# Every problem at once ---------------------------------------------------------------------


@pytest.mark.django_db
def test_every_problem_of_about_the_request_is_in_one_summary(world: World, agreement) -> None:
    past = timezone.localdate() - datetime.timedelta(days=1)
    data = _about(
        world,
        agreement,
        target_agency="",
        **{"agreement": ""},
        description="",
        required_by_day=str(past.day),
        required_by_month=str(past.month),
        required_by_year=str(past.year),
        is_urgent="yes",
    )
    response = client_for(world.requester).post(reverse("requests:create"), data)
    html = response.content.decode()
    assert _title(html).startswith("Error: ")
    assert _summary(html) == [
        ("#id_target_agency", "Select the agency you are asking"),
        ("#id_agreement", "Select the agreement this request is made under"),
        ("#id_description", "Enter the information you are requesting"),
        (
            "#id_required_by_0",
            "The date the information is required by must be today or in the future",
        ),
        ("#id_urgency_reason", "Enter why the request is urgent"),
    ]
    assert "This field is required" not in html
    assert not InformationRequest.objects.exists()


@pytest.mark.django_db
def test_a_missing_date_names_the_date(world: World, agreement) -> None:
    data = _about(world, agreement, required_by_day="", required_by_month="", required_by_year="")
    html = client_for(world.requester).post(reverse("requests:create"), data).content.decode()
    assert ("#id_required_by_0", "Enter the date the information is required by") in _summary(html)


@pytest.mark.django_db
def test_an_agreement_the_agency_asked_has_not_signed_is_found_with_the_rest(
    world: World, make_agreement
) -> None:
    unsigned_by_police = make_agreement(parties=("council", "health"))
    data = _about(world, unsigned_by_police, description="")
    html = client_for(world.requester).post(reverse("requests:create"), data).content.decode()
    messages = [message for _, message in _summary(html)]
    assert "Enter the information you are requesting" in messages
    assert any("is not a party to" in m for m in messages)


@pytest.mark.django_db
def test_every_person_problem_is_in_the_summary_linked_to_that_persons_field(
    world: World, make_request
) -> None:
    """A victim without consent was refused only beside the field far down the page."""
    draft = make_request()
    future = timezone.localdate() + datetime.timedelta(days=3)
    data = _people(
        {"full_name": "Jordan Example", "role": "victim"},
        {"full_name": "", "role": ""},
        {
            "full_name": "Sam Example",
            "role": "suspect",
            "date_of_birth_day": str(future.day),
            "date_of_birth_month": str(future.month),
            "date_of_birth_year": str(future.year),
        },
        initial=3,
    )
    response = client_for(world.requester).post(_task(draft, "people"), data)
    html = response.content.decode()
    assert _title(html).startswith("Error: ")
    assert _summary(html) == [
        (
            "#id_people-0-consent",
            "Select the consent record for person 1, a victim. If they refused consent or it "
            "was not sought, record that in Consents first",
        ),
        ("#id_people-1-full_name", "Enter the full name of person 2"),
        ("#id_people-1-role_0", "Select the role of person 2"),
        ("#id_people-2-date_of_birth_0", "The date of birth of person 3 must be in the past"),
    ]
    assert 'value="Sam Example"' in html
    assert list(draft.people.values_list("full_name", flat=True)) == [SUSPECT.full_name]


@pytest.mark.django_db
def test_a_request_naming_nobody_is_told_to_add_a_person(world: World, make_request) -> None:
    draft = make_request()
    html = (
        client_for(world.requester)
        .post(_task(draft, "people"), _people({"full_name": "", "role": ""}))
        .content.decode()
    )
    assert _summary(html) == [
        ("#id_people-0-full_name", "Add at least one person the information is about")
    ]


@pytest.mark.django_db
def test_consent_not_applicable_for_a_victim_and_a_blank_reason_come_together(
    world: World, make_request
) -> None:
    draft = make_request()
    draft.people.update(role="victim")
    data = {"consent_obtained": "not_applicable", "public_interest": "yes"}
    html = client_for(world.requester).post(_task(draft, "consent"), data).content.decode()
    assert [href for href, _ in _summary(html)] == [
        "#id_consent_obtained_0",
        "#id_public_interest_reason",
    ]


@pytest.mark.django_db
def test_other_legislation_must_be_named_and_some_legislation_chosen(
    world: World, make_request
) -> None:
    draft = make_request()
    client = client_for(world.requester)
    html = client.post(_task(draft, "legislation"), {}).content.decode()
    assert _summary(html) == [
        (
            "#id_legislation_0",
            "Select the legislation this request is made under, or select other legislation "
            "and name it",
        )
    ]
    html = client.post(_task(draft, "legislation"), {"has_other": "on"}).content.decode()
    assert _summary(html) == [("#id_legislation_other", "Enter the name of the other legislation")]
    client.post(_task(draft, "legislation"), {"has_other": "on", "legislation_other": "GDPR"})
    draft.refresh_from_db()
    assert (draft.legislation.count(), draft.legislation_other) == (0, "GDPR")


# Optional means optional -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("task", "optional"),
    [
        ("about", ["Other agencies to ask the same"]),
        ("people", ["Date of birth", "Address"]),
        ("consent", ["Is it in the public interest to disclose?"]),
        ("legislation", []),
    ],
)
def test_optional_is_said_only_of_fields_optional_for_saving(
    world: World, make_request, task: str, optional: list[str]
) -> None:
    html = client_for(world.requester).get(_task(make_request(), task)).content.decode()
    marked = re.findall(r">\s*([^<>]+?) \(optional\)", html)
    assert marked == optional


@pytest.mark.django_db
def test_the_urgent_reason_is_revealed_by_yes_and_shown_without_javascript(
    world: World, make_request
) -> None:
    html = client_for(world.requester).get(_task(make_request(), "about")).content.decode()
    assert 'data-aria-controls="conditional-id_is_urgent_0"' in html
    reveal = html.split('id="conditional-id_is_urgent_0"', 1)[1].split("</textarea>", 1)[0]
    assert 'name="urgency_reason"' in reveal
    # Hidden by GOV.UK Frontend's CSS only once its JavaScript has started.
    assert "govuk-radios__conditional--hidden" in html


# The task list, check answers and Change links --------------------------------------------


@pytest.mark.django_db
def test_task_list_says_what_is_done_and_check_waits_for_the_rest(
    world: World, make_request
) -> None:
    draft = make_request()
    draft.legislation.clear()
    html = client_for(world.requester).get(reverse("requests:edit", args=[draft.pk])).content
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))
    assert "About the request Completed" in text
    assert "Legislation Incomplete" in text
    assert "Check and sign Cannot start yet" in text


@pytest.mark.django_db
def test_every_answer_on_check_has_a_change_link_that_comes_back(
    world: World, make_request
) -> None:
    draft = make_request()
    client = client_for(world.requester)
    html = client.get(reverse("requests:check", args=[draft.pk])).content.decode()
    rows = html.count('class="govuk-summary-list__row"')
    changes = re.findall(r'href="(/requests/\d+/edit/[a-z]+/\?return=check#[^"]+)"', html)
    assert rows == len(changes) == 15  # with "Due if you send it today"
    response = client.post(
        _task(draft, "about") + "?return=check",
        _about(world, draft.agreement, description="Changed from check"),
    )
    assert response["Location"] == reverse("requests:check", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.description == "Changed from check"


@pytest.mark.django_db
def test_check_lists_every_rule_problem_linked_to_its_answer(world: World, make_request) -> None:
    draft = make_request(public_interest=None, public_interest_reason="")
    draft.legislation.clear()
    draft.people.update(role="witness")
    html = (
        client_for(world.requester).get(reverse("requests:check", args=[draft.pk])).content.decode()
    )
    assert _title(html).startswith("Error: ")
    links = [href for href, _ in _summary(html)]
    base = f"/requests/{draft.pk}/edit"
    assert links == [
        f"{base}/legislation/?return=check#id_legislation",
        f"{base}/consent/?return=check#id_consent_obtained",
        f"{base}/people/?return=check#id_people-0-consent",
    ]
    assert "Sign and send request" not in html


# Sending and withdrawing ----------------------------------------------------------------------


@pytest.mark.django_db
def test_sending_ends_on_a_panel_saying_what_happens_next(world: World, make_request) -> None:
    draft = make_request()
    client = client_for(world.requester)
    response = client.post(
        reverse("requests:check", args=[draft.pk]),
        {"declaration_name": world.requester.get_full_name()},
    )
    assert response["Location"] == reverse("requests:sent", args=[draft.pk])
    html = client.get(response["Location"]).content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert 'class="govuk-panel govuk-panel--confirmation"' in html
    assert draft.reference in html
    assert f"{draft.due_on.day} {draft.due_on:%B %Y}" in html
    assert "disclosing officer" in html
    assert world.police.name in html


@pytest.mark.django_db
def test_a_wrong_signature_is_in_the_summary(world: World, make_request) -> None:
    draft = make_request()
    response = client_for(world.requester).post(
        reverse("requests:check", args=[draft.pk]), {"declaration_name": "Somebody Else"}
    )
    html = response.content.decode()
    assert _title(html).startswith("Error: ")
    assert [href for href, _ in _summary(html)] == ["#id_declaration_name"]


@pytest.mark.django_db
def test_withdrawing_asks_are_you_sure_on_its_own_page(world: World, make_request) -> None:
    req = make_request(Status.SUBMITTED)
    client = client_for(world.requester)
    detail = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert "govuk-button--warning" not in detail
    page = client.get(reverse("requests:withdraw", args=[req.pk])).content.decode()
    assert "Are you sure you want to withdraw this request?" in page
    assert "You cannot undo this." in page
    assert InformationRequest.objects.get(pk=req.pk).status == Status.SUBMITTED
    client.post(reverse("requests:withdraw", args=[req.pk]), {"reason": "Resolved"})
    assert InformationRequest.objects.get(pk=req.pk).status == Status.WITHDRAWN


@pytest.mark.django_db
def test_sign_and_send_pressed_twice_sends_once_and_lands_on_the_confirmation(
    world: World, make_request
) -> None:
    draft = make_request()
    client = client_for(world.requester)
    url = reverse("requests:check", args=[draft.pk])
    signature = {"declaration_name": world.requester.get_full_name()}
    first, second = client.post(url, signature), client.post(url, signature)
    assert first["Location"] == second["Location"] == reverse("requests:sent", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.reference.endswith("00001")
