"""The Appendix G 9 decision register: columns, filters, who sees names, exports."""

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, AgreementTier, Legislation
from audit.models import AuditEvent, EventType
from isp_portal.exports import csv_lines, safe_cell
from requests_app.models import ConsentBasis, Decision, InformationType, Outcome
from tests.audit.conftest import count_queries
from tests.http import body_of
from tests.world import World, ref, request_of

pytestmark = pytest.mark.django_db

PERSONAL = [
    "Rita Requester",
    "ASB caseworker",
    "Mrs Smith",  # in the reasons
    "Mr Jones",  # in why the person was not informed
    "Inspector Jane Grey",  # who authorised
]


def csv_rows(response: Any) -> list[list[str]]:
    body = body_of(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def page(client: Client, user, url: str = "audit:register", **params: str) -> str:
    client.force_login(user)
    response = client.get(reverse(url), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def decisions(world: World, make_decision: Callable[..., Decision]) -> dict[str, Decision]:
    cda = Legislation.objects.get(code="cda-s115")
    agreement = Agreement.objects.create(
        reference="DSA-ASB-1", title="ASB case panel", tier=AgreementTier.AGREEMENT
    )
    to_police = make_decision()
    request_to_police = request_of(to_police)
    request_to_police.agreement = agreement
    request_to_police.save(update_fields=["agreement"])
    request_to_police.legislation.add(cda)
    to_council = make_decision(
        requesting=world.police,
        target=world.council,
        outcome=Outcome.DECLINED,
        decline_reason="Not necessary",
        consent_basis=ConsentBasis.CONSENT,
        subject_informed="not_applicable",
        not_informed_reason="",
        information_types=[InformationType.STATUTORY_EDUCATION],
        signed_at=timezone.now() - datetime.timedelta(days=40),
    )
    return {"to_police": to_police, "to_council": to_council}


def test_spoc_sees_every_appendix_g_column_for_its_own_agency(
    client: Client, world: World, decisions: dict[str, Decision]
) -> None:
    html = page(client, world.police_spoc)
    for text in [
        ref(decisions["to_police"].request),
        "Rita Requester",  # (c) requester name, job title, organisation
        "ASB caseworker",
        "London Borough of Haringey",
        "Disclosed",  # (d) decision and reasons
        "Mrs Smith",
        "Without consent: public interest",  # (e)
        "Informed: No",  # (f) and why not
        "Mr Jones",
        "Inspector Jane Grey",  # (g)
        "Living arrangements, Offending history",  # (h) types, not content
        "Secure email",  # (i)
        "DSA-ASB-1",
        "Crime and Disorder Act 1998",
    ]:
        assert text and text in html, text
    # Only its own agency's decisions.
    assert ref(decisions["to_council"].request) not in html


def test_deputy_sees_its_own_agency_rows(
    client: Client, world: World, decisions: dict[str, Decision]
) -> None:
    html = page(client, world.council_deputy)
    assert ref(decisions["to_council"].request) in html
    assert ref(decisions["to_police"].request) not in html


@pytest.mark.parametrize("lead", ["csp_lead", "administrator"])
def test_csp_lead_sees_all_rows_without_names_or_free_text(
    client: Client, world: World, decisions: dict[str, Decision], lead: str
) -> None:
    html = page(client, getattr(world, lead))
    for decision in decisions.values():
        assert ref(decision.request) in html
    for personal in PERSONAL:
        assert personal not in html
    assert "Living arrangements" in html  # the types of information stay

    response = Client()
    response.force_login(getattr(world, lead))
    rows = csv_rows(response.get(reverse("audit:register_csv")))
    exported = "\n".join(",".join(row) for row in rows)
    assert len(rows) == 3
    for personal in PERSONAL:
        assert personal not in exported


def test_spoc_export_holds_names_only_for_its_own_rows(
    client: Client, world: World, decisions: dict[str, Decision]
) -> None:
    client.force_login(world.police_spoc)
    header, *rows = csv_rows(client.get(reverse("audit:register_csv")))
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Requester name"] == "Rita Requester"
    assert row["Requester job title"] == "ASB caseworker"
    assert row["Consented or authorised by"] == "Inspector Jane Grey"
    assert row["Types of information"] == "Living arrangements, Offending history"
    assert row["Agreement"] == "DSA-ASB-1"
    assert row["Decided at"].endswith("UTC")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"to_police", "to_council"}),
        ({"requesting_agency": "LBH"}, {"to_police"}),
        ({"disclosing_agency": "LBH"}, {"to_council"}),
        ({"outcome": "declined"}, {"to_council"}),
        ({"consent_basis": "consent"}, {"to_council"}),
        ({"consent_basis": "public_interest"}, {"to_police"}),
        ({"legislation": "cda-s115"}, {"to_police"}),
        ({"legislation": "cda-s17"}, set()),
    ],
)
def test_register_filters(
    client: Client,
    world: World,
    decisions: dict[str, Decision],
    params: dict[str, str],
    expected: set[str],
) -> None:
    html = page(client, world.csp_lead, **params)
    shown = {name for name, d in decisions.items() if ref(d.request) in html}
    assert shown == expected


