"""Who may download which PDF, and that every download is audited."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent, EventType
from consent.models import ConsentRecord, ConsentStatus, ObtainedBy
from tests.pdf.conftest import pdf_pages
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["outsider", "csp_lead", "administrator", "council_colleague"])
def test_officers_without_need_to_know_get_404_for_request_pdf(
    world: World, client: Client, make_request, name: str
) -> None:
    req = make_request(people=1)
    client.force_login(world.users[name])
    response = client.get(reverse("requests:pdf", args=[req.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(event_type=EventType.PDF_DOWNLOADED).exists()
    assert AuditEvent.objects.filter(
        event_type=EventType.ACCESS_DENIED, actor=world.users[name]
    ).exists()


def test_pdf_of_a_request_that_does_not_exist_is_404(world: World, client: Client) -> None:
    client.force_login(world.requester)
    assert client.get(reverse("requests:pdf", args=[999999])).status_code == 404


@pytest.mark.parametrize("name", ["requester", "discloser", "council_spoc", "police_spoc"])
def test_people_working_on_the_request_download_its_pdf(
    world: World, client: Client, make_request, name: str, tmp_path: Path
) -> None:
    req = make_request(people=1)
    client.force_login(world.users[name])
    response = client.get(reverse("requests:pdf", args=[req.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="ISP-2026-00042-request-disclosure-form.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    pages = pdf_pages(response.content, tmp_path)
    assert "Page 1 of" in pages[0]
    assert "Rita Requester" in pages[0]


def test_request_pdf_download_is_audited_without_personal_data(
    world: World, client: Client, make_request
) -> None:
    req = make_request(people=1)
    client.force_login(world.discloser)
    client.get(reverse("requests:pdf", args=[req.pk]))

    event = AuditEvent.objects.get(event_type=EventType.PDF_DOWNLOADED)
    assert event.actor == world.discloser
    assert event.request_reference == "ISP-2026-00042"
    assert event.object_type == "informationrequest"
    assert event.object_id == str(req.pk)
    assert event.details == {"document": "request_form"}


def test_request_pdf_queries(
    world: World, client: Client, make_request, django_assert_num_queries
) -> None:
    req = make_request(people=3, decided=True)
    client.force_login(world.requester)
    # The first request of a session writes the idle clock and lists it; not counted.
    client.get(reverse("requests:blank_forms"))
    url = reverse("requests:pdf", args=[req.pk])
    # 1 session; 2 the officer with agency (the footer's) and roles;
    # 3 the request with need to know, joined to requester, agencies and agreement;
    # 4 the decision; 5 the named people; 6 the chosen legislation; 7 the form's tick
    # boxes; 8 the attached files' names (printed after Part B, never their content);
    # 9-10 the audit event: its id, insert.
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("view", ["requests:blank_request", "requests:blank_consent"])
@pytest.mark.parametrize("name", ["outsider", "requester", "discloser", "csp_lead"])
def test_every_officer_can_download_the_blank_forms(
    world: World, client: Client, name: str, view: str, tmp_path: Path
) -> None:
    client.force_login(world.users[name])
    response = client.get(reverse(view))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    for page in pdf_pages(response.content, tmp_path):
        assert "when complete" in page


@pytest.mark.parametrize(
    "view",
    [
        "requests:blank_forms",
        "requests:blank_request",
        "requests:blank_consent",
    ],
)
def test_signed_out_visitors_are_sent_to_sign_in(client: Client, view: str) -> None:
    response = client.get(reverse(view))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_signed_out_visitors_get_no_request_pdf(client: Client, make_request) -> None:
    req = make_request(people=1)
    response = client.get(reverse("requests:pdf", args=[req.pk]))
    assert response.status_code == 302


def test_blank_forms_page_links_both_forms(world: World, client: Client) -> None:
    client.force_login(world.outsider)
    response = client.get(reverse("requests:blank_forms"))
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("requests:blank_request") in content
    assert reverse("requests:blank_consent") in content


def _consent(world: World) -> ConsentRecord:
    return ConsentRecord.objects.create(
        status=ConsentStatus.GIVEN,
        obtained_by=ObtainedBy.IN_PERSON,
        subject_name="Sam Subject",
        given_to_agency=world.police,
        disclose_to_agency=world.council,
        purposes="Tenancy case",
        recorded_by=world.requester,
    )


def test_consent_pdf_for_the_officer_who_recorded_it(
    world: World, client: Client, tmp_path: Path
) -> None:
    consent = _consent(world)
    client.force_login(world.requester)
    response = client.get(reverse("consent:pdf", args=[consent.pk]))
    assert response.status_code == 200
    assert "Sam Subject" in "".join(pdf_pages(response.content, tmp_path))
    event = AuditEvent.objects.get(event_type=EventType.PDF_DOWNLOADED)
    assert event.details == {"document": "consent_form"}
    assert event.object_type == "consentrecord"


@pytest.mark.parametrize("name", ["outsider", "csp_lead", "administrator", "discloser"])
def test_consent_pdf_is_404_without_need_to_know(world: World, client: Client, name: str) -> None:
    consent = _consent(world)
    client.force_login(world.users[name])
    assert client.get(reverse("consent:pdf", args=[consent.pk])).status_code == 404
    assert not AuditEvent.objects.filter(event_type=EventType.PDF_DOWNLOADED).exists()
