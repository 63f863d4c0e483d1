"""The search box and the list filters: need to know, spelling and order, the audit log,
nothing personal in an address, and the same answers on SQLite and PostgreSQL.

Run on both: ``/work/wt/pt tests/requests_app/test_search.py`` and
``PG=search /work/wt/pt tests/requests_app/test_search.py --create-db``.
"""

import datetime
import json
from itertools import product
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import Role, User
from audit.models import AuditEvent, EventType
from consent.models import NoticeKind, WithdrawalNotice
from isp_portal.limits import SEARCH_LENGTH, SEARCH_WORDS
from requests_app import permissions, search
from requests_app.filters import RequestFilter
from requests_app.models import InformationRequest, NamedPerson, Status
from requests_app.selectors import requests_visible_to
from tests.consent.conftest import ConsentFactory
from tests.requests_app.test_permission_matrix import STATES, may_see
from tests.world import OFFICERS, World, ref

pytestmark = pytest.mark.django_db

# The suspect every test request names (tests/requests_app/conftest.py, SUSPECT).
NAME = "Jordan Example"
BORN = datetime.date(1990, 5, 17)


def _search(client: Client, text: str, query: str = "") -> tuple[str, Any]:
    """Post the search box and follow to the results; the results page's URL and response."""
    posted = client.post(reverse("requests:search") + query, {"q": text})
    assert posted.status_code == 302, posted.content[:500]
    return posted["Location"], client.get(posted["Location"])


def _found(user: User, text: str, **filters: str) -> set[int]:
    rows = RequestFilter(filters, queryset=requests_visible_to(user)).qs
    found = search.search_requests(user, rows, search.read_terms(text))
    return {m.request.pk for m in found.matches}


# Spelling and order ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Jon Smith", "SMITH, John"),
        ("smith jon", "John Smith"),
        ("Jhon Smyth", "SMITH, John"),
        ("zoe o'brien", "Zoë O'Brien"),
        ("Christpher Wilkinsen", "Christopher WILKINSON"),
        ("Smith", "John Smith"),
        ("Li", "LI, Wei"),
    ],
)
def test_a_name_is_found_whatever_the_order_case_accents_and_small_slips(
    typed: str, name: str
) -> None:
    assert search.name_matches(search.tokens(typed), name)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Don Smith", "John Smith"),  # a three-letter word keeps its first letter
        ("John Smithson", "John Smith"),  # two letters more in a seven-letter word
        ("Lu", "LI, Wei"),  # no slips in two letters
        ("John Smith Brown", "John Smith"),  # every word typed must be in the name
    ],
)
def test_a_different_name_is_not_found(typed: str, name: str) -> None:
    assert not search.name_matches(search.tokens(typed), name)


def test_the_search_box_reads_references_dates_and_postcodes() -> None:
    assert search.read_terms(" isp-2026-00042 ").reference == "ISP-2026-00042"
    assert search.read_terms("17/05/1990").date_of_birth == BORN
    assert search.read_terms("17 May 1990").date_of_birth == BORN
    assert search.read_terms("n17 6ab").postcode == "n176ab"
    assert search.read_terms("Jordan").kinds == ["words"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a reference"),
        ("x" * (SEARCH_LENGTH + 1), f"{SEARCH_LENGTH} characters or fewer"),
        (" ".join(["word"] * (SEARCH_WORDS + 1)), f"{SEARCH_WORDS} words or fewer"),
    ],
)
def test_a_search_out_of_bounds_gets_a_message_by_the_box(
    world: World, client: Client, text: str, message: str
) -> None:
    client.force_login(world.discloser)
    response = client.post(reverse("requests:search"), {"q": text})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="govuk-error-message"' in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=EventType.LIST_VIEWED).exists()


def test_the_search_page_refuses_get(world: World, client: Client) -> None:
    client.force_login(world.discloser)
    assert client.get(reverse("requests:search") + "?q=Jordan").status_code == 405


# Every way of searching ----------------------------------------------------------------


def test_each_kind_of_search_finds_the_request_and_says_why(
    world: World, make_request, client: Client
) -> None:
    req = make_request(Status.UNDER_REVIEW, description="Graffiti on the underpass wall.")
    other = make_request(Status.UNDER_REVIEW)
    NamedPerson.objects.filter(request=other).update(
        full_name="Someone Else", address="9 Far Street, London E1 6AN", date_of_birth=None
    )
    client.force_login(world.discloser)
    for text, why in [
        (req.reference, "Reference"),
        ("Jordon Exampel", "Name of a person"),
        ("example jordan", "Name of a person"),
        ("17/05/1990", "Date of birth"),
        ("Example Road", "Address or postcode"),
        ("underpass graffiti", "Information requested"),
    ]:
        _, response = _search(client, text)
        matches = response.context["rows"]
        assert [m.request for m in matches] == [req], text
        assert why in matches[0].field_labels, text
    # A postcode is read with its space or without it, in capitals or not.
    for postcode in ("E1 6AN", "e16an", "E16AN"):
        assert _found(world.discloser, postcode) == {other.pk}, postcode


