"""Need to know on every consent URL: the permission matrix, walked from the URL resolver,
plus the pages' query counts and the signed form's download."""

import datetime
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from audit.models import AuditEvent, EventType, Outcome
from consent import services, urls
from consent.models import ConsentRecord, WithdrawalNotice
from requests_app import access
from requests_app.models import Status
from tests.consent.conftest import ConsentFactory, add_person, make_request
from tests.http import body_of
from tests.world import OFFICERS, World

pytestmark = pytest.mark.django_db

# Who sees the consent used by a submitted request from council.requester to the police.
SEES_CONSENT = {
    "requester",  # recorded it, and made the request
    "council_spoc",
    "council_deputy",
    "discloser",
    "discloser2",
    "police_spoc",
    "police_deputy",
}
RECORDS_CONSENT = {"requester", "council_colleague", "police_colleague", "outsider"}
REVIEWS_WITHDRAWALS = {
    "council_spoc",
    "council_deputy",
    "council_dlo",
    "discloser",
    "discloser2",
    "police_spoc",
    "police_deputy",
    "police_dlo",
}
REVIEWS_THIS_NOTICE = {"discloser", "discloser2", "police_spoc", "police_deputy", "police_dlo"}

# url name: (who gets a page, HTTP method)
MATRIX = {
    "list": (set(OFFICERS), "get"),
    "create": (RECORDS_CONSENT, "get"),
    "detail": (SEES_CONSENT, "get"),
    "scan": (SEES_CONSENT, "get"),
    "withdraw": (SEES_CONSENT, "get"),
    "pdf": (SEES_CONSENT, "get"),
    "withdrawals": (REVIEWS_WITHDRAWALS, "get"),
    "withdrawal_review": (REVIEWS_THIS_NOTICE, "post"),
}


@pytest.fixture
def scene(world: World, consent: ConsentRecord, agreement: Any, private_storage: Any) -> Any:
    consent.scan.save("scan", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    consent.scan_content_type = "application/pdf"
    consent.scan_size = 15
    consent.save()
    request = make_request(world, agreement=agreement)
    add_person(request, consent=consent)
    # A second consent, already withdrawn from another of the requester's requests, gives
    # the review pages a notice to act on.
    other = ConsentFactory.create(given_to_agency=world.police, recorded_by=world.requester)
    other.agreements.set([agreement])
    decided = make_request(world, agreement=agreement, status=Status.DISCLOSED)
    access.grant_on_decision(decided)  # decided: the police DLO now needs to know
    add_person(decided, consent=other)
    [notice] = services.consent_withdraw(actor=world.requester, consent=other, method="email")
    return {"consent": consent, "request": request, "notice": notice}


def _url(name: str, scene: Any) -> str:
    if name in {"detail", "scan", "withdraw", "pdf"}:
        return reverse(f"consent:{name}", args=[scene["consent"].pk])
    if name == "withdrawal_review":
        return reverse(f"consent:{name}", args=[scene["notice"].pk])
    return reverse(f"consent:{name}")


def test_matrix_covers_every_consent_url() -> None:
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(world: World, scene: Any, client: Client, name: str) -> None:
    allowed, method = MATRIX[name]
    url = _url(name, scene)
    for username in sorted(OFFICERS):
        WithdrawalNotice.objects.update(reviewed_at=None, reviewed_by=None)
        client.force_login(world.users[username])
        response = getattr(client, method)(url)
        expected = {200, 302} if username in allowed else {404}
        assert response.status_code in expected, (username, response.status_code)
        if username in allowed and method == "get":
            assert response.status_code == 200, username
    client.logout()
    assert client.get(url).status_code in {302, 405}


def test_list_shows_only_consents_the_officer_may_see(
    world: World, scene: Any, client: Client
) -> None:
    reference = scene["consent"].reference
    for username in sorted(OFFICERS):
        client.force_login(world.users[username])
        page = client.get(reverse("consent:list")).content.decode()
        assert (reference in page) == (username in SEES_CONSENT), username


def test_denied_consent_is_audited(world: World, scene: Any, client: Client) -> None:
    client.force_login(world.outsider)
    assert client.get(_url("detail", scene)).status_code == 404
    event = AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED).latest("id")
    assert event.outcome == Outcome.DENIED
    assert (event.object_type, event.object_id) == ("consentrecord", str(scene["consent"].pk))


def test_viewing_a_consent_is_audited(world: World, scene: Any, client: Client) -> None:
    client.force_login(world.discloser)
    client.get(_url("detail", scene))
    assert AuditEvent.objects.filter(
        event_type=EventType.CONSENT_VIEWED, actor=world.discloser
    ).exists()


def test_signed_form_downloads_as_attachment_with_a_generated_name(
    world: World, scene: Any, client: Client
) -> None:
    client.force_login(world.discloser)
    response = client.get(_url("scan", scene))
    assert response["Content-Disposition"].startswith("attachment")
    assert f"{scene['consent'].reference}-signed-form.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body_of(response).startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        event_type=EventType.CONSENT_VIEWED, details__part="scan"
    ).exists()


