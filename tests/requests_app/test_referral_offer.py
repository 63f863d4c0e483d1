""" "Refer to designated manager" is offered only when the agency has one; otherwise the
page names the agency's SPOC to ask instead of an empty list (ISP 4.5, 8.1; #17)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts.models import User
from agreements.models import Agreement
from requests_app import permissions, services
from requests_app.models import Status
from requests_app.workflow import Action
from tests.requests_app.conftest import build_request
from tests.world import World

pytestmark = pytest.mark.django_db


def _without_manager(world: World) -> None:
    User.objects.filter(pk=world.police_manager.pk).update(is_active=False)


def test_refer_is_offered_when_the_agency_has_a_designated_manager(
    client: Client, world: World, agreement: Agreement
) -> None:
    req = build_request(world, agreement, Status.UNDER_REVIEW)
    assert permissions.can(world.discloser, Action.REFER, req)
    client.force_login(world.discloser)
    page = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert "Refer to designated manager" in page
    assert 'id="no-designated-manager"' not in page


def test_without_a_designated_manager_the_page_names_the_spoc(
    client: Client, world: World, agreement: Agreement
) -> None:
    req = build_request(world, agreement, Status.UNDER_REVIEW)
    _without_manager(world)
    assert not permissions.can(world.discloser, Action.REFER, req)
    client.force_login(world.discloser)
    page = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert "Refer to designated manager" not in page
    assert 'id="no-designated-manager"' in page
    assert f"{world.police_spoc.get_full_name()} (SPOC" in page
    assert f"{world.police_deputy.get_full_name()} (deputy SPOC" in page
    # The refer page itself sends the officer back rather than offering an empty list.
    response = client.get(reverse("requests:refer", args=[req.pk]))
    assert response.status_code in {302, 403, 404}
    assert "Choose a designated manager" not in response.content.decode()


def test_service_refuses_a_referral_nobody_can_receive(world: World, agreement: Agreement) -> None:
    req = build_request(world, agreement, Status.UNDER_REVIEW)
    _without_manager(world)
    with pytest.raises(PermissionDenied):
        services.request_refer(
            actor=world.discloser, request=req, manager=world.police_manager, reason="Health"
        )


def test_requester_is_never_told_who_to_ask(
    client: Client, world: World, agreement: Agreement
) -> None:
    req = build_request(world, agreement, Status.UNDER_REVIEW)
    _without_manager(world)
    client.force_login(world.requester)
    page = client.get(reverse("requests:detail", args=[req.pk])).content.decode()
    assert 'id="no-designated-manager"' not in page
