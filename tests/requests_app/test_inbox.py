"""The agency inbox: tabs, and the SPOC's overdue warning that stays short however much is late."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from requests_app.models import InformationRequest, Status
from requests_app.views import OVERDUE_NAMED
from tests.world import World, ref

pytestmark = pytest.mark.django_db


def _overdue(req: InformationRequest, days: int) -> InformationRequest:
    InformationRequest.objects.filter(pk=req.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=days)
    )
    req.refresh_from_db()
    return req


def _inbox(client: Client, user, show: str = "") -> str:
    client.force_login(user)
    response = client.get(reverse("requests:inbox"), {"show": show} if show else {})
    assert response.status_code == 200
    return response.content.decode()


def test_spoc_is_warned_of_each_overdue_request_when_there_are_few(
    client: Client, world: World, make_request: Callable[..., InformationRequest]
) -> None:
    late = _overdue(make_request(Status.SUBMITTED), days=3)
    on_time = make_request(Status.SUBMITTED)
    html = _inbox(client, world.police_spoc)
    assert "1 request in your agency's inbox is overdue:" in html
    warning = html[html.index("is overdue") : html.index("</strong>", html.index("is overdue"))]
    assert ref(late) in warning
    assert ref(on_time) not in warning
    assert "See all" not in warning


def test_spoc_warning_names_the_longest_overdue_and_links_to_the_rest(
    client: Client, world: World, make_request: Callable[..., InformationRequest]
) -> None:
    late = [_overdue(make_request(Status.SUBMITTED), days=n) for n in range(1, OVERDUE_NAMED + 3)]
    html = _inbox(client, world.police_spoc)
    total = len(late)
    assert f"{total} requests in your agency's inbox are overdue, the longest overdue:" in html
    warning = html[html.index("are overdue") : html.index("</strong>", html.index("are overdue"))]
    longest = sorted(late, key=lambda r: r.due_on or datetime.date.max)[:OVERDUE_NAMED]
    for req in late:
        assert (ref(req) in warning) == (req in longest)
    assert f"See all {total} overdue requests" in warning

    overdue_tab = _inbox(client, world.police_spoc, show="overdue")
    assert "is overdue" not in overdue_tab and "are overdue" not in overdue_tab
    assert all(ref(req) in overdue_tab for req in late)


def test_overdue_tab_lists_only_overdue_open_requests(
    client: Client, world: World, make_request: Callable[..., InformationRequest]
) -> None:
    late = _overdue(make_request(Status.UNDER_REVIEW), days=2)
    on_time = make_request(Status.SUBMITTED)
    decided_late = _overdue(make_request(Status.DISCLOSED), days=5)
    html = _inbox(client, world.police_spoc, show="overdue")
    assert ref(late) in html
    assert ref(on_time) not in html
    assert ref(decided_late) not in html


def test_officers_who_are_not_spoc_get_no_warning_and_no_overdue_tab(
    client: Client, world: World, make_request: Callable[..., InformationRequest]
) -> None:
    late = _overdue(make_request(Status.SUBMITTED), days=3)
    html = _inbox(client, world.discloser)
    assert "overdue:" not in html and "?show=overdue" not in html
    # Asking for the tab anyway shows the ordinary inbox.
    html = _inbox(client, world.discloser, show="overdue")
    assert "<strong>Open requests</strong>" in html
    assert ref(late) in html


def test_another_agencys_spoc_sees_none_of_its_overdue_requests(
    client: Client, world: World, make_request: Callable[..., InformationRequest]
) -> None:
    late = _overdue(make_request(Status.SUBMITTED), days=3)  # made to the police
    for show in ("", "overdue"):
        html = _inbox(client, world.council_spoc, show=show)
        assert ref(late) not in html
        assert "is overdue" not in html
    assert ref(late) in _inbox(client, world.police_spoc, show="overdue")