def test_the_search_words_never_appear_in_an_address(
    world: World, make_request, client: Client
) -> None:
    make_request(Status.SUBMITTED)
    client.force_login(world.discloser)
    url, response = _search(client, NAME, query="?status=submitted")
    assert "jordan" not in url.lower() and "example" not in url.lower()
    assert urlsplit(url).query == "status=submitted"
    assert len(response.context["rows"]) == 1


def test_a_search_is_kept_for_its_officer_only_and_ends(
    world: World, make_request, client: Client, settings: Any
) -> None:
    # The production idle clock: each page below counts as activity, as it would for an
    # officer (tests/conftest.py otherwise writes it only near the idle limit).
    settings.SESSION_TOUCH_SECONDS = 60
    make_request(Status.SUBMITTED)
    client.force_login(world.discloser)
    url, response = _search(client, NAME)
    assert len(response.context["rows"]) == 1
    other = Client()
    other.force_login(world.police_spoc)
    theirs = other.get(url)
    assert "rows" not in theirs.context and "This one has ended" in theirs.content.decode()
    # Still signed in (active every ten minutes), but the search is over 30 minutes old.
    for minutes in (10, 20, 29):
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes)):
            assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=29)):
        assert "rows" in client.get(url).context
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        later = client.get(url)
    assert "rows" not in later.context and "This one has ended" in later.content.decode()


# The audit log --------------------------------------------------------------------------


def test_every_search_is_audited_without_the_words(
    world: World, make_request, client: Client
) -> None:
    req = make_request(Status.SUBMITTED)
    client.force_login(world.discloser)
    _search(client, "Jordon Exampel")
    event = AuditEvent.objects.filter(event_type=EventType.LIST_VIEWED).latest("id")
    assert event.actor == world.discloser
    assert event.details["list"] == "requests:search"
    assert event.details["shown"] == [req.reference]
    assert event.details["filters"]["matches"] == 1
    assert event.details["filters"]["search_read_as"] == ["words"]
    stored = json.dumps([event.details, event.object_id, event.request_reference]).lower()
    assert "jord" not in stored and "exampel" not in stored
    # The same words in another order and case leave the same key: searches for one person
    # can be found in the log by whoever holds the key, and by nobody else.
    _search(client, "EXAMPEL jordon")
    again = AuditEvent.objects.filter(event_type=EventType.LIST_VIEWED).latest("id")
    assert again.details["filters"]["search_key"] == event.details["filters"]["search_key"]
    _search(client, "Someone Else")
    other = AuditEvent.objects.filter(event_type=EventType.LIST_VIEWED).latest("id")
    assert other.details["filters"]["search_key"] != event.details["filters"]["search_key"]
    assert other.details["filters"]["matches"] == 0


# Need to know: roles x states, through the search and every filter ---------------------

SEARCHES = [NAME, "Jordn Exampl", "17/05/1990", "Example Road", "injunction ASB"]


def _sees_people(user: User, req: InformationRequest) -> bool:
    return permissions.Part.PEOPLE in permissions.visible_parts(user, req)


@pytest.mark.parametrize("state", STATES)
def test_search_finds_only_what_each_role_may_see(world: World, make_request, state: str) -> None:
    req = make_request(state)
    failures = []
    for username in OFFICERS:
        user = world.users[username]
        for text in SEARCHES:
            found = _found(user, text)
            if req.pk in found and not may_see(username, state):
                failures.append(f"{username} found the {state} request by {text!r}")
            if text != "injunction ASB" and req.pk in found and not _sees_people(user, req):
                failures.append(f"{username} matched a name they are not shown in {state}")
            if may_see(username, state) and _sees_people(user, req) and req.pk not in found:
                failures.append(f"{username} did not find the {state} request by {text!r}")
        if req.reference:
            by_reference = _found(user, req.reference)
            if (req.pk in by_reference) != may_see(username, state):
                failures.append(f"{username} by reference in {state}: {by_reference}")
    assert failures == []