def test_register_filters_by_period(
    client: Client, world: World, decisions: dict[str, Decision]
) -> None:
    start = timezone.localdate() - datetime.timedelta(days=10)
    html = page(
        client,
        world.csp_lead,
        date_from_day=str(start.day),
        date_from_month=str(start.month),
        date_from_year=str(start.year),
    )
    assert ref(decisions["to_police"].request) in html
    assert ref(decisions["to_council"].request) not in html


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_starts_are_neutralised(start: str) -> None:
    assert safe_cell(f"{start}cmd|' /C calc'!A0") == f"'{start}cmd|' /C calc'!A0"


def test_plain_cells_are_untouched() -> None:
    assert safe_cell("ISP-2026-00001") == "ISP-2026-00001"
    assert safe_cell(12) == 12
    assert safe_cell(None) == ""


def test_register_csv_neutralises_formula_injection(
    client: Client, world: World, make_decision: Callable[..., Decision]
) -> None:
    make_decision(
        request_kwargs={"requester_name": '=HYPERLINK("http://evil.example","click")'},
        authorised_by="@SUM(1+1)",
    )
    client.force_login(world.police_spoc)
    header, row = csv_rows(client.get(reverse("audit:register_csv")))
    record = dict(zip(header, row, strict=True))
    assert record["Requester name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert record["Consented or authorised by"] == "'@SUM(1+1)"


def test_register_csv_streams_and_is_audited(
    client: Client, world: World, decisions: dict[str, Decision]
) -> None:
    client.force_login(world.csp_lead)
    response = client.get(reverse("audit:register_csv"), {"outcome": "declined"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="decision-register-')
    export = AuditEvent.objects.get(event_type=EventType.EXPORT)
    assert export.actor == world.csp_lead
    assert export.details == {"export": "register.csv", "filters": {"outcome": "declined"}}
    assert len(csv_rows(response)) == 2


def test_register_csv_reads_in_chunks_with_constant_queries(
    client: Client,
    world: World,
    make_decision: Callable[..., Decision],
    django_assert_num_queries,
) -> None:
    for _ in range(30):
        make_decision()
    client.force_login(world.csp_lead)
    response = client.get(reverse("audit:register_csv"))
    # One query for the whole export (the iterator's chunks share one cursor): the rows,
    # joined to request, agencies and agreement, with legislation aggregated in a subquery.
    with django_assert_num_queries(1):
        rows = csv_rows(response)
    assert len(rows) == 31


def test_register_page_query_count_does_not_grow(
    client: Client, world: World, make_decision: Callable[..., Decision]
) -> None:
    """The view's own queries: the count of matching decisions; the page of decisions
    joined to request, agencies and agreement, with legislation in a subquery; agencies
    and legislation for the filter's choices. The rest is the session and the user."""
    cda = Legislation.objects.get(code="cda-s115")
    client.force_login(world.csp_lead)
    url = reverse("audit:register")
    client.get(url)  # the first request of a session records it; not what is measured

    for _ in range(10):
        request_of(make_decision()).legislation.add(cda)
    with_ten = count_queries(client, url)
    for _ in range(90):
        request_of(make_decision()).legislation.add(cda)
    assert count_queries(client, url) == with_ten


def test_csv_arrives_in_blocks_of_whole_lines() -> None:
    rows = [[f"ISP-2026-{n:05d}", "Disclosed", n] for n in range(5000)]
    blocks = list(csv_lines(["Reference", "Decision", "Number"], rows))
    assert len(blocks) > 1
    assert all(block.endswith("\r\n") for block in blocks)
    parsed = list(csv.reader(io.StringIO("".join(blocks))))
    assert parsed[0] == ["Reference", "Decision", "Number"]
    assert parsed[1:] == [[str(cell) for cell in row] for row in rows]


def test_register_pages_keep_the_filters(
    client: Client, world: World, make_decision: Callable[..., Decision], monkeypatch
) -> None:
    monkeypatch.setattr("oversight.views.REGISTER_PAGE_SIZE", 2)
    made = [make_decision() for _ in range(3)]
    make_decision(requesting=world.police, target=world.council)  # filtered out
    first = page(client, world.csp_lead, disclosing_agency="MPS")
    assert "3 decisions" in first
    assert sum(ref(d.request) in first for d in made) == 2
    assert "?disclosing_agency=MPS&amp;page=2" in first
    second = page(client, world.csp_lead, disclosing_agency="MPS", page="2")
    shown = [d for d in made if ref(d.request) in second]
    assert len(shown) == 1 and ref(shown[0].request) not in first