def test_recording_consent_through_the_form(
    world: World, agreement: Any, client: Client, private_storage: Any
) -> None:
    today = timezone.localdate()
    client.force_login(world.requester)
    response = client.post(
        reverse("consent:create"),
        {
            "status": "given",
            "subject_name": "Alex Example",
            "subject_date_of_birth_day": "17",
            "subject_date_of_birth_month": "5",
            "subject_date_of_birth_year": "1980",
            "about_signer": "yes",
            "reasons_explained": "yes",
            "given_to_agency": world.police.pk,
            "disclose_to_agency": world.council.pk,
            "agreements": [agreement.pk],
            "purposes": "Incident reports",
            "obtained_by": "telephone",
            "telephone_taken_by": "PC Smith",
            "signed_on_day": str(today.day),
            "signed_on_month": str(today.month),
            "signed_on_year": str(today.year),
        },
    )
    consent = ConsentRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("consent:detail", args=[consent.pk])
    assert consent.telephone_taken_by == "PC Smith"


def test_form_shows_rule_errors_beside_fields(world: World, client: Client) -> None:
    client.force_login(world.requester)
    response = client.post(
        reverse("consent:create"),
        {
            "status": "not_sought",
            "subject_name": "Alex Example",
            "subject_age": "30",
            "given_to_agency": world.police.pk,
            "disclose_to_agency": world.council.pk,
            "purposes": "Incident reports",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose why consent was not sought" in page
    assert 'href="#id_not_sought_ground_0"' in page
    assert not ConsentRecord.objects.exists()


def test_withdrawing_through_the_page(world: World, scene: Any, client: Client) -> None:
    client.force_login(world.discloser)
    today = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        _url("withdraw", scene),
        {
            "method": "telephone",
            "withdrawn_on_day": today.day,
            "withdrawn_on_month": today.month,
            "withdrawn_on_year": today.year,
        },
    )
    assert response.status_code == 302
    assert WithdrawalNotice.objects.filter(
        consent=scene["consent"], request=scene["request"]
    ).exists()
    page = client.get(_url("detail", scene)).content.decode()
    assert "Record that consent was withdrawn" not in page


# Every page pays the same for the session and the signed-in officer: the session, and the
# officer with their agency and roles. The idle clock, written by the first page, is not
# written again within SESSION_TOUCH_SECONDS.
MIDDLEWARE_QUERIES = 2
# The header's "What changed" count, for officers with requests of their own (requesting
# and disclosing officers): one query.
HEADER_QUERIES = 1


def _signed_in(client: Client, user: Any) -> None:
    client.force_login(user)
    client.get(reverse("home"))  # the first page writes the idle clock, lists the session


@pytest.mark.parametrize("rows", [2, 12])
def test_list_query_count_is_constant(
    world: World, client: Client, django_assert_num_queries: Any, rows: int
) -> None:
    for _ in range(rows):
        ConsentFactory.create(given_to_agency=world.police, recorded_by=world.requester)
    _signed_in(client, world.requester)
    # 1 count for the paginator, 2 the page of consents with their agencies, 3-4 the list
    # viewed, recorded: the event's id, insert.
    with django_assert_num_queries(MIDDLEWARE_QUERIES + HEADER_QUERIES + 4):
        response = client.get(reverse("consent:list"))
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("people", [1, 6])
def test_detail_query_count_is_constant(
    world: World,
    consent: ConsentRecord,
    agreement: Any,
    client: Client,
    django_assert_num_queries: Any,
    people: int,
) -> None:
    for _ in range(people):
        request = make_request(world, agreement=agreement)
        add_person(request, consent=consent)
    _signed_in(client, world.discloser)
    # 1 the consent with its agencies and officers, need to know in the same query;
    # 2-3 the read, recorded by the fetch: the event's id, insert;
    # 4 agreements; 5 requests using it that this officer sees.
    with django_assert_num_queries(MIDDLEWARE_QUERIES + HEADER_QUERIES + 5):
        response = client.get(reverse("consent:detail", args=[consent.pk]))
    assert len(response.context["requests"]) == people


@pytest.mark.parametrize("notices", [1, 5])
def test_withdrawals_query_count_is_constant(
    world: World,
    agreement: Any,
    client: Client,
    django_assert_num_queries: Any,
    notices: int,
) -> None:
    for _ in range(notices):
        consent = ConsentFactory.create(given_to_agency=world.police, recorded_by=world.requester)
        request = make_request(world, agreement=agreement, status=Status.DISCLOSED)
        access.grant_on_decision(request)
        add_person(request, consent=consent)
        services.consent_withdraw(actor=world.requester, consent=consent, method="email")
    _signed_in(client, world.police_dlo)
    # 1 the notices with their requests and consents, 2-3 the list viewed, recorded:
    # the event's id, insert.
    with django_assert_num_queries(MIDDLEWARE_QUERIES + 3):
        response = client.get(reverse("consent:withdrawals"))
    assert len(response.context["notices"]) == notices


@pytest.mark.parametrize("people", [1, 6])
def test_request_panel_query_count_is_constant(
    world: World,
    consent: ConsentRecord,
    agreement: Any,
    django_assert_num_queries: Any,
    people: int,
) -> None:
    request = make_request(world, agreement=agreement)
    for _ in range(people):
        add_person(request, consent=consent)
    services.consent_withdraw(actor=world.requester, consent=consent, method="email")
    request = type(request).objects.select_related("target_agency", "agreement").get(pk=request.pk)
    # 1 people with consents and agencies, 2 the consents' agreements, 3 withdrawal notices.
    with django_assert_num_queries(3):
        html = render_to_string("consent/_request_panel.html", {"request": request})
    assert html.count("their consent was withdrawn on") == people
    assert html.count("not yet reviewed by the disclosing agency") == people
    assert "Alex" not in html