FILTERS: list[dict[str, Any]] = [{"status": state} for state in STATES] + [
    {"requesting_agency": "LBH"},
    {"disclosing_agency": "MPS"},
    {"urgency": "urgent"},
    {"urgency": "routine"},
    {"overdue": "on"},
    {"consent_withdrawn": "on"},
    {"submitted_from": ["1", "1", "2000"], "submitted_to": ["31", "12", "2099"]},
    {"due_from": ["1", "1", "2000"]},
]


def _query(filters: dict) -> dict:
    flat = {}
    for name, value in filters.items():
        if isinstance(value, list):
            for part, piece in zip(("day", "month", "year"), value, strict=True):
                flat[f"{name}_{part}"] = piece
        else:
            flat[name] = value
    return flat


@pytest.mark.parametrize("state", STATES)
def test_no_filter_shows_a_request_outside_need_to_know(
    world: World, make_request, state: str
) -> None:
    req = make_request(state, is_urgent=True, urgency_reason="Hearing on Monday")
    InformationRequest.objects.filter(pk=req.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    failures = []
    # Those who may see it find it in the test above; here, nobody else reaches it.
    outside = [name for name in OFFICERS if not may_see(name, state)]
    for username, filters in product(outside, FILTERS):
        user = world.users[username]
        query = _query(filters)
        listed = set(RequestFilter(query, queryset=requests_visible_to(user)).qs)
        found = _found(user, NAME, **query)
        if req in listed or req.pk in found:
            failures.append(f"{username} reached the {state} request through {filters}")
    assert failures == []


def test_the_lists_and_search_pages_refuse_an_outsider_the_request(
    world: World, make_request
) -> None:
    req = make_request(Status.DISCLOSED)
    client = Client()
    client.force_login(world.outsider)
    _, response = _search(client, NAME, query="?disclosing_agency=MPS")
    assert list(response.context["rows"]) == []
    for name in ("requests:mine", "requests:inbox", "requests:referred"):
        listed = client.get(reverse(name), {"disclosing_agency": "MPS"})
        assert req not in listed.context["rows"]


# Filters on the lists ------------------------------------------------------------------


def test_inbox_filters_combine_and_stay_in_the_address(
    world: World, make_request, client: Client
) -> None:
    urgent = make_request(Status.SUBMITTED, is_urgent=True, urgency_reason="Court tomorrow")
    routine = make_request(Status.UNDER_REVIEW)
    late = make_request(Status.UNDER_REVIEW)
    InformationRequest.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    client.force_login(world.discloser)

    def rows(**query: str) -> set[InformationRequest]:
        return set(client.get(reverse("requests:inbox"), query).context["rows"])

    assert rows() == {urgent, routine, late}
    assert rows(urgency="urgent") == {urgent}
    assert rows(status="under_review") == {routine, late}
    assert rows(status="under_review", overdue="on") == {late}
    assert rows(requesting_agency="LBH", urgency="routine") == {routine, late}
    assert rows(requesting_agency="MPS") == set()
    event = AuditEvent.objects.filter(event_type=EventType.LIST_VIEWED).latest("id")
    assert event.details["filters"] == {"requesting_agency": "MPS"}


def test_a_filter_with_a_mistake_says_so_by_the_field(
    world: World, make_request, client: Client
) -> None:
    make_request(Status.SUBMITTED)
    client.force_login(world.discloser)
    response = client.get(
        reverse("requests:inbox"),
        {"submitted_from_day": "31", "submitted_from_month": "2", "submitted_from_year": "2026"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a real date" in page and 'class="govuk-error-message"' in page
    assert client.get(reverse("requests:inbox"), {"status": "nonsense"}).status_code == 200


def test_consent_withdrawn_filter(world: World, make_request, client: Client) -> None:
    plain = make_request(Status.SUBMITTED)
    flagged = make_request(Status.SUBMITTED)
    consent = ConsentFactory.create(given_to_agency=world.police, recorded_by=world.requester)
    WithdrawalNotice.objects.create(
        request=flagged,
        consent=consent,
        kind=NoticeKind.OPEN,
        person_label="Person 1 (suspect)",
        created_at=timezone.now(),
    )
    client.force_login(world.discloser)
    listed = client.get(reverse("requests:inbox"), {"consent_withdrawn": "on"}).context["rows"]
    assert list(listed) == [flagged] and plain not in listed


# The same answers on every database ----------------------------------------------------


def _by_rule(user: User, terms: search.Terms) -> set[int]:
    """What the search must find, by its rules applied to every request this officer may
    see, with no help from the database."""
    found = set()
    for req in requests_visible_to(user).prefetch_related("people", "referrals"):
        parts = permissions.visible_parts(user, req)
        people = list(req.people.all()) if permissions.Part.PEOPLE in parts else []
        hit = req.reference == terms.reference and bool(terms.reference)
        if terms.date_of_birth:
            hit |= any(p.date_of_birth == terms.date_of_birth for p in people)
        elif terms.words and not terms.reference:
            hit |= any(search.name_matches(terms.words, p.full_name) for p in people)
            hit |= any(search._address_matches(terms, p.address) for p in people)
            hit |= permissions.Part.PART_A in parts and search.words_in(
                terms.words, req.description
            )
        if hit:
            found.add(req.pk)
    return found


def test_demo_data_gives_the_answers_the_rules_give() -> None:
    """Run on SQLite and on PostgreSQL: both must agree with the rules, so with each other."""
    from accounts import demo as accounts_demo
    from agreements import demo as agreements_demo
    from consent import demo as consent_demo
    from requests_app import demo as requests_demo

    agencies = accounts_demo.seed_agencies()
    users = accounts_demo.seed_accounts(agencies)
    for module in (agreements_demo, consent_demo, requests_demo):
        module.seed(agencies=agencies, users=users)
    some = InformationRequest.objects.exclude(reference=None).earliest("pk")
    searches = [
        "Alx Morgan",
        "taylor SAM",
        "Jamie Lee",
        "Chris Pattel",
        "09/06/2000",
        "Lordship Lane",
        "N15",
        "hoarding",
        "possession order",
        ref(some),
    ]
    checked = 0
    # One officer of each role that sees requests, in the police and in the council.
    officers = [
        User.objects.filter(agency__code=code, roles__role=role, is_active=True).first()
        for code in ("MPS", "LBH")
        for role in (Role.REQUESTING_OFFICER, Role.DISCLOSING_OFFICER, Role.SPOC, Role.DLO)
    ]
    for user in [u for u in officers if u is not None]:
        for text in searches:
            terms = search.read_terms(text)
            expected = _by_rule(user, terms)
            found = search.search_requests(user, requests_visible_to(user), terms)
            assert {m.request.pk for m in found.matches} == expected or found.more, (
                user.username,
                text,
            )
            checked += len(expected)
    assert checked > 0


# PostgreSQL's trigram index never drops a match ----------------------------------------


_letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12)


def _slip(word: str, data: st.DataObject) -> str:
    """The word with one or two of the slips the search forgives."""
    for _ in range(search.allowed_edits(word)):
        i = data.draw(st.integers(0, len(word) - 1))
        kind = data.draw(st.sampled_from(["swap", "change", "drop", "add"]))
        letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
        if kind == "swap" and i + 1 < len(word):
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif kind == "change" and i > 0:
            word = word[:i] + letter + word[i + 1 :]
        elif kind == "drop" and len(word) > 3 and i > 0:
            word = word[:i] + word[i + 1 :]
        elif kind == "add":
            word = word[: i + 1] + letter + word[i + 1 :]
    return word


@pytest.mark.postgres
@pytest.mark.django_db
@settings(max_examples=300, deadline=None)
@given(name=_letters, other=_letters, data=st.data())
def test_trigram_floor_never_drops_a_name_the_rules_match(
    name: str, other: str, data: st.DataObject
) -> None:
    typed = _slip(name, data)
    if not search.word_matches(typed, name):
        return
    full_name = f"{other.upper()}, {name.title()}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT word_similarity(%s, %s)", [typed, full_name])
        (similarity,) = cursor.fetchone()
    assert similarity >= search._trigram_floor(typed), (typed, full_name, similarity)


def test_search_results_run_the_same_queries_for_one_match_or_forty(
    world: World, make_request, client: Client
) -> None:
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from requests_app import access

    first = make_request(Status.SUBMITTED)
    client.force_login(world.police_spoc)
    url, _ = _search(client, "Jordon Exampel")

    def queries() -> int:
        with CaptureQueriesContext(db) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    for n in range(39):
        copy = InformationRequest.objects.get(pk=first.pk)
        copy.pk = None
        copy.reference = f"ISP-2099-{n:05d}"
        copy.creation_token = None
        copy.save()
        access.grant_on_create(copy)
        access.grant_on_submit(copy)
        NamedPerson.objects.create(request=copy, full_name="EXAMPLE, Jordan", role="suspect")
    assert len(client.get(url).context["rows"]) == 40
    assert queries() == one
