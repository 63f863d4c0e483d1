"""Who may call: a usable client's token, within its scopes and its rate; and what every
call leaves in the audit log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Agency
from accounts.services import terms_accept_for_demo
from api.services import api_client_create, api_client_revoke
from audit.models import AuditEvent, EventType
from requests_app.models import Status
from tests.api.conftest import request_token
from tests.world import World

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"status", "code", "message", "fields"}


def test_without_a_token_the_answer_is_401_in_the_error_shape(client) -> None:
    response = client.get("/api/v1/requests/")
    assert response.status_code == 401
    assert set(response.json()) == ERROR_KEYS
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_address_under_the_api_is_a_404_in_the_error_shape(client) -> None:
    for response in (
        client.get("/api/v1/nothing-here/"),
        client.patch("/api/v1/requests/-1/", "{}", content_type="application/json"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_only_an_administrator_makes_a_client_for_an_active_officer_of_its_agency(
    world: World,
) -> None:
    with pytest.raises(PermissionDenied):
        api_client_create(
            actor=world.police_spoc, name="x", officer=world.discloser, scopes=["requests:read"]
        )
    world.discloser.is_active = False
    world.discloser.save()
    with pytest.raises(ValidationError):
        api_client_create(
            actor=world.administrator, name="x", officer=world.discloser, scopes=["requests:read"]
        )
    with pytest.raises(ValidationError):
        api_client_create(
            actor=world.administrator, name="x", officer=world.requester, scopes=["everything"]
        )
    client, _secret = api_client_create(
        actor=world.administrator, name="RMS", officer=world.requester, scopes=["requests:read"]
    )
    event = AuditEvent.objects.get(event_type=EventType.API_CLIENT_CHANGED)
    assert event.actor == world.administrator
    assert event.details["officer"] == "requester"
    assert event.details["agency"] == "LBH"
    assert client.agency == world.council


def test_a_client_gets_only_its_own_scopes(world: World, caller) -> None:
    reader = caller("requester", ("requests:read",))
    asked = request_token(reader.http, reader.client_id, reader.secret, "requests:write")
    assert asked.status_code == 400
    assert asked.json()["error"] == "invalid_scope"
    refused = reader.post("/api/v1/requests/", {"description": "x"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"


def test_a_wrong_secret_gets_no_token(world: World, caller) -> None:
    made = caller("requester")
    assert request_token(made.http, made.client_id, "not-the-secret").status_code == 401


def test_a_revoked_client_or_a_deactivated_officer_stops_at_once(world: World, caller) -> None:
    made = caller("requester")
    assert made.get("/api/v1/requests/").status_code == 200
    world.requester.is_active = False
    world.requester.save()
    assert made.get("/api/v1/requests/").status_code == 401
    assert request_token(made.http, made.client_id, made.secret).status_code in {400, 401}
    world.requester.is_active = True
    world.requester.save()
    assert made.get("/api/v1/requests/").status_code == 200
    api_client_revoke(actor=world.administrator, client=made.client)
    assert made.get("/api/v1/requests/").status_code == 401
    assert request_token(made.http, made.client_id, made.secret).status_code in {400, 401}


def test_an_officer_who_moves_agency_takes_no_client_with_them(world: World, caller) -> None:
    made = caller("requester")
    world.requester.agency = Agency.objects.get(code="LFB")
    world.requester.save()
    assert made.get("/api/v1/requests/").status_code == 401


def test_calls_are_limited_per_client(world: World, caller, settings) -> None:
    settings.API_RATE_LIMIT = "3/minute"
    first = caller("requester")
    other = caller("council_spoc")
    answers = [first.get("/api/v1/requests/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = first.get("/api/v1/requests/")
    assert limited.json()["code"] == "throttled"
    assert int(limited["Retry-After"]) > 0
    # Another client has its own count.
    assert other.get("/api/v1/requests/").status_code == 200


def test_reads_are_audited_as_the_pages_are(world: World, make_request, caller) -> None:
    req = make_request(Status.SUBMITTED)
    police = caller("discloser")
    police.get("/api/v1/requests/")
    police.get(f"/api/v1/requests/{req.pk}/")
    police.post("/api/v1/requests/search/", {"q": "Jordan Example"})
    stranger = caller("outsider")
    assert stranger.get(f"/api/v1/requests/{req.pk}/").status_code == 404

    listed = AuditEvent.objects.filter(event_type=EventType.LIST_VIEWED, actor=world.discloser)
    assert {e.details["list"] for e in listed} == {"api:requests", "api:search"}
    searched = listed.get(details__list="api:search")
    assert searched.details["shown"] == [req.reference]
    assert "Jordan" not in str(searched.details), "the words searched are never recorded"
    viewed = AuditEvent.objects.get(event_type=EventType.REQUEST_VIEWED, actor=world.discloser)
    assert viewed.request_reference == req.reference
    assert viewed.user_agent.startswith(f"API client {police.client_id}")
    refused = AuditEvent.objects.get(event_type=EventType.ACCESS_DENIED, actor=world.outsider)
    assert refused.request_reference == req.reference


def test_search_terms_go_in_the_body_and_find_what_the_officer_may_see(
    world: World, make_request, caller
) -> None:
    req = make_request(Status.SUBMITTED)
    found = caller("discloser").post("/api/v1/requests/search/", {"q": "Jordan Example"})
    assert found.status_code == 200
    assert [r["request"]["id"] for r in found.json()["results"]] == [req.pk]
    assert caller("outsider").post("/api/v1/requests/search/", {"q": "Jordan"}).json() == {
        "results": [],
        "more": False,
    }
    too_long = caller("requester").post("/api/v1/requests/search/", {"q": "x" * 101})
    assert too_long.status_code == 400
    assert list(too_long.json()["fields"]) == ["q"]


def test_a_bad_draft_is_told_field_by_field_in_the_pages_words(
    world: World, agreement, caller
) -> None:
    council = caller("requester")
    response = council.post(
        "/api/v1/requests/",
        {"target_agency": "MPS", "agreement": agreement.pk, "is_urgent": True},
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert fields["description"] == ["Enter the information you are requesting"]
    assert fields["urgency_reason"] == ["Enter why the request is urgent"]
    assert fields["required_by"] == ["Enter the date the information is required by"]
    unknown = council.post("/api/v1/requests/", {"target_agency": "NOPE"})
    assert unknown.json()["fields"] == {"target_agency": ["No agency has the code NOPE"]}


def test_people_problems_name_the_person(world: World, make_request, caller) -> None:
    req = make_request(Status.DRAFT)
    response = caller("requester").patch(
        f"/api/v1/requests/{req.pk}/",
        {"people": [{"full_name": "A Person", "role": "victim"}]},
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["people[0].consent"]


def test_another_officer_who_sees_a_draft_may_not_change_it(
    world: World, make_request, caller
) -> None:
    req = make_request(Status.DRAFT)
    spoc = caller("council_spoc")
    assert spoc.get(f"/api/v1/requests/{req.pk}/").status_code == 200
    assert spoc.patch(f"/api/v1/requests/{req.pk}/", {"description": "x"}).status_code == 403
    sent = make_request(Status.SUBMITTED)
    late = caller("requester").patch(f"/api/v1/requests/{sent.pk}/", {"description": "x"})
    assert late.status_code == 409
    assert late.json()["code"] == "conflict"


def test_refused_token_requests_are_audited_and_throttled(world: World, caller, settings) -> None:
    made = caller("requester")
    settings.API_TOKEN_RATE_LIMIT = "3/minute"
    wrong = request_token(made.http, made.client_id, "not-the-secret")
    assert wrong.status_code == 401
    refused = AuditEvent.objects.get(event_type=EventType.SIGN_IN_FAILED)
    assert refused.details == {
        "reason": "api token",
        "error": "invalid_client",
        "client_id": made.client_id,
    }
    assert "not-the-secret" not in str(refused.details)
    # The caller's own token and the wrong secret counted too.
    answers = [request_token(made.http, made.client_id, made.secret).status_code for _ in range(2)]
    assert answers == [200, 429]
    assert AuditEvent.objects.filter(details__error="throttled").count() == 1


def test_a_body_larger_than_the_portal_takes_is_413(world: World, caller, settings) -> None:
    council = caller("requester")
    too_big = council.post("/api/v1/requests/search/", {"q": "x" * (3 * 1024 * 1024)})
    assert too_big.status_code == 413
    assert too_big.json()["code"] == "too_large"


def test_a_token_in_the_address_is_not_accepted(world: World, caller) -> None:
    made = caller("requester")
    in_query = made.http.get("/api/v1/requests/", {"access_token": made.token})
    assert in_query.status_code == 401
    assert made.get("/api/v1/requests/").status_code == 200


def test_the_officer_must_have_accepted_the_terms_in_force(world: World, caller, settings) -> None:
    made = caller("requester")
    settings.TERMS_REQUIRED = True
    refused = made.get("/api/v1/requests/")
    assert refused.status_code == 403
    assert refused.json()["code"] == "terms_not_accepted"
    terms_accept_for_demo([world.requester])
    assert made.get("/api/v1/requests/").status_code == 200
